import request from 'supertest';
import { startEndToEndSystem, type EndToEndSystem } from '../support/end-to-end-system';
import { createTenant, type Tenant } from '../support/test-context';

/**
 * An ISP writes to its customers in Swahili, with the paybill they pay to, as a new admin would set
 * it up: the account fields, a text previewed and then saved, the instance's default language; then
 * its billing system sends the guide's request unchanged, and the customer's WhatsApp gets Swahili.
 */
describe('A Swahili invoice with a paybill number', () => {
  let system: EndToEndSystem;
  let tenant: Tenant;
  const text =
    'Habari {{customer_name}},\n\nAnkara yako ya {{company_name}} ya {{amount}} iko tayari.\n' +
    'Ankara: #{{invoice_id}}\n{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}\n{{payment_instructions}}';
  // A `{{/due_date}}` alone on its line takes its line with it (Mustache's standalone tags): no blank line.
  const expected =
    'Habari Amina Njeri,\n\nAnkara yako ya Mawingu Net ya KES\u00a01,500.00 iko tayari.\n' +
    'Ankara: #INV-SW-1\nTarehe ya mwisho: 15 Desemba 2026\nLipa kwa M-Pesa: Paybill 247247';

  beforeAll(async () => {
    system = await startEndToEndSystem();
    tenant = await createTenant(system.db, { permissions: ['send_message', 'admin'] });
    system.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
  });

  afterAll(async () => {
    await system.close();
  });

  const api = () => ({ Authorization: `Bearer ${tenant.apiKey}` });

  it('When it is previewed, saved and made the default, then the preview and what the sandbox receives are the same Swahili text', async () => {
    const fields = { company_name: 'Mawingu Net', payment_instructions: 'Lipa kwa M-Pesa: Paybill 247247' };
    const sample = { customer_name: 'Amina Njeri', invoice_id: 'INV-SW-1', due_date: '2026-12-15' };
    const preview = await request(system.ingress.app)
      .post('/api/v1/templates/preview')
      .set(api())
      .send({ text, language: 'sw-KE', ...fields, sample });
    expect(preview.status).toBe(200);
    expect(preview.body.text).toBe(expected);

    expect(
      (await request(system.ingress.app).patch('/api/v1/templates').set(api()).send(fields)).status,
    ).toBe(200);
    const saved = await request(system.ingress.app)
      .put('/api/v1/templates/invoice/sw-KE')
      .set(api())
      .send({ text });
    expect(saved.status).toBe(201);
    const instance = await request(system.ingress.app)
      .patch(`/api/v1/instances/${tenant.instance.id}`)
      .set(api())
      .send({ default_language: 'sw' });
    expect(instance.body.default_language).toBe('sw');

    // The guide's request, as the billing system already sends it: no language named.
    const accepted = await request(system.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
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

    await system.dispatcher.waitForStatus(accepted.body.message_id, ['sent']);
    const deliveries = system.dispatcher.sandbox.deliveries({
      instance: tenant.instance.evolutionInstanceName,
    });
    expect(deliveries.map(({ number, text: received }) => ({ number, received }))).toEqual([
      { number: '254712345678', received: expected },
    ]);
  });
});
