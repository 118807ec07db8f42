import request from 'supertest';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress();
let sender: Tenant;

beforeAll(async () => {
  sender = await createTenant(context.db, { permissions: ['send_message'] });
});

const preview = (query: Record<string, string> = {}, key: string | null = sender.apiKey) => {
  const call = request(context.ingress.app).get('/api/v1/templates/preview').query(query);
  return key === null ? call : call.set('Authorization', `Bearer ${key}`);
};

/** The integration guide's "Message Templates" section, verbatim. */
const GUIDE_TEXTS = {
  payment_reminder: [
    'Payment Due Reminder',
    '',
    'Dear John Doe,',
    '',
    'This is a reminder that your payment of KES 1,500.00 is due.',
    '',
    'Invoice: #INV-001',
    'Due Date: 2026-02-15',
    '',
    'Please ignore if already paid.',
  ].join('\n'),
  invoice: [
    'New Invoice Generated',
    '',
    'Dear John Doe,',
    '',
    'A new invoice has been generated for your account.',
    '',
    'Amount: KES 1,500.00',
    'Invoice: #INV-001',
    'Due Date: 2026-02-15',
  ].join('\n'),
  overdue: [
    'Payment Overdue Notice',
    '',
    'Dear John Doe,',
    '',
    'Your account is now OVERDUE.',
    '',
    'Outstanding: KES 1,500.00',
    'Invoice: #INV-001',
    '',
    'Please settle immediately to avoid service interruption.',
  ].join('\n'),
  confirmation: [
    'Payment Received',
    '',
    'Dear John Doe,',
    '',
    'Thank you! We have received your payment.',
    '',
    'Amount: KES 1,500.00',
    'Invoice: #INV-001',
    '',
    'Your account is now up to date.',
  ].join('\n'),
};

describe('GET /api/v1/templates/preview', () => {
  it("When any key asks with no values, then the four texts are the guide's templates with its sample data", async () => {
    const response = await preview();

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: Object.entries(GUIDE_TEXTS).map(([messageType, text]) => ({ message_type: messageType, text })),
      sample: {
        customer_name: 'John Doe',
        amount: 1500,
        currency: 'KES',
        invoice_id: 'INV-001',
        due_date: '2026-02-15',
      },
    });
  });

  it('When values are given, then the texts use them, money in the currency’s digits and no Due Date line for an empty date', async () => {
    const response = await preview({
      customer_name: '  Jane Wanjiru ',
      amount: '2500.5',
      currency: 'usd',
      invoice_id: 'INV-2026-042',
      due_date: '',
    });

    expect(response.status).toBe(200);
    expect(response.body.sample).toEqual({
      customer_name: 'Jane Wanjiru',
      amount: 2500.5,
      currency: 'USD',
      invoice_id: 'INV-2026-042',
      due_date: null,
    });
    const reminder = response.body.data[0].text as string;
    expect(reminder).toBe(
      [
        'Payment Due Reminder',
        '',
        'Dear Jane Wanjiru,',
        '',
        'This is a reminder that your payment of USD 2,500.50 is due.',
        '',
        'Invoice: #INV-2026-042',
        '',
        'Please ignore if already paid.',
      ].join('\n'),
    );
    expect((await preview({ currency: 'JPY', amount: '1500' })).body.data[1].text).toContain(
      'Amount: JPY 1,500',
    );
  });

  it.each([
    [{ amount: '-5' }, 'amount: must be greater than 0'],
    [{ amount: '1500.123' }, 'amount: must have at most 2 decimal places for KES'],
    [{ currency: 'KWD', amount: '1.2345' }, 'amount: must have at most 3 decimal places for KWD'],
    [{ currency: 'XYZ' }, 'currency: must be an ISO 4217 currency code, e.g. KES, USD, EUR'],
    [{ due_date: '2026-02-30' }, 'due_date: must be a real date in ISO 8601 form, e.g. 2026-02-15'],
    [{ customer_name: '' }, 'customer_name: must not be empty'],
    [{ invoice_id: 'x'.repeat(65) }, 'invoice_id: must be at most 64 characters'],
    [{ phone_number: '254712345678' }, 'phone_number: is not a recognised field'],
  ])('When the query is %j, then it answers 400 naming the field', async (query, detail) => {
    const response = await preview(query);

    expect(response.status).toBe(400);
    expect(response.body.detail).toBe(detail);
  });

  it('When no key is sent, then it answers 401 like every API route', async () => {
    const response = await preview({}, null);

    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
  });
});

describe('POST /api/v1/templates/preview — an account template of its own', () => {
  const draft = (body: object) =>
    request(context.ingress.app)
      .post('/api/v1/templates/preview')
      .set('Authorization', `Bearer ${sender.apiKey}`)
      .send(body);

  it('When a Swahili template with a paybill is previewed, then it renders in Swahili, with and without the due-date line', async () => {
    const response = await draft({
      language: 'SW-ke',
      company_name: 'Mawingu Net',
      payment_instructions: 'Lipa kwa M-Pesa:\nPaybill 247247, akaunti {{ni ankara}}',
      text:
        'Habari {{customer_name}},\nAnkara yako ya {{company_name}} ya {{amount}} iko tayari.\n' +
        '{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}{{payment_instructions}}',
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      language: 'sw-KE',
      text:
        'Habari John Doe,\nAnkara yako ya Mawingu Net ya KES\u00a01,500.00 iko tayari.\n' +
        'Tarehe ya mwisho: 15 Februari 2026\nLipa kwa M-Pesa:\nPaybill 247247, akaunti {{ni ankara}}',
      text_without_due_date:
        'Habari John Doe,\nAnkara yako ya Mawingu Net ya KES\u00a01,500.00 iko tayari.\n' +
        'Lipa kwa M-Pesa:\nPaybill 247247, akaunti {{ni ankara}}',
    });
  });

  it('When the sample is given, then it is rendered with it, each value checked as the send endpoint checks it', async () => {
    const response = await draft({
      text: '{{customer_name}}: {{amount}} ({{invoice_id}})',
      sample: { customer_name: 'Jane', amount: 250, currency: 'usd', invoice_id: 'A-1', due_date: '' },
    });
    expect(response.body).toEqual({
      language: 'en',
      text: 'Jane: USD\u00a0250.00 (A-1)',
      text_without_due_date: 'Jane: USD\u00a0250.00 (A-1)',
    });
    const wrong = await draft({ text: 'x', sample: { amount: 10.005 } });
    expect(wrong.body.errors).toEqual([
      { field: 'sample.amount', message: 'must have at most 2 decimal places for KES' },
    ]);
  });

  it.each([
    [{ text: 'Hi {{customer}}' }, 'text', /^uses \{\{customer\}\}, which is not a placeholder/],
    [{ text: '{{#amount}}x{{/amount}}' }, 'text', /^may only be conditional on \{\{#due_date\}\}/],
    [{ text: 'Hi {{name}' }, 'text', /^is not a valid template/],
    [{ text: 'Hi', language: 'not a tag' }, 'language', /^must be a BCP 47 language tag/],
    [{ text: 'Hi\u0007' }, 'text', /^must not contain control characters other than line breaks and tabs/],
    [{ text: 'Hi', tone: 'warm' }, 'tone', /^is not a recognised field$/],
  ])('When the draft is %j, then it answers 400 naming %s', async (body, field, message) => {
    const response = await draft(body);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field, message: expect.stringMatching(message) }]);
  });
});
