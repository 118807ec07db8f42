import { GUIDE_REFERENCE_BODY } from '@telenexus/core';
import request from 'supertest';
import { createTenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const guideBody = GUIDE_REFERENCE_BODY;

// One notification's contract; repeats of it (dedupe) are covered in billing-runs tests.
const context = useIngress({ dedupeWindowMs: 0, tenant: true });

function send(
  body: unknown,
  instanceId: string = context.tenant.instance.id,
  apiKey: string = context.tenant.apiKey,
) {
  return request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${instanceId}`)
    .set('Authorization', `Bearer ${apiKey}`)
    .send(body as object);
}

describe('POST /api/v1/billing/send-notification — success', () => {
  it("When the guide's example is sent, then it answers 200 with the guide's shape, commits the row and enqueues only its id", async () => {
    const response = await send(guideBody);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, message_id: expect.any(String), invoice_id: 'INV-001' });
    const message = await context.db.messages.queries.findById(response.body.message_id);
    expect(message).toMatchObject({
      accountId: context.tenant.accountId,
      instanceId: context.tenant.instance.id,
      status: 'queued',
      phoneNumber: '254712345678',
      customerName: 'John Doe',
      amount: '1500.0000',
      currency: 'KES',
      invoiceId: 'INV-001',
      dueDate: '2026-02-15',
      messageType: 'payment_reminder',
    });
    const events = await context.db.messages.queries.listEvents(response.body.message_id);
    expect(events.map((event) => [event.type, event.status])).toEqual([['accepted', 'queued']]);
    const job = await context.ingress.queue.queue.getJob(response.body.message_id);
    expect(job?.name).toBe('send');
    expect(job?.data).toEqual({ messageId: response.body.message_id });
  });

  it('When the phone number has spaces, dashes and a plus, then it is stored as digits with country code', async () => {
    const response = await send({ ...guideBody, phone_number: '+254 (712) 345-678' });
    expect(response.status).toBe(200);
    expect((await context.db.messages.queries.findById(response.body.message_id))?.phoneNumber).toBe(
      '254712345678',
    );
  });

  it("When a local number with a leading 0 is sent, then the instance's country code is added", async () => {
    const response = await send({ ...guideBody, phone_number: '0712 345 678' });
    expect(response.status).toBe(200);
    expect((await context.db.messages.queries.findById(response.body.message_id))?.phoneNumber).toBe(
      '254712345678',
    );
  });

  it('When due_date is absent, null or empty, then the message has no due date', async () => {
    const withoutDate = { ...guideBody } as Record<string, unknown>;
    delete withoutDate.due_date;
    for (const body of [withoutDate, { ...guideBody, due_date: null }, { ...guideBody, due_date: '' }]) {
      const response = await send(body);
      expect(response.status).toBe(200);
      expect((await context.db.messages.queries.findById(response.body.message_id))?.dueDate).toBeNull();
    }
  });

  it('When metadata is sent, then it is stored and the Messages API returns it; without it, null', async () => {
    const metadata = { customer_ref: 'C-1042', plan_id: 7, paid_online: false };
    const withMetadata = await send({ ...guideBody, invoice_id: 'META-1', metadata });
    const without = await send({ ...guideBody, invoice_id: 'META-2' });
    expect(withMetadata.status).toBe(200);
    expect((await context.db.messages.queries.findById(withMetadata.body.message_id))?.metadata).toEqual(
      metadata,
    );
    const read = await request(context.ingress.app)
      .get(`/api/v1/messages/${without.body.message_id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`);
    expect(read.body.metadata).toBeNull();
  });

  it('When the body comes without a Content-Type, then it is still read as JSON', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .set('Content-Type', '')
      .send(Buffer.from(JSON.stringify(guideBody)));
    expect(response.status).toBe(200);
  });

  it("When a request id is given, then it is echoed and on the request's log lines", async () => {
    const response = await send(guideBody).set('x-request-id', 'billing-run-42');
    expect(response.headers['x-request-id']).toBe('billing-run-42');
    const line = context.ingress.logs
      .lines()
      .find((entry) => entry.requestId === 'billing-run-42' && entry.message === 'request');
    expect(line).toMatchObject({
      status: 200,
      service: 'ingress',
      path: '/api/v1/billing/send-notification',
    });
  });
});

describe('POST /api/v1/billing/send-notification — authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz'],
    ['a Bearer token that is not a key', 'Bearer YOUR_API_KEY'],
    ['an unknown key of the right shape', `Bearer tnx_${'A'.repeat(43)}`],
  ])("When the request has %s, then it answers 401 with the guide's detail", async (_case, header) => {
    const call = request(context.ingress.app).post(
      `/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`,
    );
    const response = await (header ? call.set('Authorization', header) : call).send(guideBody);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
  });

  it('When the key has been revoked, then it answers 401 at once', async () => {
    const revokedTenant = await createTenant(context.db);
    await context.db.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [
      revokedTenant.apiKeyId,
    ]);
    const response = await send(guideBody, revokedTenant.instance.id, revokedTenant.apiKey);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
  });

  it('When the key lacks send_message, then it answers 403 and stores nothing', async () => {
    const readOnly = await createTenant(context.db, { permissions: ['receive_message'] });
    const response = await send(
      { ...guideBody, invoice_id: 'FORBIDDEN-1' },
      readOnly.instance.id,
      readOnly.apiKey,
    );
    expect(response.status).toBe(403);
    expect(response.body).toEqual(
      problem('forbidden', 'This API key does not have the send_message permission'),
    );
    const rows: unknown[] = await context.db.dataSource.query(
      'SELECT id FROM messages WHERE account_id = $1',
      [readOnly.accountId],
    );
    expect(rows).toHaveLength(0);
  });

  it('When a key is used, then only its hash is stored and its last use is recorded', async () => {
    const rows: { key_hash: Buffer; last_used_at: Date | null }[] = await context.db.dataSource.query(
      'SELECT key_hash, last_used_at FROM api_keys WHERE id = $1',
      [context.tenant.apiKeyId],
    );
    expect(rows[0]?.key_hash.toString('utf8')).not.toContain(context.tenant.apiKey);
    expect(JSON.stringify(rows)).not.toContain(context.tenant.apiKey.slice(12));
    expect(rows[0]?.last_used_at).toBeInstanceOf(Date);
  });
});

describe('POST /api/v1/billing/send-notification — instance', () => {
  it('When the instance does not exist, then it answers 404 Instance not found', async () => {
    const response = await send(guideBody, '00000000-0000-4000-8000-000000000000');
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Instance not found'));
  });

  it('When the instance belongs to another account, then it answers the same 404', async () => {
    const other = await createTenant(context.db);
    const response = await send(guideBody, other.instance.id);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Instance not found'));
  });

  it('When the instance is known to be disconnected, then it answers 400 Instance is not connected', async () => {
    const disconnected = await createTenant(context.db);
    await context.db.instances.updateConnectionState(
      disconnected.instance.id,
      'close',
      'test: the number dropped',
    );
    const response = await send(guideBody, disconnected.instance.id, disconnected.apiKey);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(problem('instance_not_connected', 'Instance is not connected'));
  });

  it('When instance_id is missing or not a UUID, then it answers 400 naming instance_id', async () => {
    const missing = await request(context.ingress.app)
      .post('/api/v1/billing/send-notification')
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send(guideBody);
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toBe('instance_id: is required');
    const malformed = await send(guideBody, 'YOUR_INSTANCE_ID');
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toBe('instance_id: must be a UUID');
  });
});

describe('POST /api/v1/billing/send-notification — validation', () => {
  it.each([
    ['phone_number', { phone_number: undefined }, 'phone_number: is required'],
    ['phone_number', { phone_number: '12345' }, /^phone_number: is not a valid phone number/],
    ['phone_number', { phone_number: '254-71x-345' }, /^phone_number: must contain only digits/],
    ['customer_name', { customer_name: '' }, 'customer_name: must not be empty'],
    ['customer_name', { customer_name: 'x'.repeat(101) }, 'customer_name: must be at most 100 characters'],
    [
      'customer_name',
      { customer_name: 'John\nDoe' },
      'customer_name: must not contain control characters, line breaks or direction overrides',
    ],
    ['amount', { amount: undefined }, 'amount: is required'],
    ['amount', { amount: 'lots' }, 'amount: must be a number'],
    ['amount', { amount: 0 }, 'amount: must be greater than 0'],
    ['amount', { amount: -10 }, 'amount: must be greater than 0'],
    ['amount', { amount: 10.005 }, 'amount: must have at most 2 decimal places for KES'],
    ['amount', { amount: 1500.5, currency: 'JPY' }, 'amount: must be a whole number for JPY'],
    ['currency', { currency: 'KSH' }, 'currency: must be an ISO 4217 currency code, e.g. KES, USD, EUR'],
    ['currency', { currency: 12 }, 'currency: must be a string'],
    ['invoice_id', { invoice_id: '   ' }, 'invoice_id: must not be blank'],
    ['invoice_id', { invoice_id: 'I'.repeat(65) }, 'invoice_id: must be at most 64 characters'],
    [
      'due_date',
      { due_date: '2026-02-30' },
      'due_date: must be a real date in ISO 8601 form, e.g. 2026-02-15',
    ],
    [
      'due_date',
      { due_date: '15/02/2026' },
      'due_date: must be a real date in ISO 8601 form, e.g. 2026-02-15',
    ],
    [
      'message_type',
      { message_type: 'reminder' },
      'message_type: must be one of: payment_reminder, invoice, overdue, confirmation',
    ],
    ['message_type', { message_type: undefined }, 'message_type: is required'],
    ['due_dat', { due_dat: '2026-02-15' }, 'due_dat: is not a recognised field'],
    [
      'metadata',
      { metadata: { customer: { ref: 'C-1' } } },
      'metadata: customer must be a string, number, boolean or null (metadata is flat)',
    ],
    ['metadata', { metadata: ['C-1'] }, 'metadata: must be a JSON object of keys and values'],
    [
      'metadata',
      { metadata: { note: 'x'.repeat(1100) } },
      'metadata: must be at most 1024 bytes as JSON (got 1111)',
    ],
  ])('When %s is wrong (%j), then it answers 400 naming the field', async (field, change, detail) => {
    const response = await send({ ...guideBody, ...change });
    expect(response.status).toBe(400);
    expect(response.body.detail).toEqual(typeof detail === 'string' ? detail : expect.stringMatching(detail));
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('When several fields are wrong, then every one is listed in errors', async () => {
    const response = await send({ ...guideBody, amount: -1, currency: 'XXX', message_type: 'nope' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'amount',
      'currency',
      'message_type',
    ]);
  });

  it('When amount and currency come as strings a PHP client would send, then they are accepted', async () => {
    const response = await send({ ...guideBody, amount: '1500.00', currency: 'kes' });
    expect(response.status).toBe(200);
    expect(await context.db.messages.queries.findById(response.body.message_id)).toMatchObject({
      amount: '1500.0000',
      currency: 'KES',
    });
  });

  it('When the body is not valid JSON, then it answers 400 saying so', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .set('Content-Type', 'application/json')
      .send('{"phone_number": "254712345678",');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(problem('invalid_json', 'Request body is not valid JSON'));
  });

  it('When the body is a JSON array, then it answers 400 asking for an object', async () => {
    const response = await send([guideBody]);
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe('body: must be a JSON object');
  });

  it('When the body is over the 64 KB limit, then it answers 413 naming the limit', async () => {
    const response = await send({ ...guideBody, customer_name: 'x'.repeat(70 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body).toEqual(
      problem('payload_too_large', 'Request body is larger than the 64 KB limit'),
    );
  });

  it('When any request is refused, then no stack trace or internal path is in the answer', async () => {
    const response = await send('{', context.tenant.instance.id);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts|node_modules|Error:/);
  });
});
