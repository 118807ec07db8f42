import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretsKeyRing } from '@telenexus/config';
import { mintWebhookSecret, type WebhookEndpoint } from '@telenexus/core';
import {
  openDataSource,
  SecretBox,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
  type DataSource,
} from '@telenexus/db';
import { createWebhookDeliveryWorker } from '@telenexus/dispatcher';
import { createLogger } from '@telenexus/logger';
import { BENCH_SECRETS_KEY, createBenchDatabase, ROOT } from './bench-database';
import { freePort, sleep, startProcess, waitUntilReady, type BenchProcess } from './child-process';
import { progress } from './phases';
import { machineInfo, machineLines, writeSection } from './report';
import { queueWebhookBurst } from './webhook-burst';

/*
 * `npm run bench:webhooks`: status-webhook delivery to one billing system (B) while another
 * tenant's endpoint (A) accepts connections and never answers. B's events are queued all at once,
 * behind A's, and delivered by the dispatcher's own webhook worker with the dispatcher's defaults
 * (10 POSTs in flight, 2 per endpoint, 10 s timeout, breaker after 5 failures); the same burst is
 * then delivered with no A, as the baseline. Latency is each delivery's `delivered_at − created_at`.
 * The worker runs in this process; the endpoints in a process of their own (webhook-receivers.ts).
 */

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const B_EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 1000);
const A_EVENTS = 200;
const CAP = 2;

interface Scenario {
  readonly name: string;
  readonly drainedMs: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** CPU of this process (the worker, and the claims' and records' client side) per event of B. */
  readonly workerCpuMs: number;
}

async function endpointAt(dataSource: DataSource, secrets: SecretBox, url: string): Promise<WebhookEndpoint> {
  const [account] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO accounts (name) VALUES ('bench webhooks') RETURNING id`,
  );
  return new WebhookEndpointRepository(dataSource, secrets).create({
    accountId: account!.id,
    url,
    description: null,
    secret: mintWebhookSecret(),
    events: ['message.sent'],
  });
}

/** How B's events come: all at once (a billing run's statuses), or steadily at STREAM_PER_SECOND. */
type Arrival = 'burst' | 'stream';

const STREAM_PER_SECOND = 100;
const STREAM_TICK_MS = 100;

/** Queues B's events a tick at a time, on a schedule that does not drift with the inserts' own time. */
async function streamEvents(dataSource: DataSource, endpoint: WebhookEndpoint): Promise<void> {
  const perTick = (STREAM_PER_SECOND * STREAM_TICK_MS) / 1000;
  const started = Date.now();
  for (let queued = 0, tick = 0; queued < B_EVENTS; tick += 1) {
    const count = Math.min(perTick, B_EVENTS - queued);
    await queueWebhookBurst(dataSource, endpoint, count);
    queued += count;
    await sleep(Math.max(0, started + (tick + 1) * STREAM_TICK_MS - Date.now()));
  }
}

async function deliveredCount(dataSource: DataSource, endpoint: WebhookEndpoint): Promise<number> {
  const [row] = await dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'delivered'`,
    [endpoint.id],
  );
  return row?.n ?? 0;
}

