import { join } from 'node:path';
import { ROOT } from './bench-database';
import { parseOptions, type BenchOptions } from './bench-options';
import { type BenchSystem } from './bench-system';
import { backlogCosts, backlogRows, runSafely, settingsLine } from './bench-run';
import { compareBacklog, compareHttp, measureAcceptToSent, progress, refusedLoads } from './phases';
import { usageBetween } from './resource-meter';
import { measureWholeSystem, WHOLE_SYSTEM_INSTANCES } from './whole-system';
import {
  costTable,
  machineInfo,
  machineLines,
  markdownTable,
  missedTargets,
  writeSection,
  type CostEntry,
  type Row,
} from './report';

/*
 * `npm run bench`: starts what it needs (its own database, Redis namespaces, the sandbox, ingress,
 * the dispatcher and the baselines as child processes), drives load from a separate process, and
 * prints one table, each figure beside a baseline measured in this same run.
 */

const MB = 1024 * 1024;

async function measure(
  system: BenchSystem,
  options: BenchOptions,
): Promise<{ rows: Row[]; costs: CostEntry[] }> {
  progress(`run ${system.runId}: creating database, seeding, starting the sandbox`);
  await system.setUp();
  const ingress = await system.startIngress();
  const bare = await system.startBare();

  progress(`single sends: ${options.connections} connections, ${options.durationSeconds} s each`);
  const single = await compareHttp(system, options, { ours: ingress, bare }, 'single');
  progress(
    `batches of ${options.batchSize}: ${options.batchConnections} connections, ${options.durationSeconds} s each`,
  );
  const batch = await compareHttp(system, options, { ours: ingress, bare }, 'batch');
  await bare.process.stop();

  progress(`accept→sent latency at ${options.lightRate} req/s for ${options.lightSeconds} s`);
  const light = await measureAcceptToSent(system, options, ingress);
  progress(`the whole system as npm start runs it: single sends, ${options.connections} connections`);
  const whole = await measureWholeSystem(system, options, ingress);
  await ingress.process.stop();

  progress(`dispatcher throughput, sandbox at 0 ms, concurrency ${options.concurrency}`);
  const fast = await compareBacklog(system, options, options.drainMessages, 0, true);
  // Enough for the warm-up and the window at the latency-bound rate (concurrency / 50 ms), and some.
  const slowSize = Math.ceil(
    (options.concurrency / 0.05) * (options.warmupSeconds + options.durationSeconds + 5) * 1.5,
  );
  progress(`dispatcher throughput, sandbox at 50 ms, concurrency ${options.concurrency}`);
  const slow = await compareBacklog(system, options, slowSize, 50, true);

  const backlogs = [];
  for (const size of options.backlogs) {
    progress(`backlog of ${size.toLocaleString('en-US')}`);
    backlogs.push(await compareBacklog(system, options, size, 0));
  }

  const conn = `${options.connections} connections`;
  const rows: Row[] = [
    {
      metric: 'Ingress single sends/s',
      note: `${conn}; baseline: bare Express, 1 INSERT + 1 BullMQ add`,
      ours: single.ours.load.okPerSecond,
      baseline: single.bare.load.okPerSecond,
      unit: '/s',
      better: 'higher',
      target: 1.0,
      digits: 0,
    },
    {
      metric: 'Whole system single sends/s',
      note: `as npm start runs it: dispatcher on, pacing on, ${WHOLE_SYSTEM_INSTANCES} instances, ${conn}; baseline: the bare route above`,
      ours: whole.okPerSecond,
      baseline: single.bare.load.okPerSecond,
      unit: '/s',
      better: 'higher',
      target: 0.7,
      digits: 0,
    },
    {
      metric: 'Ingress single send p99',
      note: conn,
      ours: single.ours.load.latencyMs.p99,
      baseline: single.bare.load.latencyMs.p99,
      unit: 'ms',
      better: 'lower',
      target: 1.0,
    },
    {
      metric: 'Ingress single send p50',
      note: conn,
      ours: single.ours.load.latencyMs.p50,
      baseline: single.bare.load.latencyMs.p50,
      unit: 'ms',
      better: 'lower',
    },
    {
      metric: `Batch items/s (${options.batchSize} per request)`,
      note: `${options.batchConnections} connections; baseline: 1 multi-row INSERT + 1 addBulk`,
      ours: batch.ours.load.okPerSecond * options.batchSize,
      baseline: batch.bare.load.okPerSecond * options.batchSize,
      unit: '/s',
      better: 'higher',
      target: 0.8,
    },
    {
      metric: `Batch request p99 (${options.batchSize} items)`,
      ours: batch.ours.load.latencyMs.p99,
      baseline: batch.bare.load.latencyMs.p99,
      unit: 'ms',
      better: 'lower',
    },
    {
      metric: 'Dispatcher sends/s, sandbox 0 ms',
      note: `pacing off, concurrency ${options.concurrency}; baseline: BullMQ worker doing nothing (reference)`,
      ours: fast.ours.drain.perSecond,
      baseline: fast.bare.drain.perSecond,
      unit: '/s',
      better: 'higher',
    },
    {
      metric: 'Dispatcher sends/s, sandbox 50 ms',
      note: `concurrency ${options.concurrency}; baseline: worker waiting 50 ms per job`,
      ours: slow.ours.drain.perSecond,
      baseline: slow.bare.drain.perSecond,
      unit: '/s',
      better: 'higher',
    },
    {
      metric: 'Dispatcher sends/s vs minimal, sandbox 0 ms',
      note: `concurrency ${options.concurrency}; baseline: minimal dispatcher, claim + POST + mark sent`,
      ours: fast.ours.drain.perSecond,
      baseline: fast.minimal?.perSecond,
      unit: '/s',
      better: 'higher',
      target: 0.8,
    },
    {
      metric: 'Dispatcher sends/s vs minimal, sandbox 50 ms',
      note: `concurrency ${options.concurrency}; baseline: minimal dispatcher`,
      ours: slow.ours.drain.perSecond,
      baseline: slow.minimal?.perSecond,
      unit: '/s',
      better: 'higher',
      target: 0.8,
    },
    {
      metric: 'Accept→sent p50',
      note: `${options.lightRate} req/s for ${options.lightSeconds} s; ${light.sent} messages`,
      ours: light.p50Ms,
      unit: 'ms',
      better: 'lower',
      digits: 1,
    },
    { metric: 'Accept→sent p99', ours: light.p99Ms, unit: 'ms', better: 'lower', digits: 1 },
    {
      metric: 'Ingress peak RSS under load',
      note: 'single and batch runs; baseline: the bare Express process',
      ours: Math.max(single.ours.peakRssBytes, batch.ours.peakRssBytes) / MB,
      baseline: Math.max(single.bare.peakRssBytes, batch.bare.peakRssBytes) / MB,
      unit: 'MB',
      better: 'lower',
    },
    {
      metric: 'Dispatcher peak RSS under load',
      note: 'drain runs; baseline: the no-op worker process',
      ours: Math.max(fast.ours.drain.peakRssBytes, slow.ours.drain.peakRssBytes) / MB,
      baseline: Math.max(fast.bare.drain.peakRssBytes, slow.bare.drain.peakRssBytes) / MB,
      unit: 'MB',
      better: 'lower',
    },
    ...backlogRows(backlogs, { perMessageFrom: backlogs[0] ?? fast }),
  ];
  const costs: CostEntry[] = [
    { measurement: 'Single send', side: 'ours', usage: single.ours.usage },
    { measurement: 'Single send', side: 'bare Express', usage: single.bare.usage },
    {
      measurement: 'Whole system single send',
      side: 'ours (ingress + dispatcher)',
      usage: whole.resources && usageBetween(whole.resources.from, whole.resources.to, whole.ok),
    },
    { measurement: `Batch item (${options.batchSize}/request)`, side: 'ours', usage: batch.ours.usage },
    {
      measurement: `Batch item (${options.batchSize}/request)`,
      side: 'bare Express',
      usage: batch.bare.usage,
    },
    ...backlogCosts('Dispatcher send, sandbox 0 ms', fast),
    { measurement: 'Dispatcher send, sandbox 0 ms', side: 'minimal dispatcher', usage: fast.minimal?.usage },
    ...backlogCosts('Dispatcher send, sandbox 50 ms', slow),
    { measurement: 'Dispatcher send, sandbox 50 ms', side: 'minimal dispatcher', usage: slow.minimal?.usage },
    ...backlogs.flatMap((run) => backlogCosts(`Backlog ${run.ours.size.toLocaleString('en-US')}: send`, run)),
  ];
  return { rows, costs };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), [10_000, 100_000]);
  await runSafely(options, async (system) => {
    const { rows, costs } = await measure(system, options);
    const versions = await system.versions();
    const machine = machineInfo(versions.postgres, versions.redis);
    const settings = settingsLine(options);
    const table = markdownTable(rows);
    const costsTable = costTable(costs);
    process.stdout.write(
      `\n${machineLines(machine, settings)}\n\n${table}\n\nWhat each item cost:\n\n${costsTable}\n\n`,
    );
    const missed = missedTargets(rows);
    process.stdout.write(missed.length > 0 ? `${missed.join('\n')}\n` : 'All targets met.\n');
    const refused = refusedLoads.map((warning) => `REFUSED: ${warning}`);
    if (refused.length > 0) process.stdout.write(`${refused.join('\n')}\n`);
    if (options.writeDocs) {
      const path = join(ROOT, 'docs', 'benchmarks.md');
      const refusals =
        refused.length > 0
          ? `\n\nRequests refused during the run (their rates count only what was accepted):\n\n${refused.map((line) => `- ${line}`).join('\n')}`
          : '';
      writeSection(path, 'results', `${machineLines(machine, settings)}\n\n${table}${refusals}`);
      writeSection(path, 'costs', costsTable);
      progress(`wrote the table to ${path}`);
    }
  });
}

void main();
