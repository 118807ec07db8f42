import { Queue } from 'bullmq';
import { bullPrefix, createProducerConnection, QUEUE_NAMES } from '@telenexus/queue';
import type { BenchTenant } from './bench-database';
import type { BenchSystem, CountingWorker, HttpService } from './bench-system';
import { notificationBody } from './notification-bodies';
import { sleep } from './child-process';
import { postAcceptedWhole, progress } from './phases';
import { pidsOf, ResourceMeter, usageBetween } from './resource-meter';

/** The issue's shape: 100 paced instances, a 3 s minimum gap each, no jitter, no cap, no quiet hours. */
export const PACED_INSTANCES = 100;
export const PACED_GAP_MS = 3000;

/** The batch route's limit: notifications per request. */
const MAX_BATCH = 1000;

/** What one stretch of time cost, per second of wall time. */
export interface PacedWindow {
  readonly label: string;
  readonly seconds: number;
  readonly sendsPerSecond: number;
  /** CPU as a percentage of one core, by group: dispatcher, postgres, redis, sandbox. */
  readonly cpuPercent: Readonly<Record<string, number>>;
  readonly postgresTransactionsPerSecond: number;
  readonly redisCommandsPerSecond: number;
  /** Rows of `messages` read by sequential scans and fetched through indexes, per second. */
  readonly messageRowsReadPerSecond: number;
  /** Send jobs still delayed when the window ended: the backlog was still there. */
  readonly delayedAtEnd: number;
}

/** CPU of dispatcher, Postgres and Redis together, the figure the issue sets its target on. */
export function systemCpu(window: PacedWindow): number {
  const cpu = window.cpuPercent;
  return (cpu.dispatcher ?? 0) + (cpu.postgres ?? 0) + (cpu.redis ?? 0);
}

/**
 * Makes the tenant `count` instances: the seeded ones plus copies of the first (a new name and
 * Evolution instance each; the sandbox creates those on first use), in creation order. Copies made
 * by an earlier call are kept.
 */
export async function tenantWithInstances(system: BenchSystem, count: number): Promise<BenchTenant> {
  const { pool } = system.database;
  const tenant = system.tenant;
  const { rows: columns } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_name = 'instances' AND table_schema = current_schema()
       AND column_name NOT IN ('id', 'name', 'evolution_instance_name') AND is_generated = 'NEVER'`,
  );
  const copied = columns.map((column) => `"${column.column_name}"`).join(', ');
  await pool.query(
    `INSERT INTO instances (${copied}, name, evolution_instance_name)
     SELECT ${copied}, 'Copy ' || g, $2 || g FROM instances, generate_series($3::int, $4::int) AS g
     WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM instances taken WHERE taken.evolution_instance_name = $2 || g)`,
    [tenant.instanceIds[0], `bench-${system.runId}-`, tenant.instanceIds.length + 1, count],
  );
  const { rows } = await pool.query<{ id: string; evolution_instance_name: string }>(
    'SELECT id, evolution_instance_name FROM instances WHERE account_id = $1 ORDER BY created_at, id LIMIT $2',
    [tenant.accountId, count],
  );
  return {
    ...tenant,
    instanceIds: rows.map((row) => row.id),
    evolutionNames: rows.map((row) => row.evolution_instance_name),
  };
}

/** Makes the tenant 100 paced instances, all with the same pace (see tenantWithInstances). */
export async function pacedTenant(system: BenchSystem): Promise<BenchTenant> {
  const tenant = await tenantWithInstances(system, PACED_INSTANCES);
  await system.database.pool.query(
    `UPDATE instances SET pacing_min_gap_ms = $2, pacing_jitter_ms = 0, daily_cap = NULL,
            quiet_hours_start = NULL, quiet_hours_end = NULL, connection_state = 'open'
     WHERE account_id = $1`,
    [tenant.accountId, PACED_GAP_MS],
  );
  return tenant;
}

/** The queue ingress fills and the bench watches, on the run's namespace. */
export class PacedQueue {
  private readonly connection;
  private readonly watched: Queue;

  constructor(redisUrl: string, namespace: string) {
    this.connection = createProducerConnection(redisUrl, { commandTimeout: 60_000 });
    this.watched = new Queue(QUEUE_NAMES.notifications, {
      connection: this.connection,
      prefix: bullPrefix(namespace),
    });
  }

  /**
   * Sends `count` notifications through ingress's batch route, spread evenly over the tenant's
   * instances, as a billing run does: ingress reserves each message its pacing slot as it accepts
   * it, stores it scheduled for that slot and delays its job to it, so the dispatcher first takes
   * each job when its slot comes. Every notification must be accepted.
   */
  async fill(tenant: BenchTenant, ingress: HttpService, count: number, tag: string): Promise<void> {
    const requests: { instanceId: string; first: number; size: number }[] = [];
    const perInstance = Math.ceil(count / tenant.instanceIds.length);
    tenant.instanceIds.forEach((instanceId, position) => {
      const end = Math.min(count, (position + 1) * perInstance);
      for (let first = position * perInstance; first < end; first += MAX_BATCH) {
        requests.push({ instanceId, first, size: Math.min(MAX_BATCH, end - first) });
      }
    });
    const post = ({ instanceId, first, size }: (typeof requests)[number]): Promise<void> =>
      postAcceptedWhole(
        `${ingress.baseUrl}/api/v1/billing/send-notifications?instance_id=${instanceId}`,
        { authorization: `Bearer ${tenant.sendKey}` },
        { notifications: Array.from({ length: size }, (_, index) => notificationBody(tag, first + index)) },
        size,
      );
    // Two at a time: ingress reads two batches at once, more only wait.
    for (let start = 0; start < requests.length; start += 2) {
      await Promise.all(requests.slice(start, start + 2).map(post));
    }
  }

  /**
   * Waits until no job waits to be taken (none in the wait list): each holds its paced slot in the
   * delayed set, so the backlog is spread and now only waits. Jobs enqueued without a slot (ingress
   * leaves the reservation to the dispatcher when Redis could not reserve) are taken once first.
   */
  async waitUntilSpread(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await this.watched.getJobCounts('wait', 'prioritized');
      if ((counts.wait ?? 0) + (counts.prioritized ?? 0) === 0) return;
      if (Date.now() > deadline) throw new Error(`backlog not spread after ${timeoutMs} ms`);
      await sleep(500);
    }
  }

  async delayed(): Promise<number> {
    return (await this.watched.getJobCounts('delayed')).delayed ?? 0;
  }

  async close(): Promise<void> {
    await this.watched.close();
    this.connection.disconnect();
  }
}

/**
 * Postgres processes that work for this run: the server's own (checkpointer, WAL writer, …) and
 * the backends of the run's database, not those of other databases nor the bench's own pool.
 */
async function postgresPids(system: BenchSystem): Promise<number[]> {
  const { rows } = await system.database.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
     WHERE (datname IS NOT NULL AND datname <> current_database()) OR application_name = 'telenexus-bench'`,
  );
  const others = new Set(rows.map((row) => row.pid));
  return pidsOf('postgres').filter((pid) => !others.has(pid));
}

