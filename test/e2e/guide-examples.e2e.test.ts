import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTenant, type Tenant } from '../support/test-context';
import { pythonWithRequests } from '../support/test-tools';
import { useEndToEndSystem } from '../support/use-end-to-end-system';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const GUIDE = readFileSync(join(ROOT, 'docs', 'billing-integration-guide.md'), 'utf8');

/** The guide's code block in a language, exactly as a billing developer copies it. */
function guideExample(language: 'python' | 'php' | 'javascript'): string {
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)\\n```').exec(GUIDE)?.[1];
  if (!block) throw new Error(`The guide has no ${language} example`);
  return block;
}

/** The guide's cURL commands (```bash blocks): Step 4's test, then the cURL code example. */
function guideCurlExamples(): string[] {
  return [...GUIDE.matchAll(/```bash\n([\s\S]*?)\n```/g)].map((match) => match[1]!);
}

/**
 * The only edits the guide asks for: its placeholders (each example spells them its own way), set to
 * a local URL, key and instance.
 */
function pointedAt(example: string, baseUrl: string, tenant: Tenant): string {
  return example
    .replaceAll('https://api.telenexustechnologies.com', baseUrl)
    .replaceAll('your-instance-id', tenant.instance.id)
    .replaceAll('YOUR_INSTANCE_ID', tenant.instance.id)
    .replaceAll('abc-123-def', tenant.instance.id)
    .replaceAll('your-api-key', tenant.apiKey)
    .replaceAll('YOUR_API_KEY', tenant.apiKey)
    .replaceAll('tnx_abc123xyz...', tenant.apiKey);
}

/** The Python that npm test made sure of (test/support/test-tools.ts). */
function python(): string {
  const found = pythonWithRequests();
  if (!found)
    throw new Error(
      'No python3 with the requests package: run npm test, or apt-get install -y python3-requests',
    );
  return found;
}

/**
 * The integration guide's Python, PHP and Node.js examples, run unchanged by their own interpreters
 * against a listening ingress, each for its own instance so each sends its own WhatsApp message.
 */
describe("The integration guide's code examples", () => {
  const context = useEndToEndSystem({ listening: true });
  let scratch: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'telenexus-guide-'));
  });

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  async function expectReminderSent(tenant: Tenant, printed: string): Promise<void> {
    const messageId = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(printed)?.[1];
    expect(messageId).toBeDefined();
    const message = await context.dispatcher.waitForStatus(messageId!, ['sent']);
    expect(message).toMatchObject({ instanceId: tenant.instance.id, invoiceId: 'INV-2026-001' });
    const deliveries = context.dispatcher.sandbox.deliveries({
      instance: tenant.instance.evolutionInstanceName,
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.number).toBe('254712345678');
    // The due date is the scripts' "7 days from now"; the rest is the guide's reminder, word for word.
    expect(deliveries[0]!.text).toMatch(
      new RegExp(
        '^Payment Due Reminder\\n\\nDear John Doe,\\n\\nThis is a reminder that your payment of KES 1,500\\.00 is due\\.' +
          '\\n\\nInvoice: #INV-2026-001\\nDue Date: \\d{4}-\\d{2}-\\d{2}\\n\\nPlease ignore if already paid\\.$',
      ),
    );
  }

  async function newTenant(): Promise<Tenant> {
    const tenant = await createTenant(context.db);
    context.dispatcher.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });
    return tenant;
  }

  it("When the guide's two cURL commands run, then each answers the guide's success body and Step 4's customer gets the reminder", async () => {
    const [stepFour, codeExample] = guideCurlExamples();
    expect(codeExample).toBeDefined();
    for (const [command, invoiceId] of [
      [stepFour!, 'TEST-001'],
      [codeExample!, 'INV-001'],
    ] as const) {
      const tenant = await newTenant();
      const { stdout } = await run('bash', [
        '-c',
        `${pointedAt(command, context.baseUrl, tenant)} --silent --show-error`,
      ]);
      expect(JSON.parse(stdout)).toEqual({
        success: true,
        message_id: expect.any(String),
        invoice_id: invoiceId,
      });
      if (invoiceId === 'TEST-001') {
        const message = await context.dispatcher.waitForStatus(
          (JSON.parse(stdout) as { message_id: string }).message_id,
          ['sent'],
        );
        expect(message.body).toBe(
          'Payment Due Reminder\n\nDear Test Customer,\n\nThis is a reminder that your payment of KES 100.00 is due.\n\n' +
            'Invoice: #TEST-001\n\nPlease ignore if already paid.',
        );
      }
    }
  });

  it('When the Python (requests) example runs, then it prints the message id and the customer gets the reminder', async () => {
    const tenant = await newTenant();
    const script = join(scratch, 'send.py');
    writeFileSync(script, pointedAt(guideExample('python'), context.baseUrl, tenant));
    const { stdout } = await run(python(), [script]);
    expect(stdout).toMatch(/✅ Message sent! Message ID: [0-9a-f-]{36}/);
    await expectReminderSent(tenant, stdout);
  });

  it('When the PHP example runs, then it prints the message id and the customer gets the reminder', async () => {
    const tenant = await newTenant();
    const script = join(scratch, 'send.php');
    writeFileSync(script, pointedAt(guideExample('php'), context.baseUrl, tenant));
    const { stdout } = await run('php', [script]);
    expect(stdout).toMatch(/^Message sent! ID: [0-9a-f-]{36}$/);
    await expectReminderSent(tenant, stdout);
  });

  it('When the Node.js (axios) example runs, then it prints the answer and the customer gets the reminder', async () => {
    const tenant = await newTenant();
    const script = join(scratch, 'send.js');
    writeFileSync(script, pointedAt(guideExample('javascript'), context.baseUrl, tenant));
    // The example requires axios as a billing system's project would have it installed.
    const { stdout } = await run(process.execPath, [script], {
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    });
    expect(stdout).toContain('✅ Message sent!');
    expect(stdout).toContain('success: true');
    await expectReminderSent(tenant, stdout);
  });
});
