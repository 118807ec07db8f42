import request from 'supertest';
import { GUIDE_REFERENCE_BODY } from '@telenexus/core';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress();
/** A tenant whose key has `send_text` only, as the console creates it for a `wa_url`. */
let tenant: Tenant;
let sendMessageKey: string;

beforeAll(async () => {
  tenant = await createTenant(context.db, { permissions: ['send_text'] });
  sendMessageKey = (
    await context.db.provisioning.apiKeys.create({
      accountId: tenant.accountId,
      name: 'billing',
      permissions: ['send_message', 'receive_message', 'admin'],
    })
  ).secret;
});

/** A distinct text per test, so the natural dedupe never joins two tests' messages. */
let sequence = 0;
function uniqueText(what: string): string {
  sequence += 1;
  return `${what} #${sequence}`;
}

/** The query string as phpnuxbill writes it: PHP's urlencode, so a space is `+`. */
function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*~]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function gatewayGet(params: Record<string, string>) {
  const query = Object.entries(params)
    .map(([name, value]) => `${name}=${phpUrlencode(value)}`)
    .join('&');
  return request(context.ingress.app).get(`/api/v1/gateway/send?${query}`);
}

function withKey(params: Record<string, string> = {}): Record<string, string> {
  return { instance_id: tenant.instance.id, token: tenant.apiKey, to: '254712345678', ...params };
}

