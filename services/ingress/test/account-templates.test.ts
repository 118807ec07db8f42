import request from 'supertest';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';
import { notificationFactory } from '../../../test/support/notification-factory';

const context = useIngress();
/** An admin key's account: it writes texts and sends with the same key. */
let tenant: Tenant;

/* Amounts are written as each language writes them, with its own spaces: `Intl` puts a no-break space
 * (U+00A0) between code and number, and French groups thousands with a narrow one (U+202F). */
const SWAHILI_INVOICE =
  'Habari {{customer_name}},\nAnkara {{invoice_id}} ya {{company_name}}: {{amount}}.\n' +
  '{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}{{payment_instructions}}';

const notification = notificationFactory('WORD', { due_date: '2026-12-15' });

beforeAll(async () => {
  tenant = await createTenant(context.db, { permissions: ['send_message', 'admin'] });
});

function api(method: 'get' | 'put' | 'patch' | 'delete', path: string, key: string = tenant.apiKey) {
  return request(context.ingress.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${key}`);
}

async function sentText(
  body: Record<string, unknown>,
  instanceId: string = tenant.instance.id,
): Promise<string> {
  const response = await request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${instanceId}`)
    .set('Authorization', `Bearer ${tenant.apiKey}`)
    .send(body);
  expect(response.status).toBe(200);
  const message = await context.db.messages.queries.findById(response.body.message_id);
  return message!.body!;
}

describe('Account wording: texts of your own, per language', () => {
  it('When an account has saved nothing, then it reads empty fields and no texts', async () => {
    const fresh = await createTenant(context.db, { permissions: ['admin'] });
    const response = await api('get', '/templates', fresh.apiKey);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ company_name: '', payment_instructions: '', data: [] });
  });

  it('When a Swahili text with a paybill is saved, then notifications asking for Swahili are written in it, amounts and dates as Swahili writes them', async () => {
    const fields = await api('patch', '/templates').send({
      company_name: 'Mawingu Net',
      payment_instructions: 'Lipa kwa M-Pesa: Paybill 247247, akaunti {{invoice}}',
    });
    expect(fields.status).toBe(200);
    expect(fields.body).toMatchObject({ company_name: 'Mawingu Net' });

    const saved = await api('put', '/templates/invoice/SW-ke').send({ text: SWAHILI_INVOICE });
    expect(saved.status).toBe(201);
    expect(saved.body).toEqual({
      message_type: 'invoice',
      language: 'sw-KE',
      instance_id: null,
      text: SWAHILI_INVOICE,
      updated_at: expect.any(String),
    });

    const body = notification({ customer_name: 'Amina Njeri', language: 'sw' });
    expect(await sentText(body)).toBe(
      `Habari Amina Njeri,\nAnkara ${String(body.invoice_id)} ya Mawingu Net: KES\u00a01,500.00.\n` +
        'Tarehe ya mwisho: 15 Desemba 2026\nLipa kwa M-Pesa: Paybill 247247, akaunti {{invoice}}',
    );
  });

  it("When a notification names no language, or one the account has no text in, then it gets the guide's English text", async () => {
    const english = await sentText(notification());
    expect(english.startsWith('New Invoice Generated\n\nDear John Doe,')).toBe(true);
    expect((await sentText(notification({ language: 'fr' }))).startsWith('New Invoice Generated')).toBe(true);
  });

  it("When the instance's default language is Swahili, then notifications without a language are written in Swahili", async () => {
    const own = await createTenant(context.db, { permissions: ['send_message', 'admin'] });
    const saved = await api('put', '/templates/overdue/sw', own.apiKey).send({ text: 'Deni: {{amount}}' });
    expect(saved.status).toBe(201);
    const patched = await api('patch', `/instances/${own.instance.id}`, own.apiKey).send({
      default_language: 'SW',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.default_language).toBe('sw');

    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${own.instance.id}`)
      .set('Authorization', `Bearer ${own.apiKey}`)
      .send(notification({ message_type: 'overdue' }));
    expect(response.status).toBe(200);
    const message = await context.db.messages.queries.findById(response.body.message_id);
    expect(message?.body).toBe('Deni: KES\u00a01,500.00');
  });

  it("When an instance has its own text, then it is used for that instance's notifications instead of the account's", async () => {
    const own = await createTenant(context.db, { permissions: ['send_message', 'admin'] });
    await api('put', '/templates/confirmation/en', own.apiKey).send({ text: 'Account-wide thanks' });
    const override = await api(
      'put',
      `/templates/confirmation/en?instance_id=${own.instance.id}`,
      own.apiKey,
    ).send({ text: 'Thanks from this branch' });
    expect(override.status).toBe(201);
    expect(override.body.instance_id).toBe(own.instance.id);

    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${own.instance.id}`)
      .set('Authorization', `Bearer ${own.apiKey}`)
      .send(notification({ message_type: 'confirmation', language: 'en-GB' }));
    expect((await context.db.messages.queries.findById(response.body.message_id))?.body).toBe(
      'Thanks from this branch',
    );
    expect((await api('get', '/templates', own.apiKey)).body.data).toHaveLength(2);
  });

  it('When a text is saved again, then it is replaced (200) and the next notification uses the new one', async () => {
    await api('put', '/templates/payment_reminder/fr').send({ text: 'Rappel : {{amount}}' });
    const replaced = await api('put', '/templates/payment_reminder/fr').send({ text: 'Rappel: {{amount}}' });
    expect(replaced.status).toBe(200);
    expect(await sentText(notification({ message_type: 'payment_reminder', language: 'fr' }))).toBe(
      'Rappel: 1\u202f500,00\u00a0KES',
    );
  });

  it('When a text is deleted, then it answers 204, the next notification falls back to English, and deleting it again is 404', async () => {
    await api('put', '/templates/payment_reminder/de').send({ text: 'Erinnerung: {{amount}}' });
    expect((await api('delete', '/templates/payment_reminder/de')).status).toBe(204);
    expect(
      (await sentText(notification({ message_type: 'payment_reminder', language: 'de' }))).startsWith(
        'Payment Due Reminder',
      ),
    ).toBe(true);
    const again = await api('delete', '/templates/payment_reminder/de');
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject(problem('not_found', expect.any(String)));
  });
});

