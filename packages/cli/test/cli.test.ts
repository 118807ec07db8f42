import { hashApiKey } from '../../core/src';
import { TEST_DATABASE_URL } from '../../../test/support/test-database';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { loadCliConfig } from '../src/cli-config';
import { TEST_SECRETS_KEY } from '../../../test/support/test-secrets';
import { runCaptured, type CapturedRun } from './captured-cli';

function cli(argv: string[], environment: Record<string, string> = {}): Promise<CapturedRun> {
  return runCaptured(argv, {
    DATABASE_URL: TEST_DATABASE_URL,
    SECRETS_KEY: TEST_SECRETS_KEY,
    ...environment,
  });
}

const context = useTestDatabase();

describe('telenexus CLI', () => {
  it('When an account, a key and an instance are created with --json, then each prints one JSON object', async () => {
    const account = await cli(['accounts', 'create', '--name', 'Kisumu Fibre', '--json']);
    expect(account.code).toBe(0);
    const { id: accountId, admin_key: adminKey } = JSON.parse(account.stdout) as {
      id: string;
      admin_key: string;
    };
    expect(await context.db.accounts.findById(accountId)).toMatchObject({ name: 'Kisumu Fibre' });
    expect(adminKey).toMatch(/^tnx_[A-Za-z0-9_-]{43}$/);
    const [adminRow] = await context.db.apiKeys.listForAccount(accountId);
    expect(adminRow).toMatchObject({ permissions: ['admin'], name: 'Admin' });

    const key = await cli([
      'keys',
      'create',
      '--account',
      accountId,
      '--name',
      'WISPMAN',
      '--permissions',
      'send_message,receive_message',
      '--json',
    ]);
    expect(key.code).toBe(0);
    const created = JSON.parse(key.stdout) as { id: string; key: string };
    expect(Object.keys(created).sort()).toEqual(['id', 'key']);
    expect(created.key).toMatch(/^tnx_[A-Za-z0-9_-]{43}$/);
    const rows: { key_hash: Buffer; permissions: string[] }[] = await context.db.dataSource.query(
      'SELECT key_hash, permissions FROM api_keys WHERE id = $1',
      [created.id],
    );
    expect(rows[0]?.key_hash.equals(hashApiKey(created.key))).toBe(true);
    expect(rows[0]?.permissions).toEqual(['send_message', 'receive_message']);

    const instance = await cli([
      'instances',
      'create',
      '--account',
      accountId,
      '--name',
      'Billing',
      '--evolution-instance',
      `kisumu-${Date.now()}`,
      '--country',
      'KE',
      '--timezone',
      'Africa/Nairobi',
      '--json',
    ]);
    expect(instance.code).toBe(0);
    const { id: instanceId } = JSON.parse(instance.stdout) as { id: string };
    expect(await context.db.instances.findById(instanceId)).toMatchObject({
      accountId,
      country: 'KE',
      timezone: 'Africa/Nairobi',
    });
  });

  it('When a key is created without --json, then the key is printed once on stdout with a warning on stderr', async () => {
    const { id } = JSON.parse((await cli(['accounts', 'create', '--name', 'Plain', '--json'])).stdout) as {
      id: string;
    };
    const key = await cli(['keys', 'create', '--account', id, '--name', 'plain']);
    expect(key.code).toBe(0);
    expect(key.stdout.trim()).toMatch(/^tnx_[A-Za-z0-9_-]{43}$/);
    expect(key.stderr).toMatch(/cannot be shown again/);
  });

  it.each([
    [['accounts', 'create']],
    [['accounts', 'create', '--name']],
    [['accounts', 'create', '--name', 'x', '--colour', 'blue']],
    [['keys', 'create', '--name', 'k']],
    [['instances', 'create', '--account', 'a', '--name', 'n']],
    [['accounts', 'delete']],
    [['launch']],
    [[]],
  ])('When the arguments are %j, then it prints the usage and exits 2', async (argv) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: telenexus <command> [options]');
    expect(result.stdout).toBe('');
  });

  it('When a permission is unknown, then it says which and exits 1', async () => {
    const { id } = JSON.parse((await cli(['accounts', 'create', '--name', 'Perm', '--json'])).stdout) as {
      id: string;
    };
    const result = await cli([
      'keys',
      'create',
      '--account',
      id,
      '--name',
      'k',
      '--permissions',
      'send_message,send_sms',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error: permissions: unknown permission send_sms; use send_message, receive_message, admin, support or send_text\n',
    );
  });

  it('When the account does not exist, then it says so and exits 1', async () => {
    const result = await cli([
      'keys',
      'create',
      '--account',
      '00000000-0000-4000-8000-000000000000',
      '--name',
      'k',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: Account not found\n');
  });

  it('When the instance settings are wrong, then every problem is named', async () => {
    const { id } = JSON.parse((await cli(['accounts', 'create', '--name', 'Bad', '--json'])).stdout) as {
      id: string;
    };
    const result = await cli([
      'instances',
      'create',
      '--account',
      id,
      '--name',
      'Billing',
      '--evolution-instance',
      'has spaces',
      '--country',
      'Kenya',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: evolution_instance_name: must be/);
  });

  it('When Postgres cannot be reached, then it says where it tried and how to start it, without a stack trace', async () => {
    const result = await cli(['accounts', 'create', '--name', 'x'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/telenexus',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Cannot reach Postgres at 127\.0\.0\.1:1 \(DATABASE_URL\)/);
    expect(result.stderr).toMatch(/pg_ctlcluster/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('When Redis cannot be reached at start, then it says where it tried and how to start it', async () => {
    const result = await cli(['start'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Cannot reach Redis at 127\.0\.0\.1:1 \(REDIS_URL\): connect ECONNREFUSED/,
    );
    expect(result.stderr).toMatch(/redis-server --daemonize yes/);
  });

  it('When the configuration is invalid, then every problem is listed', async () => {
    const result = await cli(['migrate'], { DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration:/);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).toMatch(/LOG_LEVEL/);
  });

  it('When migrate runs on an up-to-date database, then it says so', async () => {
    const result = await cli(['migrate']);
    expect(result).toMatchObject({ code: 0, stderr: 'Database schema is up to date.\n' });
  });
});

describe('telenexus CLI configuration', () => {
  it('When EVOLUTION_WEBHOOK_BASE_URL is set, then instances point Evolution at it rather than the public URL', () => {
    const config = loadCliConfig({
      PUBLIC_BASE_URL: 'https://api.example.com',
      EVOLUTION_WEBHOOK_BASE_URL: 'http://ingress:8080/',
    });
    expect(config.publicBaseUrl).toBe('https://api.example.com');
    expect(config.evolutionWebhookBaseUrl).toBe('http://ingress:8080');
  });
});
