import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import baseTeardown from '../global-teardown';
import { readResults, resultsTable } from './support/scenario-results';
import { SCALE } from './support/run-scenario';

const DOC = join(__dirname, '..', '..', 'docs', 'reliability.md');
const START = '<!-- fault-results:start -->';
const END = '<!-- fault-results:end -->';

/** Prints the reliability table and records it in docs/reliability.md between its markers. */
export default async function globalTeardown(): Promise<void> {
  await baseTeardown();
  const reports = readResults();
  if (reports.length === 0) return;
  const table = resultsTable(reports);
  process.stdout.write(`\nFault drills (scale ×${SCALE}):\n\n${table}\n\n`);
  // Only the full drill (npm run test:faults) rewrites the document; a partial run just prints.
  if (process.env.FAULTS_RECORD !== '1' || !existsSync(DOC)) return;
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = [
    START,
    `Last run: ${new Date().toISOString().slice(0, 10)}, scale ×${SCALE}, on ${machine}.`,
    '',
    table,
    END,
  ].join('\n');
  const text = readFileSync(DOC, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start >= 0 && end > start)
    writeFileSync(DOC, text.slice(0, start) + section + text.slice(end + END.length));
}
