import { BillingLoad, type LoadOptions } from './billing-load';
import { FaultHarness, type FaultHarnessOptions } from './fault-harness';
import { checkInvariants, type ScenarioReport } from './invariants';
import { recordResult } from './scenario-results';

/** `FAULTS_SCALE=large` multiplies every scenario's load by ten; CI runs the default size. */
export const SCALE = process.env.FAULTS_SCALE === 'large' ? 10 : 1;

export interface Scenario extends FaultHarnessOptions {
  readonly name: string;
  readonly load: LoadOptions;
  /** Injects the faults while the load runs; must leave things healed or heal them itself. */
  readonly inject: (harness: FaultHarness, load: BillingLoad) => Promise<void>;
  /** Checks beyond the invariants (e.g. how fast 503s came). */
  readonly afterwards?: (
    harness: FaultHarness,
    load: BillingLoad,
    report: ScenarioReport,
  ) => Promise<void> | void;
  /** How long every accepted message may take to settle once faults stop. */
  readonly settleWithinMs?: number;
}

/** What a scenario came to: its figures, and each promise it broke (none, when all held). */
export interface ScenarioOutcome {
  readonly report: ScenarioReport;
  readonly violations: readonly string[];
}

/**
 * Runs one scenario end to end — system up, load on, faults in, faults out — then checks the
 * invariants and records the figures for the reliability table. The test asserts on the outcome.
 */
export async function runScenario(scenario: Scenario): Promise<ScenarioOutcome> {
  const harness = await FaultHarness.start(scenario);
  try {
    const load = new BillingLoad(harness);
    const posting = load.post({ ...scenario.load, count: scenario.load.count * SCALE });
    await scenario.inject(harness, load);
    await posting;
    await harness.healAll();
    const { report, violations } = await checkInvariants(
      scenario.name,
      harness,
      load,
      scenario.settleWithinMs ?? 60_000,
    );
    recordResult(report);
    await scenario.afterwards?.(harness, load, report);
    return { report, violations };
  } finally {
    await harness.close();
  }
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
