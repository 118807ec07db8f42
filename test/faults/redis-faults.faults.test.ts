import { pause, runScenario } from './support/run-scenario';

describe('Redis failing', () => {
  it('When Redis restarts mid-run, then every accepted message is still sent once', async () => {
    const { report, violations } = await runScenario({
      name: 'Redis restarted',
      load: { count: 100, concurrency: 4, pauseMs: 40 },
      async inject(harness) {
        await pause(800);
        await harness.redis.restart(1000);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);

  it('When Redis is flushed mid-run, then the sweeper re-enqueues every stored message', async () => {
    const { report, violations } = await runScenario({
      name: 'Redis flushed',
      load: { count: 100, concurrency: 4, pauseMs: 40 },
      async inject(harness) {
        harness.sandbox.updateSettings({ latencyMs: 300 }); // sends slower than posts: a backlog to lose
        await pause(1500);
        await harness.redis.flush();
      },
      afterwards(harness) {
        const output = harness.dispatchers.map((dispatcher) => dispatcher.output()).join('\n');
        expect(output).toMatch(/re-enqueued messages whose jobs were lost/);
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);

  it('When Redis is blackholed for seconds, then sends resume after and nothing is lost', async () => {
    const { report, violations } = await runScenario({
      name: 'Redis blackholed 3 s',
      load: { count: 100, concurrency: 4, pauseMs: 40 },
      async inject(harness) {
        await pause(600);
        await harness.proxies.redis.setMode({ kind: 'blackhole' });
        await pause(3000);
        await harness.proxies.redis.setMode({ kind: 'reset' });
        await harness.proxies.redis.setMode({ kind: 'pass' });
      },
    });
    // The promises every drill keeps: nothing lost, nothing sent twice, every status true.
    expect(violations).toEqual([]);
    expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  }, 180_000);
});
