import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../test/support/free-port';
import { HttpWebhookPoster } from '../src/status-webhooks/http-webhook-poster';
import { WebhookReceiver } from './webhook-receiver';

let receiver: WebhookReceiver;
let silent: http.Server;
let silentUrl: string;
// Patient, so a loaded machine does not turn an answer into a timeout; the timeout case has its own.
const poster = new HttpWebhookPoster({ timeoutMs: 10_000, allowPrivateUrls: true });
const impatientPoster = new HttpWebhookPoster({ timeoutMs: 300, allowPrivateUrls: true });

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  // Accepts the request and never answers.
  silent = http.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks`;
});

afterAll(async () => {
  poster.close();
  impatientPoster.close();
  await receiver.close();
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const post = (url: string, body = '{"id":"evt"}') =>
  poster.post({ url, body, headers: { 'Content-Type': 'application/json' } });

describe('HttpWebhookPoster', () => {
  it('When a body is posted, then the receiver gets exactly its bytes and the status comes back', async () => {
    const body = '{"customer_name":"Wanjikũ Njeri","amount":1500.5}';
    const result = await post(receiver.url('/exact'), body);
    expect(result).toMatchObject({ kind: 'answered', statusCode: 200, retryAfterMs: undefined });
    expect(receiver.to('/exact')[0]?.rawBody).toBe(body);
  });

  it('When the receiver redirects, then the redirect is reported, not followed', async () => {
    receiver.script('/moved', { status: 302, headers: { Location: '/elsewhere' } });
    const result = await post(receiver.url('/moved'));
    expect(result).toMatchObject({ kind: 'answered', statusCode: 302 });
    expect(receiver.to('/elsewhere')).toEqual([]);
  });

  it('When the receiver sends Retry-After, then it is read in milliseconds', async () => {
    receiver.script('/busy', { status: 503, headers: { 'Retry-After': '120' } });
    expect(await post(receiver.url('/busy'))).toMatchObject({ statusCode: 503, retryAfterMs: 120_000 });
  });

  it('When nothing listens, then the refused connection is reported', async () => {
    const port = await freePort();
    const result = await post(`http://127.0.0.1:${port}/hooks`);
    expect(result).toMatchObject({ kind: 'failed', error: `connect ECONNREFUSED 127.0.0.1:${port}` });
  });

  it('When the receiver never answers, then the POST ends at the timeout', async () => {
    const result = await impatientPoster.post({ url: silentUrl, body: '{}', headers: {} });
    expect(result).toMatchObject({ kind: 'failed', error: 'Timed out after 300 ms' });
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
  });
});