async function run(
  name: string,
  dataSource: DataSource,
  secrets: SecretBox,
  baseUrl: string,
  blackHoled: boolean,
  arrival: Arrival,
): Promise<Scenario> {
  const id = randomBytes(4).toString('hex');
  const b = await endpointAt(dataSource, secrets, `${baseUrl}/answer/${id}`);
  if (blackHoled)
    await queueWebhookBurst(
      dataSource,
      await endpointAt(dataSource, secrets, `${baseUrl}/black-hole/${id}`),
      A_EVENTS,
    );
  if (arrival === 'burst') await queueWebhookBurst(dataSource, b, B_EVENTS);
  const worker = createWebhookDeliveryWorker({
    deliveries: new WebhookDeliveryRepository(dataSource, secrets, { maxInFlightPerEndpoint: CAP }),
    logger: createLogger({ service: 'bench-webhooks', version: 'bench', level: 'warn' }),
    allowPrivateUrls: true,
    timeoutMs: 10_000,
    leaseMs: 60_000,
    pollIntervalMs: 500,
    concurrency: 10,
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    retryWindowMs: 86_400_000,
  });
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  worker.start();
  if (arrival === 'stream') await streamEvents(dataSource, b);
  while ((await deliveredCount(dataSource, b)) < B_EVENTS) {
    if (Date.now() - started > 300_000)
      throw new Error(`${name}: B's events were not delivered in 5 minutes`);
    await sleep(20);
  }
  const drainedMs = Date.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  // Percentiles as the main bench's accept→sent row takes them: in Postgres, interpolated.
  const [latency] = await dataSource.query<{ p50: number; p99: number; max: number }[]>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
       FROM (SELECT extract(epoch FROM delivered_at - created_at)::float8 * 1000 AS ms
               FROM webhook_deliveries WHERE endpoint_id = $1) delivered`,
    [b.id],
  );
  // A's POSTs end at their timeout; stopping waits for them, outside the measured window.
  await worker.stop();
  return {
    name,
    drainedMs,
    p50: Number(latency?.p50 ?? NaN),
    p99: Number(latency?.p99 ?? NaN),
    max: Number(latency?.max ?? NaN),
    workerCpuMs: (cpu.user + cpu.system) / 1000 / B_EVENTS,
  };
}

function table(scenarios: readonly Scenario[]): string {
  const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;
  return [
    `| B's ${B_EVENTS.toLocaleString('en-US')} events, queued | Delivered after | p50 | p99 | max | Worker CPU per event |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...scenarios.map(
      (scenario) =>
        `| ${scenario.name} | ${ms(scenario.drainedMs)} | ${ms(scenario.p50)} | ${ms(scenario.p99)} | ${ms(scenario.max)} | ${scenario.workerCpuMs.toFixed(2)} ms |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const writeDocs = process.argv.includes('--write-docs');
  const runId = randomBytes(4).toString('hex');
  progress(`run ${runId}: creating database, starting the endpoints`);
  const database = await createBenchDatabase(POSTGRES_URL, runId);
  let receivers: BenchProcess | undefined;
  let dataSource: DataSource | undefined;
  try {
    const port = await freePort();
    receivers = startProcess('webhook receivers', join(__dirname, 'webhook-receivers.js'), {
      PORT: String(port),
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(receivers, `${baseUrl}/answer/ready`);
    dataSource = await openDataSource({ url: database.url, applicationName: 'telenexus-bench-webhooks' });
    const secrets = new SecretBox(SecretsKeyRing.parse(BENCH_SECRETS_KEY));
    const scenarios: Scenario[] = [];
    for (const [name, blackHoled, arrival] of [
      ['at once, alone (baseline)', false, 'burst'],
      [`at once, beside A (black-holed, ${A_EVENTS} events queued first)`, true, 'burst'],
      [`${STREAM_PER_SECOND}/s, alone (baseline)`, false, 'stream'],
      [`${STREAM_PER_SECOND}/s, beside A (black-holed, ${A_EVENTS} events queued first)`, true, 'stream'],
    ] as const) {
      progress(`B's ${B_EVENTS} events, ${name}`);
      scenarios.push(await run(name, dataSource, secrets, baseUrl, blackHoled, arrival));
    }
    const [postgres] = await dataSource.query<{ server_version: string }[]>('SHOW server_version');
    const machine = machineInfo(postgres?.server_version ?? '?', '—');
    const settings =
      `Settings: the dispatcher's webhook defaults (concurrency 10, ${CAP} in flight per endpoint, ` +
      '10 s timeout, breaker after 5 failures); one worker (one dispatcher).';
    const text = `${machineLines(machine, settings)}\n\n${table(scenarios)}`;
    process.stdout.write(`\n${text}\n\n`);
    if (writeDocs) {
      const path = join(ROOT, 'docs', 'benchmarks.md');
      writeSection(path, 'webhooks', text);
      progress(`wrote the table to ${path}`);
    }
  } finally {
    await dataSource?.destroy();
    await receivers?.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
