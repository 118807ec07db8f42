import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import request from 'supertest';
import { problem } from '../support/expected-problem';
import { useIngress } from '../support/use-ingress';
import {
  ALL_PERMISSIONS,
  as,
  guideBody,
  listen,
  problemBodyViolation,
  type ListeningApp,
} from './security-support';

const KB = 1024;

const context = useIngress({ dedupeWindowMs: 0, tenant: { permissions: ALL_PERMISSIONS } });
let server: ListeningApp;

beforeAll(async () => {
  server = await listen(context.ingress.app);
});

afterAll(async () => {
  await server.close();
});

const sendPath = () => `/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`;
const batchPath = () => `/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`;

/** JSON text of exactly `size` bytes: the body, then spaces (insignificant whitespace) up to the size. */
function paddedTo(body: unknown, size: number): string {
  const text = JSON.stringify(body);
  if (Buffer.byteLength(text) > size) throw new Error('body larger than the size asked for');
  return text + ' '.repeat(size - Buffer.byteLength(text));
}

interface RawAnswer {
  readonly statusLine: string;
  readonly status: number;
  readonly text: string;
}

/** Writes raw bytes on a socket and reads the answer until the server closes or a deadline passes. */
function rawExchange(bytes: string | Buffer, deadlineMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const statusLine = text.split('\r\n')[0] ?? '';
      resolve({ statusLine, status: Number(statusLine.split(' ')[1] ?? 0), text });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, deadlineMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is all these tests want; stop once its head and declared body are in.
      const text = Buffer.concat(chunks).toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && (length === undefined || text.length >= head + 4 + Number(length))) {
        socket.destroy();
        finish();
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the connection while the client is still writing.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') finish();
      else reject(error);
    });
    socket.on('end', finish);
    socket.write(bytes);
  });
}

const bodyOf = (answer: RawAnswer): unknown =>
  JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4));

