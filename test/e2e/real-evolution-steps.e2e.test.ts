import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
} from '@telenexus/evolution-sandbox';
import {
  killIfRunning,
  scratchDatabase,
  startDetached,
  type DetachedProcess,
} from '../support/detached-process';
import { freePort } from '../support/free-port';
import { CLI_ENTRY_POINT } from '../support/service-process';
import { TEST_REDIS_URL } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const ROOT = join(__dirname, '..', '..');
const SECTION = '## Sending with a real Evolution API';
const GLOBAL_KEY = 'stand-in-global-key';
const run = promisify(execFile);

/** The section's ```bash blocks, in the order a reader meets them. */
function readmeSteps(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(SECTION);
  const end = readme.indexOf('\n## ', start + SECTION.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]!.trimEnd());
}

/** A README command as it runs here: our built CLI for npm/npx, and the README's placeholders filled. */
function asRunHere(command: string, values: Readonly<Record<string, string>>): string {
  let text = command
    .replaceAll('npm start', `exec "${process.execPath}" "${CLI_ENTRY_POINT}" start`)
    .replaceAll('npx telenexus', `"${process.execPath}" "${CLI_ENTRY_POINT}"`);
  for (const [placeholder, value] of Object.entries(values)) text = text.replaceAll(placeholder, value);
  const unfilled = /<[a-z][a-z ]*>/i.exec(text);
  if (unfilled) throw new Error(`The README step still holds ${unfilled[0]}:\n${text}`);
  return text;
}

/**
 * A newcomer with a real Evolution follows the README's "Sending with a real Evolution API" steps in
 * order, on an empty database, against a stand-in Evolution whose paired instance `billing01` must
 * stay untouched until the newcomer links it.
 */
describe('The README steps for a real Evolution API', () => {
  const database = scratchDatabase('telenexus_real');
  const scratch = mkdtempSync(join(tmpdir(), 'telenexus-readme-'));
  let standIn: EvolutionSandbox;
  let standInServer: SandboxServer;
  let start: DetachedProcess | undefined;

  beforeAll(async () => {
    // A real Evolution answers 404 for unknown instances and creates nothing by itself.
    standIn = createEvolutionSandbox({
      globalApiKey: GLOBAL_KEY,
      serverAckMs: null,
      deliveryAckMs: null,
      readMs: null,
    });
    standIn.createInstance({ name: 'billing01', state: 'open' });
    standIn.createInstance({ name: 'sales', state: 'close' });
    standInServer = await standIn.listen(0);
  });

  afterAll(async () => {
    // The CLI leads its own process group, so a failed run cannot leave its services behind.
    killIfRunning(start);
    await standIn.close();
    rmSync(scratch, { recursive: true, force: true });
    await database.drop();
  });

  it('When the steps run in order, then each succeeds and billing01 is touched only by the step that links it', async () => {
    const steps = readmeSteps();
    expect(steps).toHaveLength(3);
    const [startStep, linkStep, sendStep] = steps as [string, string, string];
    const [port, healthPort] = [await freePort(), await freePort()];
    const environment = {
      PATH: process.env.PATH,
      HOME: scratch,
      // The README's `.env` is written to this scratch folder, not to the project this test runs in.
      ENV_FILE: join(scratch, '.env'),
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `real-${randomUUID().slice(0, 8)}`,
      PORT: String(port),
      HEALTH_PORT: String(healthPort),
      // Free ports for /metrics: other tests run services beside this one.
      METRICS_PORT: '0',
      CONNECTION_POLL_INTERVAL_MS: '0',
    };
    const values = {
      'https://evolution.example.com': standInServer.url,
      '<global key>': GLOBAL_KEY,
    };

    // Step 2: `.env`, then `npm start`.
    start = startDetached('bash', ['-c', asRunHere(startStep, values)], environment, scratch);
    const { exited } = start;
    await waitFor(() => start!.output().includes('Press Ctrl+C to stop.'), 'the start banner', 30_000);
    const output = start.output();

    expect(output).toContain('Nothing was changed on your Evolution API.');
    expect(output).not.toContain('demo');
    expect(standIn.listInstances().map((instance) => [instance.name, instance.webhook])).toEqual([
      ['billing01', null],
      ['sales', null],
    ]);
    expect(standIn.deliveries()).toEqual([]);
    const accountId = /Account ID: +(\S+)/.exec(output)?.[1];
    const apiKey = /API key \(shown only now; store it\): (tnx_\S+)/.exec(output)?.[1];
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(apiKey).toBeDefined();
    // The printed next step names the paired instance and is ready to paste.
    expect(output).toContain(
      `npx telenexus instances create --account ${accountId!} --name "Billing" --evolution-instance billing01`,
    );
    expect(output).toContain("Evolution's instances: billing01 (open), sales (close)");

    // Step 3: link billing01, which points its webhook at us.
    const linked = await run('bash', ['-c', asRunHere(linkStep, { '<account id>': accountId! })], {
      cwd: scratch,
      env: environment,
    });
    const instanceId = /Instance created: ([0-9a-f-]{36})/.exec(linked.stdout)?.[1];
    expect(instanceId).toBeDefined();
    expect(linked.stderr).toContain("Evolution's webhook points at Telenexus");
    const billing01 = standIn.listInstances().find((instance) => instance.name === 'billing01');
    expect(billing01?.webhook?.url).toMatch(
      new RegExp(`^http://localhost:${port}/api/v1/webhooks/evolution/${instanceId!}/`),
    );
    expect(standIn.listInstances().find((instance) => instance.name === 'sales')?.webhook).toBeNull();

    // Step 4: the guide's test notification reaches the customer, word for word.
    const sent = await run(
      'bash',
      [
        '-c',
        `${asRunHere(sendStep, {
          'http://localhost:8080': `http://localhost:${port}`,
          '<instance id>': instanceId!,
          '<API key>': apiKey!,
        })} --silent --show-error`,
      ],
      { cwd: scratch, env: environment },
    );
    expect(JSON.parse(sent.stdout)).toEqual({
      success: true,
      message_id: expect.any(String),
      invoice_id: 'TEST-001',
    });
    const deliveries = await waitFor(
      () => (standIn.deliveries().length > 0 ? standIn.deliveries() : undefined),
      'the stand-in Evolution to receive the message',
    );
    expect(deliveries).toEqual([
      expect.objectContaining({
        instance: 'billing01',
        number: '254712345678',
        text:
          'Payment Due Reminder\n\nDear Test Customer,\n\nThis is a reminder that your payment of KES 100.00 is due.\n\n' +
          'Invoice: #TEST-001\n\nPlease ignore if already paid.',
      }),
    ]);

    start.signal('SIGINT');
    expect(await exited).toBe(0);
    expect(start.output()).not.toMatch(/\n\s+at .*\(/); // no stack trace anywhere
  }, 90_000);
});
