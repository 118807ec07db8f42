import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import request from 'supertest';
import { parse } from 'yaml';
import {
  bullPrefix,
  createProducerConnection,
  createWorkerConnection,
  NotificationQueue,
  QUEUE_NAMES,
  type RedisConnection,
} from '@telenexus/queue';
import { createDispatcherMetrics } from '../../services/dispatcher/src/dispatcher-metrics';
import { createOpsApp } from '../../services/dispatcher/src/ops-app';
import type { SendMessage, SendResult } from '../../services/dispatcher/src/send/send-message.use-case';
import { createWorker } from '../../services/dispatcher/src/send/send.worker';
import { createCapturedLogger } from '../support/captured-logger';
import { parseSamples, samplesOf, TARGET_LABELS } from '../support/prometheus-samples';
import { TEST_REDIS_URL } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { K8S_DIRECTORY, KUSTOMIZATIONS, render } from './support/k8s-workloads';
import { telenexusSelectors } from './support/promql';

/*
 * The figure KEDA scales dispatchers on, read the way KEDA reads it, from a real queue that holds
 * what a paced billing run leaves in Redis: jobs ready to run, jobs the dispatcher delayed to their
 * paced slot, jobs held for a disconnected number and a job delayed for a retry. Only the ready ones
 * may count: more dispatchers cannot send the others sooner.
 */

const READY = 2;
const PACED = 2;
const HELD = 1;
const RETRYING = 1;

let producer: RedisConnection;
let workerConnection: RedisConnection;
let queue: NotificationQueue;
let namespace: string;

/** KEDA's metrics-api `valueLocation` is a GJSON path; ours are plain dotted keys. */
function valueAt(body: unknown, location: string): unknown {
  return location
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], body);
}

/** The commented `prometheus` trigger's query in the base ScaledObject. */
function commentedPrometheusQuery(): string {
  const text = readFileSync(join(K8S_DIRECTORY, 'base', 'dispatcher-scaledobject.yaml'), 'utf8');
  const line = text.split('\n').find((candidate) => /^#\s+query:/.test(candidate));
  if (!line) throw new Error('dispatcher-scaledobject.yaml: no commented prometheus query');
  return (parse(line.replace(/^#\s+/, '')) as { query: string }).query;
}

beforeAll(async () => {
  namespace = `test-keda-${randomUUID().slice(0, 8)}`;
  producer = createProducerConnection(TEST_REDIS_URL);
  workerConnection = createWorkerConnection(TEST_REDIS_URL);
  queue = new NotificationQueue({ connection: producer, namespace, retry: { attempts: 3 } });

  // The dispatcher's own worker and job processor put paced and held jobs where they really go.
  const paced = Array.from({ length: PACED }, () => randomUUID());
  const held: string[] = Array.from({ length: HELD }, () => randomUUID());
  const outcome = (messageId: string): SendResult =>
    held.includes(messageId)
      ? { kind: 'held', untilMs: Date.now() + 600_000, reason: 'The WhatsApp number is disconnected' }
      : {
          kind: 'delayed',
          untilMs: Date.now() + 3_600_000,
          reservedSlotMs: Date.now() + 3_600_000,
          reason: 'paced for the instance',
        };
  const sendMessage = {
    execute: (messageId: string) => Promise.resolve(outcome(messageId)),
  } as unknown as SendMessage;
  const worker = createWorker({
    connection: workerConnection,
    namespace,
    concurrency: 4,
    backoff: { baseMs: 1000, capMs: 60_000 },
    sendMessage,
    logger: createCapturedLogger().logger,
  });
  try {
    await queue.enqueueSends([...paced, ...held]);
    await waitFor(
      async () => (await queue.queue.getJobCounts('delayed')).delayed === PACED + HELD,
      'the dispatcher to delay every paced and held job',
    );
  } finally {
    await worker.close();
  }
  // A retry (or quiet hours) waits in the same delayed set; the ready ones come last, with no worker.
  await queue.enqueueSend(randomUUID(), 60_000);
  await queue.enqueueSends(Array.from({ length: READY }, () => randomUUID()));
});

afterAll(async () => {
  await queue.close();
  const keys = await producer.keys(`${bullPrefix(namespace)}:*`);
  if (keys.length > 0) await producer.del(...keys);
  producer.disconnect();
  workerConnection.disconnect();
});

describe('The figure the dispatcher is scaled on, against a real queue', () => {
  it('When the queue holds ready, paced, held and retrying jobs, then Redis keeps all but the ready ones in the delayed set', async () => {
    const key = (suffix: string): string => `${bullPrefix(namespace)}:${QUEUE_NAMES.notifications}:${suffix}`;
    expect(await producer.llen(key('wait'))).toBe(READY);
    expect(await producer.zcard(key('delayed'))).toBe(PACED + HELD + RETRYING);
    expect(await producer.llen(key('active'))).toBe(0);
  });

  it.each(KUSTOMIZATIONS.map((name) => [name]))(
    'When KEDA reads the trigger of k8s/%s from /backlog, then it gets the ready jobs only, while `total` still shows the whole backlog',
    async (name) => {
      const [scaledObject] = render(name).filter(
        (object) => object.kind === 'ScaledObject',
      ) as unknown as IScaledObject[];
      const trigger = scaledObject?.spec.triggers.find((candidate) => candidate.type === 'metrics-api');
      const location = trigger?.metadata.valueLocation ?? '';
      const app = createOpsApp({
        readinessChecks: {},
        queues: [queue.queue],
        backlogByInstance: () => Promise.resolve({}),
      });

      const backlog = await request(app).get('/backlog');

      expect(backlog.status).toBe(200);
      expect(valueAt(backlog.body, location)).toBe(READY);
      expect(valueAt(backlog.body, 'total')).toBe(READY + PACED + HELD + RETRYING);
    },
  );

  it('When Prometheus is used instead, then the commented query reads the ready jobs only', async () => {
    const { registry } = createDispatcherMetrics({
      version: 'test',
      queues: [queue.queue],
      backlogByInstance: () => Promise.resolve({}),
      connectionStates: () => Promise.resolve({}),
    });
    const samples = parseSamples(await registry.metrics());
    const [selector] = telenexusSelectors(commentedPrometheusQuery());
    // Target labels (the namespace) are Prometheus's own; the rest must match our series.
    const matching = samplesOf(samples, selector?.metric ?? '').filter((sample) =>
      (selector?.matchers ?? []).every(
        ({ label, value }) => TARGET_LABELS.includes(label) || sample.labels[label] === value,
      ),
    );
    expect(matching.map((sample) => sample.value)).toEqual([READY]);
  });
});
