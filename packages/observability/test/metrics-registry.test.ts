import { randomUUID } from 'node:crypto';
import {
  parseSamples,
  samplesOf,
  targetLabelCollisions,
  type Sample,
} from '../../../test/support/prometheus-samples';
import {
  connectionMetrics,
  createMetricsRegistry,
  eventCounter,
  METRIC_PREFIX,
  queueMetrics,
  sendMetrics,
  type CountedQueue,
  type Registry,
} from '../src';

async function scrape(registry: Registry): Promise<Sample[]> {
  return parseSamples(await registry.metrics());
}

/** A queue as the gauges read it: a name and job counts. */
const notifications: CountedQueue = {
  name: 'notifications',
  getJobCounts: () => Promise.resolve({ waiting: 2, delayed: 1 }),
};

describe('Metrics registry', () => {
  it("When a registry is created, then Node's default process and runtime metrics keep their standard names, with no prefix", async () => {
    const names = new Set(
      (await scrape(createMetricsRegistry('ingress', '1.2.3'))).map((sample) => sample.name),
    );

    for (const standard of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_version_info',
    ]) {
      expect(names).toContain(standard);
    }
    expect([...names].filter((name) => /^telenexus_(process|nodejs)_/.test(name))).toEqual([]);
  });

  it('When scraped, then one telenexus_build_info gauge carries the version and component, and no series carries a service label or, ours, a version', async () => {
    const samples = await scrape(createMetricsRegistry('dispatcher', '1.2.3'));

    expect(samplesOf(samples, 'telenexus_build_info')).toEqual([
      { name: 'telenexus_build_info', labels: { version: '1.2.3', component: 'dispatcher' }, value: 1 },
    ]);
    expect(samples.filter((sample) => 'service' in sample.labels)).toEqual([]);
    expect(
      samples.filter(
        (sample) =>
          sample.name.startsWith(METRIC_PREFIX) &&
          sample.name !== 'telenexus_build_info' &&
          'version' in sample.labels,
      ),
    ).toEqual([]);
  });

  it('When every Telenexus measure has recorded something, then no label name is one Prometheus or its Operator sets on the target', async () => {
    const registry = createMetricsRegistry('dispatcher', '1.2.3');
    const sending = sendMetrics(registry);
    sending.recordSend('sent', randomUUID());
    sending.recordEvolutionCall('sent', 0.2);
    sending.recordPacingDelay(5);
    queueMetrics(registry, [notifications], () => Promise.resolve({ [randomUUID()]: 3 }));
    connectionMetrics(registry, () => Promise.resolve({ [randomUUID()]: 'open' }));
    eventCounter(registry, 'webhook_deliveries_total', 'Status webhook POSTs by outcome', ['outcome']).record(
      {
        outcome: 'delivered',
      },
    );

    const samples = await scrape(registry);

    for (const name of [
      'telenexus_sends_total',
      'telenexus_send_duration_seconds_count',
      'telenexus_pacing_delay_seconds_count',
      'telenexus_queue_jobs',
      'telenexus_queue_backlog',
      'telenexus_instance_backlog',
      'telenexus_instance_connection_state',
      'telenexus_webhook_deliveries_total',
    ]) {
      expect(samplesOf(samples, name).length).toBeGreaterThan(0);
    }
    expect(targetLabelCollisions(samples)).toEqual([]);
  });

  it('When sends are recorded, then they are counted per instance and outcome, and one whose message was gone counts under no instance', async () => {
    const registry = createMetricsRegistry('dispatcher', '1.2.3');
    const sending = sendMetrics(registry);
    const [first, second] = [randomUUID(), randomUUID()];
    sending.recordSend('sent', first);
    sending.recordSend('sent', first);
    sending.recordSend('retried', first);
    sending.recordSend('sent', second);
    sending.recordSend('skipped', undefined);

    const sends = samplesOf(await scrape(registry), 'telenexus_sends_total');

    expect(sends).toHaveLength(4);
    expect(sends).toEqual(
      expect.arrayContaining([
        { name: 'telenexus_sends_total', labels: { instance_id: first, outcome: 'sent' }, value: 2 },
        { name: 'telenexus_sends_total', labels: { instance_id: first, outcome: 'retried' }, value: 1 },
        { name: 'telenexus_sends_total', labels: { instance_id: second, outcome: 'sent' }, value: 1 },
        { name: 'telenexus_sends_total', labels: { outcome: 'skipped' }, value: 1 },
      ]),
    );
  });

  it('When an instance changes state between scrapes, then the gauge shows each instance once, in the state read at that scrape', async () => {
    const registry = createMetricsRegistry('dispatcher', '1.2.3');
    const [changing, steady] = [randomUUID(), randomUUID()];
    const reads = [
      { [changing]: 'open', [steady]: 'open' },
      { [changing]: 'close', [steady]: 'open' },
    ];
    connectionMetrics(registry, () => Promise.resolve(reads.shift() ?? {}));

    const before = samplesOf(await scrape(registry), 'telenexus_instance_connection_state');
    const after = samplesOf(await scrape(registry), 'telenexus_instance_connection_state');

    const byInstance = (samples: Sample[]) =>
      Object.fromEntries(
        samples.map((sample) => [sample.labels.instance_id, [sample.labels.state, sample.value]]),
      );
    expect(before).toHaveLength(2);
    expect(byInstance(before)).toEqual({ [changing]: ['open', 1], [steady]: ['open', 1] });
    expect(after).toHaveLength(2);
    expect(byInstance(after)).toEqual({ [changing]: ['close', 1], [steady]: ['open', 1] });
  });
});