describe('Account wording: what is refused', () => {
  it.each([
    [
      'an unknown placeholder',
      '{{customer}} owes {{amount}}',
      /\{\{customer\}\}, which is not a placeholder/,
    ],
    [
      'a condition on something other than the due date',
      '{{#amount}}x{{/amount}}',
      /may only be conditional/,
    ],
    ['a text that renders empty', '{{#due_date}}{{/due_date}}   ', /renders an empty text/],
    ['more than 4,096 characters once rendered', `${'a'.repeat(4090)} {{amount}}`, /more than the 4096/],
    ['a control character', 'Bad \u0007 bell', /control characters/],
  ])('When a text has %s, then saving it answers 400 naming text', async (_what, text, message) => {
    const response = await api('put', '/templates/invoice/en').send({ text });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject(problem('validation_failed', expect.any(String)));
    expect(response.body.errors).toEqual([{ field: 'text', message: expect.stringMatching(message) }]);
  });

  it('When the path names an unknown message type or a malformed language, then it answers 400 naming it', async () => {
    const type = await api('put', '/templates/reminder/en').send({ text: 'x' });
    expect(type.status).toBe(400);
    expect(type.body.errors[0].field).toBe('message_type');
    const language = await api('put', '/templates/invoice/not_a_tag!').send({ text: 'x' });
    expect(language.status).toBe(400);
    expect(language.body.errors[0]).toEqual({ field: 'language', message: expect.stringMatching(/BCP 47/) });
  });

  it("When the instance_id is another account's, then it answers 404 exactly as for none", async () => {
    const other = await createTenant(context.db);
    const response = await api('put', `/templates/invoice/en?instance_id=${other.instance.id}`).send({
      text: 'Hello {{customer_name}}',
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject(problem('not_found', expect.any(String)));
  });

  it('When new payment instructions would make a saved text too long, then they are refused naming the field, and nothing changes', async () => {
    const own = await createTenant(context.db, { permissions: ['admin'] });
    const long = `${'x'.repeat(3700)} {{payment_instructions}}`;
    expect((await api('put', '/templates/invoice/en', own.apiKey).send({ text: long })).status).toBe(201);
    const response = await api('patch', '/templates', own.apiKey).send({
      payment_instructions: 'p'.repeat(500),
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'payment_instructions', message: expect.stringMatching(/invoice text in en.*4096/) },
    ]);
    expect((await api('get', '/templates', own.apiKey)).body.payment_instructions).toBe('');
  });

  it('When a key without admin writes, then it answers 403; a support key may read', async () => {
    const sender = await createTenant(context.db, { permissions: ['send_message'] });
    expect((await api('put', '/templates/invoice/en', sender.apiKey).send({ text: 'Hi' })).status).toBe(403);
    expect((await api('patch', '/templates', sender.apiKey).send({ company_name: 'X' })).status).toBe(403);
    const support = await context.db.provisioning.apiKeys.create({
      accountId: tenant.accountId,
      name: 'support desk',
      permissions: ['support'],
    });
    await api('patch', '/templates').send({ company_name: 'Mawingu Net' });
    const read = await api('get', '/templates', support.secret);
    expect(read.status).toBe(200);
    expect(read.body.company_name).toBe('Mawingu Net');
  });

  it('When a notification names a malformed language, then it answers 400 naming language', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
      .set('Authorization', `Bearer ${tenant.apiKey}`)
      .send(notification({ language: '12' }));
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'language', message: expect.stringMatching(/BCP 47/) }]);
  });
});
