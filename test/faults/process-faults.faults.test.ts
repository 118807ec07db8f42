import { pause, runScenario } from './support/run-scenario';

describe('Dispatcher processes dying', () => {
  it('When dispatchers are killed with SIGKILL several times during a run, then nothing is lost or sent twice', async () => {
    const { report, violations } = await runScenario({
      name: 'dispatcher kill -9 ×3',
      // Jobs a lost connection or a dead process held wait for BullMQ's stall detection (up to a minute).
      settleWithinMs: 120_000,
      dispatchers: 2,
      load: { count: 120, concurrency: 4, pauseMs: 40 },
      async inject(harness) {
        harness.sandbox.updateSettings({ latencyMs: 100 }); // so kills land mid-send too
        for (let round = 0; round < 3; round += 1) {
          await pause(700);
          await harness.killDispatcher(harness.dispatchers[0]!);
          await harness.startDispatcher();
        }
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
    expect(report.accepted).toBe(report.requests);
  }, 180_000);

  it('When a dispatcher gets SIGTERM under load, then its in-flight sends finish and nothing is lost', async () => {
    const { report, violations } = await runScenario({
      name: 'dispatcher SIGTERM under load',
      dispatchers: 2,
      environment: { DISPATCHER_CONCURRENCY: '8' },
      load: { count: 120, concurrency: 4, pauseMs: 30 },
      async inject(harness) {
        harness.sandbox.updateSettings({ latencyMs: 150 });
        await pause(1200);
        const leaving = harness.dispatchers[0]!;
        leaving.signal('SIGTERM');
        expect(await leaving.exited).toBe(0);
        harness.dispatchers.splice(harness.dispatchers.indexOf(leaving), 1);
        await harness.startDispatcher();
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);
});
