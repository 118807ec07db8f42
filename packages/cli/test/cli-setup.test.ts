import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
} from '../../evolution-sandbox/src';
import { TEST_DATABASE_URL } from '../../../test/support/test-database';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { classifyPostgresFailure } from '../src/dependency-check';
import { TEST_SECRETS_KEY } from '../../../test/support/test-secrets';
import { runCaptured, type CapturedRun } from './captured-cli';

function cli(argv: string[], environment: Record<string, string> = {}): Promise<CapturedRun> {
  return runCaptured(argv, { SECRETS_KEY: TEST_SECRETS_KEY, ...environment });
}

async function asSuperuser(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('telenexus CLI conventions', () => {
  it.each([[['--version']], [['-v']]])(
    'When asked %j, then it prints the version on stdout and exits 0',
    async (argv) => {
      expect(await cli(argv)).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    },
  );

  it.each([[['help']], [['--help']], [['-h']]])(
    'When asked %j, then the whole usage goes to stdout and it exits 0',
    async (argv) => {
      const result = await cli(argv);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      for (const command of ['start', 'init', 'keys list', 'keys revoke', 'instances list'])
        expect(result.stdout).toContain(`\n  ${command}`);
    },
  );

  it.each([
    [['keys', 'create', '--help'], 'keys create --account ID --name NAME'],
    [['help', 'instances', 'create'], 'instances create --account ID'],
    [['keys', '--help'], 'keys revoke'],
  ])('When %j is run, then that usage goes to stdout and it exits 0', async (argv, expected) => {
    const result = await cli(argv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(expected);
  });

  it('When help names an unknown command, then it says so with the usage on stderr and exits 2', async () => {
    const result = await cli(['help', 'launch']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^Unknown command: launch\n\nUsage: telenexus/);
  });
});

describe('telenexus CLI when Postgres refuses', () => {
  it('When the role in DATABASE_URL does not exist, then it says so and how to set DATABASE_URL', async () => {
    const url = new URL(TEST_DATABASE_URL);
    url.username = `nobody_${randomUUID().slice(0, 8)}`;
    const result = await cli(['migrate'], { DATABASE_URL: url.toString() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`has no role "${url.username}" (the user in DATABASE_URL)`);
    expect(result.stderr).toContain('createuser --createdb');
    expect(result.stderr).toContain('Set DATABASE_URL in .env');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('When the role may not create the missing database, then it says so and how to create it', async () => {
    const role = `nocreatedb_${randomUUID().slice(0, 8)}`;
    await asSuperuser(`CREATE ROLE "${role}" LOGIN NOCREATEDB`);
    try {
      const url = new URL(TEST_DATABASE_URL);
      url.username = role;
      url.pathname = `/never_${randomUUID().slice(0, 8)}`;
      const result = await cli(['migrate'], { DATABASE_URL: url.toString() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`and role "${role}" may not create databases (CREATEDB)`);
      expect(result.stderr).toContain(`sudo -u postgres createdb --owner ${role}`);
    } finally {
      await asSuperuser(`DROP ROLE "${role}"`);
    }
  });

  it.each([
    [{ code: '28P01', message: 'password authentication failed for user "postgres"' }, 'password'],
    [new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), 'password'],
    [{ code: '28000', message: 'role "ops" does not exist' }, 'role'],
    [{ code: '28000', message: 'no pg_hba.conf entry for host "10.0.0.5"' }, 'host'],
    [{ code: '42501', message: 'permission denied to create database' }, 'createdb'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'unreachable'],
  ])('When Postgres answers %j, then the refusal reads as %s', (error, refusal) => {
    expect(classifyPostgresFailure(error)).toBe(refusal);
  });

  it('When Postgres wants a password DATABASE_URL lacks, then the message says so and shows the form', async () => {
    // Trust authentication here never asks for one, so the refusal is a stand-in server's.
    const { createServer } = await import('node:net');
    const server = createServer((socket) => {
      socket.once('data', () => {
        // AuthenticationCleartextPassword, then whatever comes back: ErrorResponse 28P01.
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
        socket.once('data', () => {
          const fields = Buffer.from(
            'SFATAL\0C28P01\0Mpassword authentication failed for user "postgres"\0\0',
            'latin1',
          );
          const header = Buffer.alloc(5);
          header.write('E', 0, 'latin1');
          header.writeUInt32BE(fields.length + 4, 1);
          socket.end(Buffer.concat([header, fields]));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await cli(['migrate'], {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/telenexus`,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Postgres at 127.0.0.1:${port} wants a password for role "postgres"`);
      expect(result.stderr).toContain(`DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:${port}/telenexus`);
    } finally {
      server.close();
    }
  });
});

describe('telenexus init', () => {
  const context = useTestDatabase({ isolated: true });
  let sandbox: EvolutionSandbox;
  let sandboxServer: SandboxServer;

  beforeAll(async () => {
    sandbox = createEvolutionSandbox({ globalApiKey: 'init-key', autoCreateInstances: true });
    sandboxServer = await sandbox.listen(0);
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('When it runs on an empty database against the built-in sandbox, then it prints the first keys and a demo instance once', async () => {
    const environment = {
      DATABASE_URL: context.url,
      EVOLUTION_API_URL: sandboxServer.url,
      EVOLUTION_API_KEY: 'init-key',
    };
    const first = await cli(['init'], environment);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/API key \(shown only now; store it\): tnx_/);
    expect(first.stdout).toMatch(/Instance ID: +[0-9a-f-]{36}/);
    // The demo instance's sandbox webhook points at Telenexus.
    expect(sandbox.listInstances().map((instance) => instance.name)).toEqual(['billing01']);
    expect(sandbox.listInstances()[0]?.webhook).not.toBeNull();

    const again = await cli(['init'], environment);
    expect(again).toMatchObject({ code: 0, stdout: '' });
    expect(again.stderr).toMatch(/^Already set up/);
  });
});

describe('telenexus keys list, keys revoke and instances list', () => {
  const environment = { DATABASE_URL: TEST_DATABASE_URL };

  it('When an account has keys, then they are listed without the keys themselves, and a revoked one shows as revoked', async () => {
    const account = JSON.parse(
      (await cli(['accounts', 'create', '--name', 'Listing ISP', '--json'], environment)).stdout,
    ) as { id: string; admin_key: string };
    const created = JSON.parse(
      (await cli(['keys', 'create', '--account', account.id, '--name', 'WISPMAN', '--json'], environment))
        .stdout,
    ) as { id: string; key: string };

    const listed = await cli(['keys', 'list', '--account', account.id, '--json'], environment);
    expect(listed.code).toBe(0);
    const { data } = JSON.parse(listed.stdout) as { data: { id: string; name: string; status: string }[] };
    expect(data.map((key) => [key.name, key.status]).sort()).toEqual([
      ['Admin', 'active'],
      ['WISPMAN', 'active'],
    ]);
    expect(listed.stdout).not.toContain(created.key);
    expect(listed.stdout).not.toContain(account.admin_key);

    const revoked = await cli(['keys', 'revoke', '--key', created.id, '--json'], environment);
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: created.id, status: 'revoked' });

    const table = await cli(['keys', 'list', '--account', account.id], environment);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID +NAME +KEY +PERMISSIONS +STATUS +LAST USED$/);
    expect(table.stdout).toMatch(
      new RegExp(`${created.id} +WISPMAN +tnx_\\S+…\\S{4} +send_message +revoked`),
    );
  });

  it("When the account's last admin key is revoked, then it refuses and says why", async () => {
    const account = JSON.parse(
      (await cli(['accounts', 'create', '--name', 'Last Admin', '--json'], environment)).stdout,
    ) as { id: string };
    const listed = JSON.parse(
      (await cli(['keys', 'list', '--account', account.id, '--json'], environment)).stdout,
    ) as {
      data: { id: string }[];
    };
    const result = await cli(['keys', 'revoke', '--key', listed.data[0]!.id], environment);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "Error: This is the account's last admin key; create another admin key first\n",
    );
  });

  it('When a key or an account does not exist, then it says so and exits 1', async () => {
    for (const argv of [
      ['keys', 'revoke', '--key', randomUUID()],
      ['keys', 'revoke', '--key', 'not-an-id'],
    ]) {
      expect(await cli(argv, environment)).toMatchObject({ code: 1, stderr: 'Error: API key not found\n' });
    }
    for (const argv of [
      ['keys', 'list', '--account', randomUUID()],
      ['instances', 'list', '--account', 'nope'],
    ]) {
      expect(await cli(argv, environment)).toMatchObject({ code: 1, stderr: 'Error: Account not found\n' });
    }
  });

  it('When instances are listed for an account, then each shows as the API shows it, with its account', async () => {
    const account = JSON.parse(
      (await cli(['accounts', 'create', '--name', 'Instances ISP', '--json'], environment)).stdout,
    ) as { id: string };
    const evolutionName = `list-${randomUUID().slice(0, 8)}`;
    const { id } = JSON.parse(
      (
        await cli(
          [
            'instances',
            'create',
            '--account',
            account.id,
            '--name',
            'Billing',
            '--evolution-instance',
            evolutionName,
            '--json',
          ],
          environment,
        )
      ).stdout,
    ) as { id: string };

    const listed = await cli(['instances', 'list', '--account', account.id, '--json'], environment);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      data: [
        expect.objectContaining({
          id,
          account_id: account.id,
          name: 'Billing',
          evolution_instance_name: evolutionName,
          connection_state: 'unknown',
        }),
      ],
    });
    const everyAccount = await cli(['instances', 'list'], environment);
    expect(everyAccount.stdout).toMatch(
      new RegExp(`${id} +${account.id} +Billing +${evolutionName} +unknown`),
    );
  });
});

describe('telenexus accounts update', () => {
  const environment = { DATABASE_URL: TEST_DATABASE_URL };

  it('When the policy for unconfirmed sends is set, then the account keeps it, and a wrong one is a usage error', async () => {
    const { id } = JSON.parse(
      (await cli(['accounts', 'create', '--name', 'Policy ISP', '--json'], environment)).stdout,
    ) as {
      id: string;
    };
    const updated = await cli(
      ['accounts', 'update', '--account', id, '--unconfirmed-sends', 'resend_once', '--json'],
      environment,
    );
    expect(updated).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(updated.stdout)).toEqual({ id, unconfirmed_sends: 'resend_once' });

    const wrong = await cli(
      ['accounts', 'update', '--account', id, '--unconfirmed-sends', 'twice'],
      environment,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^--unconfirmed-sends must be fail or resend_once\n/);
    const missing = await cli(
      ['accounts', 'update', '--account', randomUUID(), '--unconfirmed-sends', 'fail'],
      environment,
    );
    expect(missing).toMatchObject({ code: 1, stderr: 'Error: Account not found\n' });
  });
});
