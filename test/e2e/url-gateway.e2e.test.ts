import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { useEndToEndSystem } from '../support/use-end-to-end-system';

const run = promisify(execFile);
const PHPNUXBILL_SEND = join(__dirname, 'fixtures', 'phpnuxbill-send-whatsapp.php');

/**
 * phpnuxbill as a new user sets it up: the admin copies the URL template from the instance's API
 * Integration tab, creates a `send_text` key for it, and pastes the filled URL as phpnuxbill's
 * `wa_url`; phpnuxbill's own URL filling (reimplemented in PHP, run by `php`) then sends its texts.
 */
describe('The URL gateway, as phpnuxbill uses it', () => {
  const context = useEndToEndSystem({ listening: true, tenant: { permissions: ['admin'] } });
  let scratch: string;
  let waUrl: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'telenexus-gateway-'));

    const admin = { Authorization: `Bearer ${context.tenant.apiKey}` };
    const integration = await request(context.ingress.app)
      .get(`/api/v1/instances/${context.tenant.instance.id}/integration`)
      .set(admin);
    const gatewayKey = await request(context.ingress.app)
      .post('/api/v1/api-keys')
      .set(admin)
      .send({ name: 'phpnuxbill', permissions: [integration.body.url_gateway.permission] });
    expect(gatewayKey.status).toBe(201);
    const template: string = integration.body.url_gateway.url_template;
    // The harness's public URL is not this test's listening port: the template is pointed here.
    waUrl = template
      .replace('https://api.example.test', context.baseUrl)
      .replace(integration.body.url_gateway.key_placeholder, encodeURIComponent(gatewayKey.body.key));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  /** What phpnuxbill's WhatsApp send prints: the gateway's answer. */
  async function phpnuxbillSends(phone: string, text: string, countryCode = '254'): Promise<string> {
    const textFile = join(scratch, `text-${phone}.txt`);
    writeFileSync(textFile, text);
    const { stdout } = await run('php', [PHPNUXBILL_SEND, waUrl, phone, textFile, countryCode]);
    return stdout;
  }

  it("When phpnuxbill fills wa_url with a multi-line text full of URL syntax and fetches it, then the customer's WhatsApp gets exactly that text", async () => {
    const text =
      'Hello Amina,\n' +
      'Your package "Home 10 Mbps" expires on 2026-12-31 23:59.\n' +
      'Pay KES 1,500 to Paybill 247247 & account #A-17 (50% off + free router?).\n' +
      'Asante sana! 🙏 — https://isp.example/pay?id=17&x=1';

    const printed = await phpnuxbillSends('0712345678', text);

    const answer = JSON.parse(printed) as { success: boolean; message_id: string };
    expect(answer).toEqual({ success: true, message_id: expect.any(String) });
    const sent = await context.dispatcher.waitForStatus(answer.message_id, ['sent']);
    expect(sent).toMatchObject({ messageType: 'text', phoneNumber: '254712345678', body: text });
    const deliveries = context.dispatcher.sandbox.deliveries({
      instance: context.tenant.instance.evolutionInstanceName,
    });
    expect(deliveries.map(({ number, text: delivered }) => ({ number, delivered }))).toEqual([
      { number: '254712345678', delivered: text },
    ]);
  });

  it('When phpnuxbill sends the same text again (a retried cron), then the customer gets it once', async () => {
    const text = 'Your payment of KES 2,000 was received. Thank you!';
    const first = JSON.parse(await phpnuxbillSends('254722000111', text)) as { message_id: string };
    const again = JSON.parse(await phpnuxbillSends('254722000111', text)) as {
      message_id: string;
      replayed?: boolean;
    };

    expect(again).toEqual({ success: true, message_id: first.message_id, replayed: true });
    await context.dispatcher.waitForStatus(first.message_id, ['sent']);
    const toThisNumber = context.dispatcher.sandbox
      .deliveries({ instance: context.tenant.instance.evolutionInstanceName })
      .filter(({ number }) => number === '254722000111');
    expect(toThisNumber.map(({ text: delivered }) => delivered)).toEqual([text]);
  });
});
