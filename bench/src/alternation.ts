import type { MeasuredLoad } from './load';
import type { ResourceUsage } from './resource-meter';

/** Each side's two measurements, in the order they were taken. */
export interface Alternated<A, B> {
  readonly first: readonly [A, A];
  readonly second: readonly [B, B];
}

/**
 * Measures two sides in the order A, B, B, A. On a shared VM the machine's speed drifts by tens of
 * percent within minutes; measured A then B, a drift falls on one side only, while A B B A gives
 * both sides the same average moment, so a steady drift cancels out of their ratio.
 */
export async function measureAlternately<A, B>(
  measureFirst: (round: 1 | 2) => Promise<A>,
  measureSecond: (round: 1 | 2) => Promise<B>,
): Promise<Alternated<A, B>> {
  const first1 = await measureFirst(1);
  const second1 = await measureSecond(1);
  const second2 = await measureSecond(2);
  const first2 = await measureFirst(2);
  return { first: [first1, first2], second: [second1, second2] };
}

/** Per-item costs of several stretches as one: each weighted by the items it measured. */
export function combinedUsage(
  parts: readonly { readonly usage: ResourceUsage; readonly items: number }[],
): ResourceUsage {
  const items = parts.reduce((sum, part) => sum + part.items, 0);
  const weighted = (of: (usage: ResourceUsage) => number): number =>
    items === 0 ? 0 : parts.reduce((sum, part) => sum + of(part.usage) * part.items, 0) / items;
  const groups = new Set(parts.flatMap((part) => Object.keys(part.usage.cpuMsPerItem)));
  return {
    cpuMsPerItem: Object.fromEntries(
      [...groups].map((group) => [group, weighted((usage) => usage.cpuMsPerItem[group] ?? 0)]),
    ),
    postgresTransactionsPerItem: weighted((usage) => usage.postgresTransactionsPerItem),
    redisCommandsPerItem: weighted((usage) => usage.redisCommandsPerItem),
  };
}

/**
 * Several load windows as one: counts add up and the rate is over their total time; each latency
 * percentile is the windows' own, averaged weighted by their requests (their samples are not kept,
 * so the union's percentile cannot be taken); the peak RSS is the highest. Resource readings are
 * left out: per-window costs are combined with {@link combinedUsage}.
 */
export function combinedLoads(loads: readonly MeasuredLoad[]): MeasuredLoad {
  const sum = (of: (load: MeasuredLoad) => number): number =>
    loads.reduce((total, load) => total + of(load), 0);
  const ok = sum((load) => load.ok);
  const seconds = sum((load) => load.seconds);
  const percentile = (of: (load: MeasuredLoad) => number): number =>
    ok === 0 ? 0 : Math.round(sum((load) => of(load) * load.ok) / ok);
  const statusCodes: Record<string, number> = {};
  const peakRssBytes = new Map<number, number>();
  for (const load of loads) {
    for (const [code, count] of Object.entries(load.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
    for (const [pid, bytes] of load.peakRssBytes)
      peakRssBytes.set(pid, Math.max(bytes, peakRssBytes.get(pid) ?? 0));
  }
  return {
    seconds,
    ok,
    non2xx: sum((load) => load.non2xx),
    errors: sum((load) => load.errors),
    timeouts: sum((load) => load.timeouts),
    okPerSecond: seconds === 0 ? 0 : ok / seconds,
    latencyMs: {
      p50: percentile((load) => load.latencyMs.p50),
      p90: percentile((load) => load.latencyMs.p90),
      p99: percentile((load) => load.latencyMs.p99),
      max: Math.max(...loads.map((load) => load.latencyMs.max)),
    },
    statusCodes,
    peakRssBytes,
  };
}
