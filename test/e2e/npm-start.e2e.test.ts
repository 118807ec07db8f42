import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  killIfRunning,
  scratchDatabase,
  startDetached,
  type DetachedProcess,
} from '../support/detached-process';
import { freePort, freePortPair } from '../support/free-port';
import { CLI_ENTRY_POINT } from '../support/service-process';
import { TEST_SECRETS_KEY } from '../support/test-secrets';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

/**
 * What a newcomer does: `npm start` on an empty database, then paste the printed cURL. Runs the
 * compiled system as child processes, exactly as `npm start` does (after its build step).
 */
describe('npm start on an empty database', () => {
  const database = scratchDatabase('telenexus_start');
  let cli: DetachedProcess | undefined;

  afterAll(async () => {
    // The CLI leads its own process group, so a failed run cannot leave its services behind.
    killIfRunning(cli);
    await database.drop();
  });

  it('When it starts, then the cURL it prints answers 200, the sandbox gets the exact reminder, its receipts make the message read, and Ctrl+C stops everything cleanly', async () => {
    expect(existsSync(CLI_ENTRY_POINT)).toBe(true); // built by `npm install` (prepare) or `npm run build`
    const [port, healthPort, sandboxPort, metricsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePortPair(),
    ];
    cli = startDetached(
      process.execPath,
      [CLI_ENTRY_POINT, 'start'],
      {
        PATH: process.env.PATH,
        // Only what the test says: never the developer's own .env.
        ENV_FILE: '/dev/null',
        SECRETS_KEY: TEST_SECRETS_KEY,
        DATABASE_URL: database.url,
        REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: `start-${randomUUID().slice(0, 8)}`,
        PORT: String(port),
        HEALTH_PORT: String(healthPort),
        SANDBOX_PORT: String(sandboxPort),
        METRICS_PORT: String(metricsPort),
        CONNECTION_POLL_INTERVAL_MS: '0',
      },
      ROOT,
    );
    const { exited } = cli;
    const output = (): string => cli!.output();

    await waitFor(() => output().includes('Press Ctrl+C to stop.'), 'the start banner', 30_000);

    const curl = /curl -X POST [\s\S]*?\n {2}\}'/.exec(output())?.[0];
    expect(curl).toBeDefined();
    const { stdout } = await run('bash', ['-c', `${curl!} --silent --show-error`]);
    const answer = JSON.parse(stdout) as { success: boolean; message_id: string; invoice_id: string };
    expect(answer).toEqual({ success: true, message_id: expect.any(String), invoice_id: 'TEST-001' });

    const deliveries = await waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox/deliveries`);
      const list = (await response.json()) as { number: string; text: string }[];
      return list.length > 0 ? list : undefined;
    }, 'the sandbox to receive the message');
    expect(deliveries).toEqual([
      expect.objectContaining({
        number: '254712345678',
        text:
          'Payment Due Reminder\n\nDear Test Customer,\n\nThis is a reminder that your payment of KES 100.00 is due.\n\n' +
          'Invoice: #TEST-001\n\nPlease ignore if already paid.',
      }),
    ]);

    const apiKey = /API key \(shown only now; store it\): (tnx_\S+)/.exec(output())?.[1];
    // The sandbox's receipts reach ingress through the webhook npm start configured.
    const seen = new Set<string>();
    await waitFor(async () => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/messages/${answer.message_id}`, {
        headers: { Authorization: `Bearer ${apiKey!}` },
      });
      const body = (await response.json()) as { status: string };
      seen.add(body.status);
      return body.status === 'read';
    }, 'the message to be read');
    expect(
      [...seen].every((status) => ['queued', 'sending', 'sent', 'delivered', 'read'].includes(status)),
    ).toBe(true);

    // The banner's operator sign-in opens the queue dashboard; the demo account's admin key is a
    // tenant's and gets the login prompt.
    const signIn = /Queue dashboard sign-in for this run: (\S+) \/ (\S+)/.exec(output());
    expect(signIn).not.toBeNull();
    const queues = await fetch(`http://127.0.0.1:${port}/admin/queues/api/queues`, {
      headers: { Authorization: `Basic ${Buffer.from(`${signIn![1]}:${signIn![2]}`).toString('base64')}` },
    });
    expect(queues.status).toBe(200);
    const adminKey = /Admin key \(shown only now\): +(tnx_\S+)/.exec(output())?.[1];
    const asTenant = await fetch(`http://127.0.0.1:${port}/admin/queues/api/queues`, {
      headers: { Authorization: `Bearer ${adminKey!}` },
    });
    expect(asTenant.status).toBe(401);
    const consolePage = await fetch(/Console: +(\S+)/.exec(output())![1]!);
    expect(consolePage.status).toBe(200);

    // Metrics: on the ports the banner prints, on localhost, and not on the API port.
    const metricsLine = /Metrics: +(\S+) \(ingress\), (\S+) \(dispatcher\)/.exec(output());
    expect(metricsLine?.slice(1)).toEqual([
      `http://127.0.0.1:${metricsPort}/metrics`,
      `http://127.0.0.1:${metricsPort + 1}/metrics`,
    ]);
    for (const [url, component] of [
      [metricsLine![1]!, 'ingress'],
      [metricsLine![2]!, 'dispatcher'],
    ] as const) {
      const scraped = await fetch(url);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain(`component="${component}"`);
    }
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);

    cli.signal('SIGINT');
    expect(await exited).toBe(0);
    expect(output()).not.toMatch(/\n\s+at .*\(/); // no stack trace anywhere
  }, 60_000);
});
