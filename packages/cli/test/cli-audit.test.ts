import type { AuditEvent } from '../../api-contract/src';
import { TEST_DATABASE_URL } from '../../../test/support/test-database';
import { TEST_SECRETS_KEY } from '../../../test/support/test-secrets';
import { runCaptured, type CapturedRun } from './captured-cli';

/**
 * The operator's management commands record themselves in the audit log (actor `cli`), and
 * `telenexus audit` reads the log of one account or of all.
 */

function cli(argv: string[]): Promise<CapturedRun> {
  return runCaptured(argv, { DATABASE_URL: TEST_DATABASE_URL, SECRETS_KEY: TEST_SECRETS_KEY });
}

async function json<T>(run: Promise<CapturedRun>): Promise<T> {
  const result = await run;
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as T;
}

async function newAccount(name: string): Promise<{ id: string; admin_key: string }> {
  return json(cli(['accounts', 'create', '--name', name, '--json']));
}

describe('telenexus audit', () => {
  it('When the operator manages keys and instances, then `audit --json` shows each action by the CLI, newest first, with no key in it', async () => {
    const account = await newAccount('Audited ISP');
    const key = await json<{ id: string; key: string }>(
      cli(['keys', 'create', '--account', account.id, '--name', 'WISPMAN', '--json']),
    );
    await json(cli(['keys', 'revoke', '--key', key.id, '--json']));
    const instance = await json<{ id: string }>(
      cli([
        'instances',
        'create',
        '--account',
        account.id,
        '--name',
        'Billing',
        '--evolution-instance',
        `audited-${Date.now()}`,
        '--json',
      ]),
    );

    const run = await cli(['audit', '--json', '--account', account.id]);

    expect(run.code).toBe(0);
    const { data } = JSON.parse(run.stdout) as { data: AuditEvent[] };
    const cliActor = { kind: 'cli', api_key_id: null, api_key_name: null };
    expect(data).toEqual([
      expect.objectContaining({
        action: 'instance.create',
        actor: cliActor,
        client_ip: null,
        target: { type: 'instance', id: instance.id },
        changes: { before: null, after: expect.objectContaining({ name: 'Billing' }) },
      }),
      expect.objectContaining({
        action: 'api_key.revoke',
        target: { type: 'api_key', id: key.id },
        changes: {
          before: { status: 'active', revoked_at: null },
          after: expect.objectContaining({ status: 'revoked' }),
        },
      }),
      expect.objectContaining({
        action: 'api_key.create',
        target: { type: 'api_key', id: key.id },
        changes: { before: null, after: expect.objectContaining({ name: 'WISPMAN' }) },
      }),
      expect.objectContaining({
        action: 'api_key.create',
        changes: expect.objectContaining({ after: expect.objectContaining({ name: 'Admin' }) }),
      }),
      expect.objectContaining({ action: 'account.create', target: { type: 'account', id: account.id } }),
    ]);
    expect(data.every((event) => event.account_id === account.id && event.outcome === 'succeeded')).toBe(
      true,
    );
    expect(data.every((event) => event.actor.kind === 'cli')).toBe(true);
    expect(key.key.length).toBeGreaterThan(16);
    expect(run.stdout).not.toContain(key.key);
    expect(run.stdout).not.toContain(account.admin_key);
  });

  it('When filtered by an action prefix and a limit, then only that many of those actions come back', async () => {
    const account = await newAccount('Filtered ISP');
    const first = await json<{ id: string }>(
      cli(['keys', 'create', '--account', account.id, '--name', 'one', '--json']),
    );
    const second = await json<{ id: string }>(
      cli(['keys', 'create', '--account', account.id, '--name', 'two', '--json']),
    );

    const { data } = await json<{ data: AuditEvent[] }>(
      cli(['audit', '--json', '--account', account.id, '--action', 'api_key.', '--limit', '2']),
    );

    expect(data.map((event) => event.target?.id)).toEqual([second.id, first.id]);
    const none = await json<{ data: AuditEvent[] }>(
      cli(['audit', '--json', '--account', account.id, '--since', '2999-01-01']),
    );
    expect(none.data).toEqual([]);
  });

  it("When no account is named, then the operator sees every account's events", async () => {
    const since = new Date().toISOString();
    const one = await newAccount('First of two');
    const two = await newAccount('Second of two');

    const { data } = await json<{ data: AuditEvent[] }>(
      cli(['audit', '--json', '--action', 'account.create', '--since', since, '--limit', '1000']),
    );

    const accounts = data.map((event) => event.account_id);
    expect(accounts).toEqual(expect.arrayContaining([one.id, two.id]));
  });

  it.each([
    [['--account', 'not-an-id'], '--account must be an account id (a UUID)'],
    [['--since', 'last week'], '--since must be an ISO 8601 date'],
    [['--limit', '0'], '--limit must be a whole number from 1 to 1000'],
    [['--action', 'DROP TABLE'], '--action must be an action'],
  ])('When audit is given %j, then it says what is wrong and exits 2', async (args, message) => {
    const result = await cli(['audit', '--json', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});