describe('Body size limits', () => {
  it('When a single notification is exactly 64 KB, then it is read; one byte more answers 413 in the documented shape', async () => {
    const body = guideBody({ invoice_id: `LIMIT-${randomUUID()}` });
    const atLimit = await request(context.ingress.app)
      .post(sendPath())
      .set(as(context.tenant))
      .set('Content-Type', 'application/json')
      .send(paddedTo(body, 64 * KB));
    expect(atLimit.status).toBe(200);

    const over = await request(context.ingress.app)
      .post(sendPath())
      .set(as(context.tenant))
      .set('Content-Type', 'application/json')
      .send(paddedTo({ ...body, invoice_id: `LIMIT-${randomUUID()}` }, 64 * KB + 1));
    expect(over.status).toBe(413);
    expect(over.body).toEqual(problem('payload_too_large', 'Request body is larger than the 64 KB limit'));
  });

  it('When a batch is exactly 1 MB, then it is read; one byte more answers 413 naming the 1024 KB limit', async () => {
    const body = { notifications: [guideBody({ invoice_id: `BATCH-LIMIT-${randomUUID()}` })] };
    const atLimit = await request(context.ingress.app)
      .post(batchPath())
      .set(as(context.tenant))
      .set('Content-Type', 'application/json')
      .send(paddedTo(body, 1024 * KB));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.accepted).toBe(1);

    const over = await request(context.ingress.app)
      .post(batchPath())
      .set(as(context.tenant))
      .set('Content-Type', 'application/json')
      .send(paddedTo(body, 1024 * KB + 1));
    expect(over.status).toBe(413);
    expect(over.body).toEqual(problem('payload_too_large', 'Request body is larger than the 1024 KB limit'));
  });

  it('When the single endpoint gets a batch-sized body, then its own 64 KB limit applies', async () => {
    const response = await request(context.ingress.app)
      .post(sendPath())
      .set(as(context.tenant))
      .set('Content-Type', 'application/json')
      .send(paddedTo(guideBody(), 512 * KB));
    expect(response.status).toBe(413);
    expect(response.body).toEqual(
      problem('payload_too_large', 'Request body is larger than the 64 KB limit'),
    );
  });

  it('When a batch holds 1,001 notifications, then it answers 413 and stores nothing; 1,000 are read', async () => {
    const run = `COUNT-${randomUUID()}`;
    const tooMany = await request(context.ingress.app)
      .post(batchPath())
      .set(as(context.tenant))
      .send({
        notifications: Array.from({ length: 1001 }, (_item, index) =>
          guideBody({ invoice_id: `${run}-${index}` }),
        ),
      });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toEqual(
      problem(
        'payload_too_large',
        'notifications: at most 1000 per batch (got 1001); split the run into several batches',
      ),
    );
    const stored: { n: number }[] = await context.db.dataSource.query(
      'SELECT count(*)::int AS n FROM messages WHERE account_id = $1 AND invoice_id LIKE $2',
      [context.tenant.accountId, `${run}-%`],
    );
    expect(stored[0]!.n).toBe(0);

    const justEnough = await request(context.ingress.app)
      .post(batchPath())
      .set(as(context.tenant))
      .send({ notifications: Array.from({ length: 1000 }, () => ({})) });
    expect(justEnough.status).toBe(200);
    expect(justEnough.body).toMatchObject({ accepted: 0, rejected: 1000 });
  });

  it('When a body over the limit is streamed without Content-Length (chunked), then it answers 413', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const call = http.request(
        `${server.url}${sendPath()}`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${context.tenant.apiKey}`, 'Content-Type': 'application/json' },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      call.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EPIPE' ? undefined : reject(error),
      );
      const chunk = ' '.repeat(8 * KB);
      call.write('{"phone_number":"254712345678"');
      for (let index = 0; index < 10; index += 1) call.write(chunk);
      call.end('}');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual(
      problem('payload_too_large', 'Request body is larger than the 64 KB limit'),
    );
  });

  it('When Content-Length declares 128 KB and the body follows, then it answers 413 (the body is counted, not buffered)', async () => {
    // body-parser reads an over-limit body to its end before answering (so the connection can be
    // reused) without keeping it; the answer comes once the declared bytes are in.
    const body = ' '.repeat(128 * KB);
    const answer = await rawExchange(
      `POST ${sendPath()} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${context.tenant.apiKey}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(answer.status).toBe(413);
    expect(bodyOf(answer)).toEqual(
      problem('payload_too_large', 'Request body is larger than the 64 KB limit'),
    );
  });

  it('When a stranger (no key) sends a huge body, then it answers 401 without reading it', async () => {
    // "Authenticate before reading any body": the answer comes although the body never arrives.
    const answer = await rawExchange(
      `POST ${sendPath()} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
        'Content-Length: 1073741824\r\n\r\n{',
    );
    expect(answer.status).toBe(401);
    expect(bodyOf(answer)).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
  });

  it.each([
    ['a wrong path token', 401, 'unauthenticated', () => context.tenant.instance.id],
    ['an unknown instance', 404, 'not_found', () => randomUUID()],
  ])(
    'When a stranger posts a huge body to an Evolution webhook URL with %s, then it answers %i without reading it (never 413)',
    async (_case, status, code, instanceId) => {
      // Path token and JWT are checked first: the answer comes although the declared 1 GB never arrives.
      const answer = await rawExchange(
        `POST /api/v1/webhooks/evolution/${instanceId()}/not-the-token HTTP/1.1\r\nHost: localhost\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{',
      );
      expect(answer.status).toBe(status);
      expect(bodyOf(answer)).toMatchObject({ status, code });
    },
  );

  it('When a stranger posts malformed JSON to an Evolution webhook URL with a wrong token, then it answers 401, not 400: the body is never parsed', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/webhooks/evolution/${context.tenant.instance.id}/not-the-token`)
      .set('Content-Type', 'application/json')
      .send('{"event": "messages.upd');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('Header and URL size limits', () => {
  it.each([
    ['one 20 KB header', `X-Padding: ${'a'.repeat(20 * KB)}\r\n`, ':send'],
    ['a 20 KB Authorization header', `Authorization: Bearer tnx_${'a'.repeat(20 * KB)}\r\n`, ':send'],
    [
      'a thousand 40-byte headers',
      Array.from({ length: 1000 }, (_v, i) => `X-H${i}: ${'b'.repeat(32)}\r\n`).join(''),
      ':send',
    ],
    ['a 20 KB query string', '', `:send&pad=${'c'.repeat(20 * KB)}`],
  ])(
    'When a request has %s, then the HTTP parser answers 431 and the server keeps serving',
    async (_case, headers, rawPath) => {
      const path = rawPath.replace(':send', sendPath());
      const answer = await rawExchange(
        `POST ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      );
      expect(answer.statusLine).toMatch(/^HTTP\/1\.1 431 /);

      const next = await request(server.url).get('/healthz');
      expect(next.status).toBe(200);
    },
  );

  it('When an Idempotency-Key is 255 characters it is used; 256 characters, or 8 KB, answer 400 naming the header', async () => {
    const send = (key: string, invoice: string) =>
      request(context.ingress.app)
        .post(sendPath())
        .set(as(context.tenant))
        .set('Idempotency-Key', key)
        .send(guideBody({ invoice_id: invoice }));
    expect((await send('k'.repeat(255), `IDEM-LEN-${randomUUID()}`)).status).toBe(200);
    for (const key of ['k'.repeat(256), 'k'.repeat(8 * KB)]) {
      const refused = await send(key, `IDEM-LEN-${randomUUID()}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual(
        problem(
          'validation_failed',
          'Idempotency-Key: must be 1–255 letters, digits, dashes or underscores',
          {
            errors: [
              { field: 'Idempotency-Key', message: 'must be 1–255 letters, digits, dashes or underscores' },
            ],
          },
        ),
      );
    }
  });

  it.each([
    [
      'a 10 KB instance_id',
      `/api/v1/billing/send-notification?instance_id=${'d'.repeat(10 * KB)}`,
      'POST',
      400,
    ],
    [
      '1,500 query parameters',
      `:send&${Array.from({ length: 1500 }, (_v, i) => `p${i}=1`).join('&')}`,
      'POST',
      200,
    ],
    [
      'a 10 KB invoice_id filter',
      `/api/v1/instances/:instance/messages?invoice_id=${'e'.repeat(10 * KB)}`,
      'GET',
      400,
    ],
    ['a 10 KB cursor', `/api/v1/instances/:instance/messages?cursor=${'f'.repeat(10 * KB)}`, 'GET', 400],
    ['a repeated limit', '/api/v1/instances/:instance/messages?limit=1&limit=2', 'GET', 400],
    [
      '1,500 filters',
      `/api/v1/instances/:instance/messages?${Array.from({ length: 1500 }, (_v, i) => `q${i}=1`).join('&')}`,
      'GET',
      400,
    ],
  ])(
    'When a request has %s, then it answers as expected in the documented shape, never 5xx',
    async (_case, rawPath, method, status) => {
      const path = rawPath.replace(':instance', context.tenant.instance.id).replace(':send', sendPath());
      const response =
        method === 'GET'
          ? await request(context.ingress.app).get(path).set(as(context.tenant))
          : await request(context.ingress.app)
              .post(path)
              .set(as(context.tenant))
              .send(guideBody({ invoice_id: `QUERY-${randomUUID()}` }));
      expect(response.status).toBe(status);
      if (status >= 400) {
        expect(problemBodyViolation(response.body, response.text, response.status)).toBeUndefined();
      }
    },
  );
});
