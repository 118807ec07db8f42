import { readdirSync, readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';

/** Kernel clock ticks per second (`getconf CLK_TCK`), 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

/** Who a CPU figure belongs to: given pids, or every process of a command name (Postgres' backends). */
export type CpuGroup = { readonly pids: readonly number[] } | { readonly command: string };

/** A point-in-time reading of CPU, Postgres transactions and Redis commands. */
export interface ResourceSnapshot {
  /** Per group, CPU ticks per pid: a process that starts or exits in between must not skew the sum. */
  readonly cpuTicks: ReadonlyMap<string, ReadonlyMap<number, number>>;
  readonly postgresTransactions: number;
  readonly redisCommands: number;
}

/** What a measured stretch cost, per item (a send, a queued message). */
export interface ResourceUsage {
  /** CPU milliseconds per item, by group name. */
  readonly cpuMsPerItem: Readonly<Record<string, number>>;
  /** Postgres transactions (each statement outside a transaction is one) per item. */
  readonly postgresTransactionsPerItem: number;
  /** Redis commands per item, counting those run inside Lua scripts. */
  readonly redisCommandsPerItem: number;
}

function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces, so split after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export function pidsOf(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === command) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/**
 * Reads CPU time of process groups from /proc, the database's transaction count and Redis's
 * command count, so a run can say what each item cost everyone — on a 2-core machine the sum is
 * what sets the throughput. Postgres and Redis serve other clients too: run on a quiet machine.
 */
export class ResourceMeter {
  constructor(
    private readonly groups: Readonly<Record<string, CpuGroup>>,
    private readonly pool: Pool,
    private readonly redis: Redis,
  ) {}

  async snapshot(): Promise<ResourceSnapshot> {
    const cpuTicks = new Map<string, Map<number, number>>();
    for (const [name, group] of Object.entries(this.groups)) {
      const pids = 'pids' in group ? group.pids : pidsOf(group.command);
      cpuTicks.set(name, new Map(pids.map((pid) => [pid, ticksOf(pid)])));
    }
    const [{ rows }, stats] = await Promise.all([
      this.pool.query<{ n: string }>(
        'SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()',
      ),
      this.redis.info('stats'),
    ]);
    return {
      cpuTicks,
      postgresTransactions: Number(rows[0]?.n ?? 0),
      redisCommands: Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0),
    };
  }
}

/**
 * The cost per item between two snapshots; the meter's own queries are subtracted. A process that
 * started in between counts whole; one that exited in between loses its last ticks (an undercount).
 */
export function usageBetween(from: ResourceSnapshot, to: ResourceSnapshot, items: number): ResourceUsage {
  const cpuMsPerItem: Record<string, number> = {};
  for (const [name, pids] of to.cpuTicks) {
    const before = from.cpuTicks.get(name);
    let ticks = 0;
    for (const [pid, now] of pids) ticks += Math.max(0, now - (before?.get(pid) ?? 0));
    cpuMsPerItem[name] = ((ticks / TICKS_PER_SECOND) * 1000) / items;
  }
  return {
    cpuMsPerItem,
    postgresTransactionsPerItem: Math.max(0, to.postgresTransactions - from.postgresTransactions - 1) / items,
    redisCommandsPerItem: Math.max(0, to.redisCommands - from.redisCommands - 1) / items,
  };
}
