import { join } from 'node:path';
import { ROOT } from './bench-database';
import { parseOptions } from './bench-options';
import { backlogCosts, backlogRows, runSafely, settingsLine } from './bench-run';
import { compareBacklog, progress } from './phases';
import { costTable, machineInfo, machineLines, markdownTable, writeSection } from './report';

/*
 * `npm run bench:backlog`: the 1M-message backlog (or the sizes given with --backlogs): Redis
 * memory with the dispatcher stopped, then the dispatcher's drain rate with that backlog behind it,
 * each beside bare BullMQ jobs drained by a no-op worker.
 */

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), [1_000_000]);
  await runSafely(options, async (system) => {
    progress(`run ${system.runId}: creating database, seeding, starting the sandbox`);
    await system.setUp();
    const runs = [];
    for (const size of options.backlogs) {
      progress(`backlog of ${size.toLocaleString('en-US')}`);
      runs.push(await compareBacklog(system, options, size, 0));
    }
    const versions = await system.versions();
    const machine = machineInfo(versions.postgres, versions.redis);
    const table = markdownTable(backlogRows(runs));
    const settings = settingsLine(options);
    const costs = costTable(
      runs.flatMap((run) => backlogCosts(`Backlog ${run.ours.size.toLocaleString('en-US')}: send`, run)),
    );
    process.stdout.write(
      `\n${machineLines(machine, settings)}\n\n${table}\n\nWhat each send cost:\n\n${costs}\n\n`,
    );
    if (options.writeDocs) {
      const path = join(ROOT, 'docs', 'benchmarks.md');
      writeSection(path, 'backlog', `${machineLines(machine, settings)}\n\n${table}\n\n${costs}`);
      progress(`wrote the table to ${path}`);
    }
  });
}

void main();