/**
 * Rows of `messages` read so far (Postgres's cumulative counters): what tells a statement that reads
 * the whole backlog from one that goes straight to its rows.
 */
async function messageRowsRead(system: BenchSystem): Promise<number> {
  const { rows } = await system.database.pool.query<{ n: string }>(
    `SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) AS n
     FROM pg_stat_user_tables WHERE relname = 'messages' AND schemaname = current_schema()`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Measures `seconds` of whatever the system is doing now: CPU of each process group, sends (the
 * sandbox's ledger), Postgres transactions and Redis commands, all per second.
 */
export async function measureWindow(
  system: BenchSystem,
  label: string,
  processes: { dispatcher: CountingWorker; redisPid: number },
  queue: PacedQueue,
  seconds: number,
): Promise<PacedWindow> {
  const groups = async (): Promise<ConstructorParameters<typeof ResourceMeter>[0]> => ({
    dispatcher: { pids: [processes.dispatcher.process.pid] },
    postgres: { pids: await postgresPids(system) },
    redis: { pids: [processes.redisPid] },
    sandbox: { pids: [system.sandbox.process.pid] },
  });
  const startGroups = await groups();
  const sendsBefore = await processes.dispatcher.count();
  const rowsBefore = await messageRowsRead(system);
  const from = await new ResourceMeter(startGroups, system.database.pool, system.redis).snapshot();
  const startedAt = performance.now();
  await sleep(seconds * 1000);
  const endGroups = await groups();
  // Backends started during the window count whole; ones gone by its end are missed (an undercount).
  const postgres = new Set([
    ...('pids' in startGroups.postgres! ? startGroups.postgres.pids : []),
    ...('pids' in endGroups.postgres! ? endGroups.postgres.pids : []),
  ]);
  const to = await new ResourceMeter(
    { ...endGroups, postgres: { pids: [...postgres] } },
    system.database.pool,
    system.redis,
  ).snapshot();
  const elapsed = (performance.now() - startedAt) / 1000;
  const sends = (await processes.dispatcher.count()) - sendsBefore;
  // Backends publish these counters about once a second: the window's edges may blur by a statement.
  const rowsRead = (await messageRowsRead(system)) - rowsBefore;
  const usage = usageBetween(from, to, 1);
  const cpuPercent = Object.fromEntries(
    Object.entries(usage.cpuMsPerItem).map(([name, ms]) => [name, ms / 10 / elapsed]),
  );
  const window: PacedWindow = {
    label,
    seconds: elapsed,
    sendsPerSecond: sends / elapsed,
    cpuPercent,
    postgresTransactionsPerSecond: usage.postgresTransactionsPerItem / elapsed,
    redisCommandsPerSecond: usage.redisCommandsPerItem / elapsed,
    messageRowsReadPerSecond: rowsRead / elapsed,
    delayedAtEnd: await queue.delayed(),
  };
  progress(
    `  ${label}: ${window.sendsPerSecond.toFixed(1)} sends/s, dispatcher + Postgres + Redis ` +
      `${systemCpu(window).toFixed(2)} % of a core (${Object.entries(cpuPercent)
        .map(([name, value]) => `${name} ${value.toFixed(2)}`)
        .join(', ')}), ${window.delayedAtEnd} still delayed`,
  );
  return window;
}
