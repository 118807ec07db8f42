import { GUIDE_REFERENCE_BODY } from '@telenexus/core';
import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { DomainError, ERROR_CODES } from '@telenexus/core';
import { createCapturedLogger } from '../../../test/support/captured-logger';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { errorResponder } from '../src/http/error-response';
import { PROBLEM_TYPES, type ProblemCode } from '../src/http/problem-types';
import { problem } from '../../../test/support/expected-problem';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';
import { useIngress } from '../../../test/support/use-ingress';

const PROBLEM_JSON = /^application\/problem\+json; charset=utf-8$/;
const NOT_JSON = 'Request body must be JSON: send the header Content-Type: application/json';

const guideBody = GUIDE_REFERENCE_BODY;

const context = useIngress({ dedupeWindowMs: 0, tenant: true });
let admin: Tenant;

beforeAll(async () => {
  admin = await createTenant(context.db, { permissions: ['admin'] });
});

const sendPath = () => `/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`;
const as = (who: Tenant) => ({ Authorization: `Bearer ${who.apiKey}` });

describe('Problem details on every class of error', () => {
  it('When a domain error is answered, then it is application/problem+json with type, title, status, detail and code', async () => {
    const response = await request(context.ingress.app)
      .post('/api/v1/billing/send-notification?instance_id=00000000-0000-4000-8000-000000000000')
      .set(as(context.tenant))
      .send(guideBody);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual({
      type: 'https://api.example.test/api/problems/not_found',
      title: 'Not found',
      status: 404,
      detail: 'Instance not found',
      code: 'not_found',
    });
  });

  it('When fields are wrong, then the problem keeps errors beside the standard members', async () => {
    const response = await request(context.ingress.app)
      .post(sendPath())
      .set(as(context.tenant))
      .send({ ...guideBody, amount: -1, currency: 'XXX' });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual(
      problem('validation_failed', 'amount: must be greater than 0', {
        errors: expect.arrayContaining([
          { field: 'amount', message: 'must be greater than 0' },
          expect.objectContaining({ field: 'currency' }),
        ]),
      }),
    );
  });

  it('When a disconnected instance refuses a send, then the code says instance_not_connected', async () => {
    const disconnected = await createTenant(context.db);
    await context.db.instances.updateConnectionState(
      disconnected.instance.id,
      'close',
      'test: the number dropped',
    );
    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${disconnected.instance.id}`)
      .set(as(disconnected))
      .send(guideBody);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(problem('instance_not_connected', 'Instance is not connected'));
  });

  it.each([
    [
      'a body that is not valid JSON',
      { 'Content-Type': 'application/json' },
      '{"phone_number": ',
      problem('invalid_json', 'Request body is not valid JSON'),
    ],
    [
      'a body in a charset other than UTF-8',
      { 'Content-Type': 'application/json; charset=latin1' },
      '{}',
      problem('unsupported_media_type', 'Request body must be UTF-8 encoded JSON'),
    ],
    [
      'a body over the limit',
      { 'Content-Type': 'application/json' },
      JSON.stringify({ ...guideBody, customer_name: 'x'.repeat(70 * 1024) }),
      problem('payload_too_large', 'Request body is larger than the 64 KB limit'),
    ],
  ])(
    'When the body parser refuses %s, then it answers a problem with its code',
    async (_case, headers, body, expected) => {
      const response = await request(context.ingress.app)
        .post(sendPath())
        .set(as(context.tenant))
        .set(headers)
        .send(body);

      expect(response.status).toBe(expected.status);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual(expected);
    },
  );

  it('When a path parameter is malformed percent-encoding, then it answers a 400 bad_request problem', async () => {
    const response = await request(context.ingress.app)
      .get('/api/v1/messages/%E0%A4%A')
      .set(as(context.tenant));

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual(problem('bad_request', 'Bad Request'));
  });

  it('When no route has the path, then it answers a 404 route_not_found problem with the same detail as before', async () => {
    const unknown = await request(context.ingress.app).get('/api/v1/nope').set(as(context.tenant));
    const outside = await request(context.ingress.app).post('/no/such/page').send({});

    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(unknown.body).toEqual(problem('route_not_found', 'No route for GET /api/v1/nope'));
    expect(outside.status).toBe(404);
    expect(outside.body).toEqual(problem('route_not_found', 'No route for POST /no/such/page'));
  });

  it('When an unexpected error escapes, then it answers a 500 internal_error problem whose error_id is logged', async () => {
    const logs = createCapturedLogger('ingress');
    const app = express()
      .get('/boom', () => {
        throw new Error('a bug at /srv/app/src/thing.ts:12');
      })
      .use(errorResponder({ logger: logs.logger, publicBaseUrl: TEST_PUBLIC_BASE_URL }));

    const response = await request(app).get('/boom');

    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    const errorId = response.body.error_id as string;
    expect(response.body).toEqual(
      problem('internal_error', `Internal server error (error id ${errorId})`, { error_id: errorId }),
    );
    expect(response.text).not.toMatch(/thing\.ts/);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ message: 'unhandled error', errorId }));
  });

  it('When extra facts travel with a domain error, then they cannot replace a standard member', async () => {
    const app = express()
      .get('/conflict', () => {
        throw new DomainError('conflict', 'Already accepted', {
          extra: { message_id: 'm-1', code: 'spoofed', status: 200 },
        });
      })
      .use(errorResponder({ logger: createCapturedLogger().logger, publicBaseUrl: TEST_PUBLIC_BASE_URL }));

    const response = await request(app).get('/conflict');

    expect(response.status).toBe(409);
    expect(response.body).toEqual(problem('conflict', 'Already accepted', { message_id: 'm-1' }));
  });
});

describe('A body that is not labelled as JSON', () => {
  it("When PHP's curl posts the JSON as a form (its default Content-Type), then it answers 415 naming the header", async () => {
    const response = await request(context.ingress.app)
      .post(sendPath())
      .set(as(context.tenant))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify({ ...guideBody, invoice_id: 'FORM-1' }));

    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual(problem('unsupported_media_type', NOT_JSON));
    const stored: unknown[] = await context.db.dataSource.query(
      "SELECT id FROM messages WHERE account_id = $1 AND invoice_id = 'FORM-1'",
      [context.tenant.accountId],
    );
    expect(stored).toEqual([]);
  });

  it.each(['text/plain', 'multipart/form-data; boundary=x', 'application/xml'])(
    'When the body is sent as %s, then it answers 415 naming the header',
    async (contentType) => {
      const response = await request(context.ingress.app)
        .post(sendPath())
        .set(as(context.tenant))
        .set('Content-Type', contentType)
        .send(JSON.stringify(guideBody));

      expect(response.status).toBe(415);
      expect(response.body).toEqual(problem('unsupported_media_type', NOT_JSON));
    },
  );

  it('When a batch or a management call is sent as text, then it answers 415 too', async () => {
    const batch = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`)
      .set(as(context.tenant))
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ notifications: [guideBody] }));
    const patch = await request(context.ingress.app)
      .patch(`/api/v1/instances/${admin.instance.id}`)
      .set(as(admin))
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify({ name: 'Renamed' }));

    expect([batch.status, patch.status]).toEqual([415, 415]);
    expect(patch.body.detail).toBe(NOT_JSON);
  });

  it('When a POST carries an empty body labelled as a form, then it is not refused for its Content-Type', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/instances/${randomUUID()}/evolution-webhook`)
      .set(as(admin))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('');

    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Instance not found'));
  });

  it('When GET or DELETE carry no body, then a Content-Type of any kind changes nothing', async () => {
    const read = await request(context.ingress.app)
      .get(`/api/v1/instances/${admin.instance.id}`)
      .set(as(admin))
      .set('Content-Type', 'application/x-www-form-urlencoded');
    const remove = await request(context.ingress.app)
      .delete(`/api/v1/webhook-endpoints/${randomUUID()}`)
      .set(as(admin))
      .set('Content-Type', 'text/plain');

    expect(read.status).toBe(200);
    expect(remove.status).toBe(404);
    expect(remove.body.code).toBe('not_found');
  });
});

describe('A known path called with the wrong method', () => {
  it.each([
    ['GET', '/api/v1/billing/send-notification', 'OPTIONS, POST', 'POST'],
    ['PATCH', `/api/v1/messages/${randomUUID()}`, 'DELETE, GET, HEAD, OPTIONS', 'DELETE, GET'],
    ['PUT', `/api/v1/instances/${randomUUID()}`, 'DELETE, GET, HEAD, OPTIONS, PATCH', 'DELETE, GET, PATCH'],
    ['GET', '/api/v1/billing/send-notifications', 'OPTIONS, POST', 'POST'],
    ['DELETE', '/api/v1/templates', 'GET, HEAD, OPTIONS, PATCH', 'GET, PATCH'],
    ['GET', '/api/v1/templates/invoice/sw', 'DELETE, OPTIONS, PUT', 'DELETE, PUT'],
  ])(
    'When %s %s is called, then it answers 405 with the Allow header',
    async (method, path, allow, usable) => {
      const response = await request(context.ingress.app)[method.toLowerCase() as 'get'](path).set(as(admin));

      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual(
        problem('method_not_allowed', `Method ${method} is not allowed for ${path}; use ${usable}`),
      );
    },
  );

  it('When a path outside the API is called with the wrong method, then it answers 405 too', async () => {
    const health = await request(context.ingress.app).post('/healthz');
    const problems = await request(context.ingress.app).delete('/api/problems/rate_limited');

    expect(health.status).toBe(405);
    expect(health.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(problems.status).toBe(405);
    expect(problems.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('When the wrong method carries a form body, then the answer is the 405, not a 415', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/messages/${randomUUID()}`)
      .set(as(context.tenant))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('a=1');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('DELETE, GET, HEAD, OPTIONS');
  });

  it('When the wrong method comes without a key, then the key is asked for first, as on every API path', async () => {
    const response = await request(context.ingress.app).get('/api/v1/billing/send-notification');

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthenticated');
  });

  it('When OPTIONS is asked of a path, then the Allow header lists its methods', async () => {
    const api = await request(context.ingress.app)
      .options('/api/v1/billing/send-notification')
      .set(as(context.tenant));
    const root = await request(context.ingress.app).options('/');

    expect(api.status).toBe(200);
    expect(api.headers.allow).toBe('POST');
    expect(root.status).toBe(204);
    expect(root.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});

describe('WWW-Authenticate on 401', () => {
  it('When no key is sent, then the 401 carries a Bearer challenge without an error code', async () => {
    const response = await request(context.ingress.app).post(sendPath()).send(guideBody);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="telenexus"');
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
  });

  it.each([
    ['a placeholder', 'Bearer YOUR_API_KEY'],
    ['an unknown key', `Bearer tnx_${'A'.repeat(43)}`],
  ])('When %s is sent as the Bearer token, then the challenge says invalid_token', async (_case, header) => {
    const response = await request(context.ingress.app)
      .post(sendPath())
      .set('Authorization', header)
      .send(guideBody);

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="telenexus", error="invalid_token"');
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
  });

  it('When another scheme is sent, then the challenge names Bearer, with no error code', async () => {
    const response = await request(context.ingress.app)
      .get('/api/v1/instances')
      .set('Authorization', 'Basic dXNlcjpwYXNz');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="telenexus"');
  });

  it("When Evolution's webhook token is wrong, then its 401 carries a Bearer challenge too", async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/webhooks/evolution/${context.tenant.instance.id}/not-the-token`)
      .set('Content-Type', 'application/json')
      .send({ event: 'messages.update' });

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="telenexus"');
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid webhook token'));
  });

  it('When the queue dashboard refuses, then it keeps its Basic challenge and answers a problem', async () => {
    const response = await request(context.ingress.app)
      .get('/admin/queues/api/queues')
      .set('Accept', 'application/json');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="Telenexus queues"/);
    expect(response.body).toEqual(
      problem('unauthenticated', "Sign in with the operator's dashboard credentials"),
    );
  });
});

describe('GET /api/problems/:code', () => {
  it('When a code is looked up, then it answers its status, title and description, without a key', async () => {
    const response = await request(context.ingress.app).get('/api/problems/unsupported_media_type');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      status: 415,
      description: expect.stringContaining('Content-Type: application/json'),
    });
  });

  it('When every code of the table is looked up, then each answers, core codes included', async () => {
    const codes = Object.keys(PROBLEM_TYPES) as ProblemCode[];
    expect(codes).toEqual(expect.arrayContaining([...ERROR_CODES]));
    for (const code of codes) {
      const response = await request(context.ingress.app).get(`/api/problems/${code}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ code, ...PROBLEM_TYPES[code] });
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });

  it("When an error's type URI is followed, then it leads to that code's description", async () => {
    const refused = await request(context.ingress.app)
      .get('/api/v1/billing/send-notification')
      .set(as(context.tenant));
    const typePath = new URL(refused.body.type as string).pathname;

    const described = await request(context.ingress.app).get(typePath);

    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({
      code: 'method_not_allowed',
      status: 405,
      title: refused.body.title,
    });
  });

  it('When the code is unknown, then it answers a 404 problem', async () => {
    const response = await request(context.ingress.app).get('/api/problems/no_such_code');

    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Problem type not found'));
  });
});
