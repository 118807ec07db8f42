import request from 'supertest';
import { useEndToEndSystem } from '../support/use-end-to-end-system';

/**
 * An ISP writes to its customers in Swahili, with the paybill they pay to, as a new admin would set
 * it up: the account fields, a text previewed and then saved, the instance's default language; then
 * its billing system sends the guide's request unchanged, and the customer's WhatsApp gets Swahili.
 */
describe('A Swahili invoice with a paybill number', () => {
  const context = useEndToEndSystem({ tenant: { permissions: ['send_message', 'admin'] } });
  const text =
    'Habari {{customer_name}},\n\nAnkara yako ya {{company_name}} ya {{amount}} iko tayari.\n' +
    'Ankara: #{{invoice_id}}\n{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}\n{{payment_instructions}}';
  // A `{{/due_date}}` alone on its line takes its line with it (Mustache's standalone tags): no blank line.
  const expected =
    'Habari Amina Njeri,\n\nAnkara yako ya Mawingu Net ya KES\u00a01,500.00 iko tayari.\n' +
    'Ankara: #INV-SW-1\nTarehe ya mwisho: 15 Desemba 2026\nLipa kwa M-Pesa: Paybill 247247';

  const api = () => ({ Authorization: `Bearer ${context.tenant.apiKey}` });

  it('When it is previewed, saved and made the default, then the preview and what the sandbox receives are the same Swahili text', async () => {
    const fields = { company_name: 'Mawingu Net', payment_instructions: 'Lipa kwa M-Pesa: Paybill 247247' };
    const sample = { customer_name: 'Amina Njeri', invoice_id: 'INV-SW-1', due_date: '2026-12-15' };
    const preview = await request(context.ingress.app)
      .post('/api/v1/templates/preview')
      .set(api())
      .send({ text, language: 'sw-KE', ...fields, sample });
    expect(preview.status).toBe(200);
    expect(preview.body.text).toBe(expected);

    expect(
      (await request(context.ingress.app).patch('/api/v1/templates').set(api()).send(fields)).status,
    ).toBe(200);
    const saved = await request(context.ingress.app)
      .put('/api/v1/templates/invoice/sw-KE')
      .set(api())
      .send({ text });
    expect(saved.status).toBe(201);
    const instance = await request(context.ingress.app)
      .patch(`/api/v1/instances/${context.tenant.instance.id}`)
      .set(api())
      .send({ default_language: 'sw' });
    expect(instance.body.default_language).toBe('sw');

    // The guide's request, as the billing system already sends it: no language named.
    const accepted = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
      .set(api())
      .send({
        phone_number: '254712345678',
        customer_name: 'Amina Njeri',
        amount: 1500.0,
        currency: 'KES',
        invoice_id: 'INV-SW-1',
        due_date: '2026-12-15',
        message_type: 'invoice',
      });
    expect(accepted.status).toBe(200);

    await context.dispatcher.waitForStatus(accepted.body.message_id, ['sent']);
    const deliveries = context.dispatcher.sandbox.deliveries({
      instance: context.tenant.instance.evolutionInstanceName,
    });
    expect(deliveries.map(({ number, text: received }) => ({ number, received }))).toEqual([
      { number: '254712345678', received: expected },
    ]);
  });
});