describe('GET /api/v1/gateway/send — a filled URL template', () => {
  it('When phpnuxbill fills its wa_url and fetches it, then the exact text is stored as a queued text message and enqueued', async () => {
    const text = uniqueText(
      'Dear Jane,\nYour invoice INV-7 of KES 1,500.00 is due.\nPay to 4-5 & thank you!',
    );
    const response = await gatewayGet(withKey({ to: '0712 345 678', text }));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message_id: expect.any(String) });
    expect(response.headers['cache-control']).toBe('no-store');
    const message = await context.db.messages.queries.findById(response.body.message_id);
    expect(message).toMatchObject({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      messageType: 'text',
      status: 'queued',
      phoneNumber: '254712345678',
      body: text,
      customerName: null,
      invoiceId: null,
      amount: null,
    });
    const job = await context.ingress.queue.queue.getJob(response.body.message_id);
    expect(job?.data).toEqual({ messageId: response.body.message_id });
  });

  it('When metadata comes as JSON text in the query string, then it is kept with the message', async () => {
    const response = await gatewayGet(
      withKey({ text: uniqueText('with a reference'), metadata: '{"customer_ref":"C-1042"}' }),
    );
    expect(response.status).toBe(200);
    expect((await context.db.messages.queries.findById(response.body.message_id))?.metadata).toEqual({
      customer_ref: 'C-1042',
    });
    const broken = await gatewayGet(withKey({ text: 'hi', metadata: '{customer_ref' }));
    expect(broken.body.errors).toEqual([
      { field: 'metadata', message: 'must be a JSON object, e.g. {"customer_ref": "C-1042"}' },
    ]);
  });

  it('When the Messages API is asked for it, then it is message_type text with its text', async () => {
    const text = uniqueText('Your service is active');
    const sent = await gatewayGet(withKey({ text }));
    const read = await request(context.ingress.app)
      .get(`/api/v1/messages/${sent.body.message_id}`)
      .set('Authorization', `Bearer ${sendMessageKey}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ message_type: 'text', invoice_id: null, status: 'queued' });
  });

  it('When the number and text come under their aliases (number, phone, message), then they are taken the same', async () => {
    for (const [numberName, textName] of [
      ['number', 'message'],
      ['phone', 'text'],
    ] as const) {
      const text = uniqueText(`alias ${numberName}`);
      const response = await gatewayGet({
        instance_id: tenant.instance.id,
        token: tenant.apiKey,
        [numberName]: '+254 712 345 678',
        [textName]: text,
      });
      expect(response.status).toBe(200);
      expect(await context.db.messages.queries.findById(response.body.message_id)).toMatchObject({
        phoneNumber: '254712345678',
        body: text,
      });
    }
  });

  it('When the same text goes to the same number again, then the first message answers (replayed) and nothing new is stored', async () => {
    const text = uniqueText('Reminder: pay by Friday');
    const first = await gatewayGet(withKey({ text }));
    const again = await gatewayGet(withKey({ to: '0712345678', text }));
    const other = await gatewayGet(withKey({ text: `${text}!` }));

    expect(again.status).toBe(200);
    expect(again.body).toEqual({ success: true, message_id: first.body.message_id, replayed: true });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(other.body.message_id).not.toBe(first.body.message_id);
  });

  it('When a text has Windows line endings, tabs and emoji, then it keeps them, with \\n for each line break', async () => {
    const response = await gatewayGet(withKey({ text: uniqueText('Line one\r\nLine two\tend 🎉') }));
    expect(response.status).toBe(200);
    const { body } = (await context.db.messages.queries.findById(response.body.message_id))!;
    expect(body).toMatch(/^Line one\nLine two\tend 🎉 #\d+$/);
  });

  it('When the text is 4,096 characters, then it is taken; one more is refused naming the limit', async () => {
    const longest = 'Pay '.repeat(1024);
    const taken = await gatewayGet(withKey({ to: '254722000111', text: longest }));
    expect(taken.status).toBe(200);
    expect((await context.db.messages.queries.findById(taken.body.message_id))?.body).toBe(longest);

    const tooLong = await gatewayGet(withKey({ text: `${longest}a` }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual(
      problem('validation_failed', 'text: must be at most 4096 characters (got 4097)', {
        errors: [{ field: 'text', message: 'must be at most 4096 characters (got 4097)' }],
      }),
    );
  });

  it.each([
    ['an empty text', { text: '' }, 'text', 'must not be empty'],
    ['a blank text', { text: ' \n ' }, 'text', 'must not be empty'],
    [
      'a control character',
      { text: 'bell\u0007' },
      'text',
      'must not contain control characters other than line breaks and tabs, nor direction overrides',
    ],
    [
      'a direction override',
      { text: 'pay \u202Eto 1234' },
      'text',
      'must not contain control characters other than line breaks and tabs, nor direction overrides',
    ],
    ['no text', {}, 'text', 'is required'],
    [
      'a number that is not one',
      { text: 'hi', to: '12' },
      'to',
      expect.stringContaining('is not a valid phone number'),
    ],
    ['an unknown parameter', { text: 'hi', txt: 'hi' }, 'txt', 'is not a recognised field'],
    [
      'the number under two names',
      { text: 'hi', number: '254712345678' },
      'to',
      'number and to are the same parameter; send only one of them',
    ],
  ])(
    'When the request has %s, then it is refused with 400 naming the parameter',
    async (_case, params, field, message) => {
      const response = await gatewayGet(withKey(params));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'validation_failed', errors: [{ field, message }] });
    },
  );

  it('When the instance is not one of the key’s account, then it answers 404 as for a missing one', async () => {
    const stranger = await createTenant(context.db);
    const response = await gatewayGet(withKey({ instance_id: stranger.instance.id, text: 'hi' }));
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Instance not found'));
  });
});

describe('POST /api/v1/gateway/send — a form or JSON', () => {
  it('When the parameters come as a form, then + is a space and the text is exact', async () => {
    const text = uniqueText('Paid in full, thank you');
    const response = await request(context.ingress.app)
      .post('/api/v1/gateway/send')
      .type('form')
      .send(
        Object.entries(withKey({ text }))
          .map(([name, value]) => `${name}=${phpUrlencode(value)}`)
          .join('&'),
      );
    expect(response.status).toBe(200);
    expect((await context.db.messages.queries.findById(response.body.message_id))?.body).toBe(text);
  });

  it('When a text of 4,096 emoji is posted, then each emoji counts as one character and it is taken', async () => {
    const emoji = '🎉'.repeat(4096);
    const response = await request(context.ingress.app)
      .post('/api/v1/gateway/send')
      .type('form')
      .send(
        `instance_id=${tenant.instance.id}&token=${tenant.apiKey}&to=254733000111&text=${phpUrlencode(emoji)}`,
      );
    expect(response.status).toBe(200);
    expect((await context.db.messages.queries.findById(response.body.message_id))?.body).toBe(emoji);
  });

  it('When the parameters come as JSON with the key in the Authorization header, then it is sent', async () => {
    const text = uniqueText('JSON text');
    const response = await request(context.ingress.app)
      .post('/api/v1/gateway/send')
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .send({ instance_id: tenant.instance.id, phone: 254712345678, message: text });
    expect(response.status).toBe(200);
    expect((await context.db.messages.queries.findById(response.body.message_id))?.body).toBe(text);
  });

  it('When a parameter is both in the query string and the body, then it is refused rather than one picked', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/gateway/send?instance_id=${tenant.instance.id}&token=${tenant.apiKey}`)
      .send({ instance_id: tenant.instance.id, to: '254712345678', text: 'hi' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'instance_id', message: 'is given both in the query string and in the body; send it once' },
    ]);
  });

  it('When the body is plain text, then it answers 415 naming both forms it takes', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/gateway/send?token=${tenant.apiKey}`)
      .set('Content-Type', 'text/plain')
      .send('to=254712345678');
    expect(response.status).toBe(415);
    expect(response.body.detail).toBe(
      'Request body must be a form (Content-Type: application/x-www-form-urlencoded) or JSON (application/json)',
    );
  });
});

describe('The gateway key: send_text, and only here', () => {
  it('When no key comes, then it answers 401 with the guide’s words and a Bearer challenge', async () => {
    const response = await gatewayGet({ instance_id: tenant.instance.id, to: '254712345678', text: 'hi' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
    expect(response.headers['www-authenticate']).toBe('Bearer realm="telenexus"');
  });

  it('When the token is not a key of ours, then it answers 401', async () => {
    const response = await gatewayGet(
      withKey({ token: 'tnx_not-a-real-key-0000000000000000000000000', text: 'hi' }),
    );
    expect(response.status).toBe(401);
  });

  it('When a key without send_text is used, then it answers 403 naming the permission, even an admin key', async () => {
    const response = await gatewayGet(withKey({ token: sendMessageKey, text: 'hi' }));
    expect(response.status).toBe(403);
    expect(response.body).toEqual(
      problem('forbidden', 'This API key does not have the send_text permission'),
    );
  });

  it('When a send_text key is used on any other route, then it is refused there, reads included', async () => {
    const auth = { Authorization: `Bearer ${tenant.apiKey}` };
    const single = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set(auth)
      .send(GUIDE_REFERENCE_BODY);
    const messages = await request(context.ingress.app)
      .get(`/api/v1/instances/${tenant.instance.id}/messages`)
      .set(auth);
    const keys = await request(context.ingress.app).get('/api/v1/api-keys').set(auth);
    expect([single.status, messages.status, keys.status]).toEqual([403, 403, 403]);
    expect(messages.body.detail).toBe(
      'This API key has only the send_text permission, which only /api/v1/gateway/send accepts',
    );
  });

  it('When the key comes both as token and in the Authorization header, then it is refused', async () => {
    const response = await gatewayGet(withKey({ text: 'hi' })).set(
      'Authorization',
      `Bearer ${tenant.apiKey}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        field: 'token',
        message: 'send the API key once: as the token parameter or in the Authorization header',
      },
    ]);
  });

  it('When requests carry the token in their URL, then no log line holds it, whatever the outcome', async () => {
    const before = context.ingress.logs.text().length;
    await gatewayGet(withKey({ text: uniqueText('logged?') }));
    await gatewayGet(withKey({ text: '' }));
    await gatewayGet(withKey({ instance_id: '00000000-0000-4000-8000-000000000000', text: 'hi' }));
    await gatewayGet(withKey({ token: `${tenant.apiKey}x`, text: 'hi' }));
    const written = context.ingress.logs.text().slice(before);
    expect(written.length).toBeGreaterThan(0);
    expect(written).not.toContain(tenant.apiKey);
    expect(written).not.toContain(tenant.apiKey.slice(4));
  });
});

describe('Methods', () => {
  it('When a link checker sends HEAD, then it answers 405 and nothing is stored', async () => {
    const text = uniqueText('HEAD must not send');
    const head = await request(context.ingress.app).head(
      `/api/v1/gateway/send?instance_id=${tenant.instance.id}&token=${tenant.apiKey}&to=254712345678&text=${encodeURIComponent(text)}`,
    );
    expect(head.status).toBe(405);
    expect(head.headers.allow).toBe('GET, POST');
    const rows: { n: number }[] = await context.db.dataSource.query(
      `SELECT count(*)::int AS n FROM messages WHERE body = $1`,
      [text],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('When another method is used, then it answers 405 with Allow', async () => {
    const response = await request(context.ingress.app).put('/api/v1/gateway/send');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST');
  });
});
