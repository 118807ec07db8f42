import { join } from 'node:path';
import { ROOT } from './bench-database';
import { parseOptions } from './bench-options';
import type { BenchSystem } from './bench-system';
import { sleep } from './child-process';
import {
  measureWindow,
  PACED_GAP_MS,
  PACED_INSTANCES,
  PacedQueue,
  pacedTenant,
  type PacedWindow,
} from './paced-backlog';
import { pacedReport } from './paced-report';
import { progress } from './phases';
import { startPrivateRedis } from './private-redis';
import { machineInfo, machineLines, writeSection } from './report';

/*
 * `npm run bench:paced`: a backlog of 100,000 messages (or --backlogs N) spread over 100 paced
 * instances, 3 s apart each. It measures what the dispatcher, Postgres and Redis cost while that
 * backlog waits, against the same system idle and against the same pace with nothing behind it,
 * and how many sends per second go out. Redis is a private redis-server, so its CPU is ours alone.
 */

/** Time for every instance to reach its steady pace after the backlog is spread. */
const SETTLE_MS = 2 * PACED_GAP_MS + 1000;

/**
 * What autovacuum and the checkpointer do after a load in production, done at once: this machine's
 * Postgres may run without autovacuum (`autovacuum = off`), and a `messages` table never vacuumed
 * nor analyzed after the spread — a dead row version behind every message, in every index — is not
 * what a backlog waits in. Its cost is the load's, paid once, so it is timed here and kept out of
 * the windows.
 */
async function vacuumAfterLoad(system: BenchSystem): Promise<void> {
  const started = performance.now();
  await system.database.pool.query('VACUUM (ANALYZE) messages, message_events');
  // The pages the load dirtied are written back by the next checkpoint, within minutes of any load:
  // in a 30 s window right after it, that write-back would pass for what the backlog costs.
  await system.database.pool.query('CHECKPOINT');
  progress(`  vacuumed, analyzed and checkpointed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), [100_000]);
  const size = options.backlogs[0] ?? 100_000;
  const windowSeconds = options.quick ? 10 : 30;
  const redis = await startPrivateRedis();
  // BenchSystem reads its Redis URL when its module loads: load it only now.
  process.env.BENCH_REDIS_URL = redis.url;
  const { runSafely, settingsLine } = await import('./bench-run');
  try {
    await runSafely(options, async (system) => {
      progress(`run ${system.runId}: creating database, seeding ${PACED_INSTANCES} paced instances`);
      await system.setUp();
      const tenant = await pacedTenant(system);
      const queue = new PacedQueue(redis.url, system.namespace);
      try {
        const measure = async (label: string, fill: number): Promise<PacedWindow> => {
          await system.resetData();
          await system.resetSandbox(0);
          const dispatcher = await system.startDispatcher(options.concurrency);
          try {
            if (fill > 0) {
              progress(`  ${label}: sending ${fill.toLocaleString('en-US')} notifications through ingress`);
              const started = performance.now();
              // Only while the run is sent: the windows measure what the backlog costs as it waits.
              const ingress = await system.startIngress();
              try {
                await queue.fill(tenant, ingress, fill, `${system.runId}-paced-${fill}`);
              } finally {
                await ingress.process.stop();
              }
              await queue.waitUntilSpread(30 * 60_000);
              progress(`  accepted and spread in ${((performance.now() - started) / 1000).toFixed(0)} s`);
              await vacuumAfterLoad(system);
            }
            await sleep(fill > 0 ? SETTLE_MS : options.warmupSeconds * 1000 + 5000);
            return await measureWindow(
              system,
              label,
              { dispatcher, redisPid: redis.pid },
              queue,
              windowSeconds,
            );
          } finally {
            await dispatcher.process.stop();
          }
        };
        const idle = await measure('idle', 0);
        // Enough for every instance to keep its pace through the window, and nothing more.
        const perInstance = Math.ceil((SETTLE_MS / 1000 + windowSeconds + 10) / (PACED_GAP_MS / 1000)) + 2;
        const shallow = await measure('same pace, nothing behind', perInstance * PACED_INSTANCES);
        const deep = await measure(`${size.toLocaleString('en-US')} waiting`, size);
        const versions = await system.versions();
        const machine = machineInfo(versions.postgres, versions.redis);
        const settings = `${settingsLine(options)} ${windowSeconds} s windows; a private redis-server.`;
        const report = pacedReport({ idle, shallow, deep, size });
        process.stdout.write(`\n${machineLines(machine, settings)}\n\n${report.text}\n\n`);
        for (const line of report.missed) process.stdout.write(`${line}\n`);
        if (options.writeDocs) {
          const path = join(ROOT, 'docs', 'benchmarks.md');
          writeSection(path, 'paced', `${machineLines(machine, settings)}\n\n${report.text}`);
          progress(`wrote the table to ${path}`);
        }
      } finally {
        await queue.close();
      }
    });
  } finally {
    await redis.stop();
  }
}

void main();
