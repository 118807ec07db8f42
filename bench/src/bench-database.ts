import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderNotification } from '@telenexus/core';
import { openDataSource, runMigrations } from '@telenexus/db';
import { Client, Pool } from 'pg';

const run = promisify(execFile);

export const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'bin.js');

/** The run's `SECRETS_KEY`, shared by the CLI that seeds and the services that read the secrets. */
export const BENCH_SECRETS_KEY = `bench:${randomBytes(32).toString('base64')}`;

/** What the services need to reach the benchmark's own database. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** For seeding, preloading and reading results; never used by the systems under test. */
  readonly pool: Pool;
  drop(): Promise<void>;
}

/** The account, keys and instances the load is sent as. */
export interface BenchTenant {
  readonly accountId: string;
  readonly sendKey: string;
  readonly instanceIds: readonly string[];
  /** Evolution instance names, in the same order. */
  readonly evolutionNames: readonly string[];
}

function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates a database of its own (`telenexus_bench_<run id>`), applies the real migrations, and adds
 * `bare_messages`, a copy of `messages` with the same columns, defaults and indexes (no foreign
 * keys) for the bare baseline to insert into.
 */
export async function createBenchDatabase(serverUrl: string, runId: string): Promise<BenchDatabase> {
  const name = `telenexus_bench_${runId.replace(/-/g, '_')}`;
  const maintenance = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await maintenance.connect();
  try {
    await maintenance.query(`CREATE DATABASE "${name}"`);
  } finally {
    await maintenance.end();
  }
  const url = withDatabase(serverUrl, name);
  const dataSource = await openDataSource({ url, applicationName: 'telenexus-bench-migrate' });
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  const pool = new Pool({ connectionString: url, max: 4, application_name: 'telenexus-bench' });
  await pool.query('CREATE TABLE bare_messages (LIKE messages INCLUDING ALL)');
  let dropped = false;
  return {
    name,
    url,
    pool,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await pool.end().catch(() => undefined);
      const admin = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

async function cliJson(databaseUrl: string, args: readonly string[]): Promise<Record<string, string>> {
  const { stdout } = await run(process.execPath, [CLI, ...args, '--json'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'error',
      SECRETS_KEY: BENCH_SECRETS_KEY,
    },
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, string>;
}

/**
 * Seeds the tenant through the CLI, as an operator would, then turns pacing off on its instances:
 * a paced instance sends one message at a time, every 3–5 s, which is what the benchmark is not
 * measuring.
 */
export async function seedTenant(
  database: BenchDatabase,
  runId: string,
  instances: number,
): Promise<BenchTenant> {
  const account = await cliJson(database.url, ['accounts', 'create', '--name', `Bench ${runId}`]);
  const accountId = account.id!;
  const key = await cliJson(database.url, [
    'keys',
    'create',
    '--account',
    accountId,
    '--name',
    'bench',
    '--permissions',
    'send_message',
  ]);
  const instanceIds: string[] = [];
  const evolutionNames: string[] = [];
  for (let index = 0; index < instances; index += 1) {
    const evolutionName = `bench-${runId}-${index + 1}`;
    const created = await cliJson(database.url, [
      'instances',
      'create',
      '--account',
      accountId,
      '--name',
      `Bench ${index + 1}`,
      '--evolution-instance',
      evolutionName,
      '--country',
      'KE',
      '--timezone',
      'Africa/Nairobi',
    ]);
    instanceIds.push(created.id!);
    evolutionNames.push(evolutionName);
  }
  await database.pool.query(
    `UPDATE instances SET pacing_min_gap_ms = 0, pacing_jitter_ms = 0, daily_cap = NULL, connection_state = 'open'
     WHERE account_id = $1`,
    [accountId],
  );
  return { accountId, sendKey: key.key!, instanceIds, evolutionNames };
}

/**
 * Empties every message table between measurements, so each run starts from the same state, and
 * checkpoints so one run's dirty pages are not flushed during the next.
 */
export async function resetMessages(database: BenchDatabase): Promise<void> {
  await database.pool.query('TRUNCATE messages, message_events, dedupe_keys, batches, bare_messages CASCADE');
  await database.pool.query('CHECKPOINT');
}

/**
 * Inserts `count` queued outgoing messages spread over the instances, in chunks, as ingress would
 * have stored them (status `queued`, its text rendered, an expiry a week away), and returns their
 * ids in order.
 */
export async function insertQueuedMessages(
  database: BenchDatabase,
  tenant: BenchTenant,
  count: number,
  tag: string,
  onChunk: (ids: string[]) => Promise<void>,
): Promise<void> {
  const chunk = 10_000;
  const { rows: days } = await database.pool.query<{ due: string }>(
    'SELECT (current_date + 14)::text AS due',
  );
  const dueDate = days[0]!.due;
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk) - 1;
    const texts: string[] = [];
    for (let g = start; g <= end; g += 1) {
      texts.push(
        renderNotification({
          messageType: 'invoice',
          customerName: `Customer ${g}`,
          amount: '1500.00',
          currency: 'KES',
          invoiceId: `${tag}-${g}`,
          dueDate,
        }),
      );
    }
    const { rows } = await database.pool.query<{ id: string }>(
      `INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                             invoice_id, due_date, message_type, body, status, expires_at)
       SELECT $1, ($2::uuid[])[1 + g % cardinality($2::uuid[])], 'outgoing',
              '2547' || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0'), 'Customer ' || g, 1500.00, 'KES',
              $3 || '-' || g, $6::date, 'invoice', ($7::text[])[g - $4 + 1], 'queued', now() + interval '7 days'
       FROM generate_series($4::int, $5::int) AS g
       RETURNING id`,
      [tenant.accountId, tenant.instanceIds, tag, start, end, dueDate, texts],
    );
    await onChunk(rows.map((row) => row.id));
  }
}

/** Messages of the run by status. */
export async function countByStatus(database: BenchDatabase): Promise<Record<string, number>> {
  const { rows } = await database.pool.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM messages GROUP BY status',
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** Server versions for the report. */
export async function postgresVersion(database: BenchDatabase): Promise<string> {
  const { rows } = await database.pool.query<{ server_version: string }>('SHOW server_version');
  return rows[0]?.server_version ?? 'unknown';
}
