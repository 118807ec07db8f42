import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ScenarioReport } from './invariants';

/** Where a fault run collects its rows; printed as a table and written to docs/reliability.md after. */
export const RESULTS_FILE = join(__dirname, '..', '..', '..', 'artifacts', 'faults', 'results.jsonl');

export function clearResults(): void {
  rmSync(RESULTS_FILE, { force: true });
}

export function recordResult(report: ScenarioReport): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  appendFileSync(RESULTS_FILE, `${JSON.stringify(report)}\n`);
}

export function readResults(): ScenarioReport[] {
  if (!existsSync(RESULTS_FILE)) return [];
  return readFileSync(RESULTS_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ScenarioReport);
}

/** The reliability table, in Markdown. */
export function resultsTable(reports: readonly ScenarioReport[]): string {
  const header =
    '| Scenario | Requests | Accepted | Refused | Sent once | Lost | Duplicates | Ambiguous, confirmed | ' +
    'Unconfirmed | Still unknown | Held | Failed | Time to drain |';
  const rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const rows = reports.map(
    (report) =>
      `| ${report.scenario} | ${report.requests} | ${report.accepted} | ${report.refused} | ${report.sent} | ${report.lost} | ` +
      `${report.duplicates} | ${report.confirmed} | ${report.unconfirmed} | ${report.unknown} | ${report.held} | ` +
      `${report.failed} | ${(report.drainMs / 1000).toFixed(1)} s |`,
  );
  return [header, rule, ...rows].join('\n');
}
