import type { Worker } from 'bullmq';
import type { Message, MessageStatus } from '@telenexus/core';
import { EvolutionHttpClient } from '@telenexus/evolution';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type EvolutionSandboxOptions,
} from '@telenexus/evolution-sandbox';
import { IdempotencyKeyRepository, WebhookEndpointRepository } from '@telenexus/db';
import type { SendMetrics } from '@telenexus/observability';
import {
  createProducerConnection,
  createWorkerConnection,
  InstancePacer,
  NotificationQueue,
  type SendJobData,
} from '@telenexus/queue';
import { createCapturedLogger, type CapturedLogger } from './captured-logger';
import { uniqueQueueNamespace, type DatabaseContext } from './test-context';
import { TEST_REDIS_URL } from './test-database';
import { waitFor } from './wait-for';
import type { HeldMessageReleaser } from '../../services/dispatcher/src/connection/held-message-releaser';
import { createDispatcher, type Dispatcher } from '../../services/dispatcher/src/create-dispatcher';
import type { SendMessageStore, SendResult } from '../../services/dispatcher/src/send/send-message.use-case';
import type { OutboxSweeper } from '../../services/dispatcher/src/maintenance/outbox-sweeper';

export const SANDBOX_KEY = 'test-global-key';

/** The dispatcher wired to the real Postgres and Redis, sending to a real sandbox over HTTP. */
export interface DispatcherHarness {
  readonly sandbox: EvolutionSandbox;
  /** Where the sandbox listens. */
  readonly sandboxUrl: string;
  readonly queue: NotificationQueue;
  readonly worker: Worker<SendJobData, SendResult>;
  readonly sweeper: OutboxSweeper;
  readonly logs: CapturedLogger;
  /** The queue namespace, for a producer that should feed this dispatcher. */
  readonly namespace: string;
  /** The pacing state the workers share, to read what they reserved. */
  readonly pacer: InstancePacer;
  /** Resumes held messages of reconnected instances, as the dispatcher does every few seconds. */
  readonly releaser: HeldMessageReleaser;
  /** Starts one more worker, as another dispatcher process would run. */
  startWorker(): Worker<SendJobData, SendResult>;
  /** Waits until the message reaches one of the statuses. */
  waitForStatus(messageId: string, statuses: readonly MessageStatus[]): Promise<Message>;
  close(): Promise<void>;
}

export interface DispatcherHarnessOptions {
  /** Receipt timings and the like; by default the sandbox sends no receipts. */
  readonly sandbox?: EvolutionSandboxOptions;
  readonly maxAttempts?: number;
  readonly evolutionApiKey?: string;
  readonly evolutionTimeoutMs?: number;
  /** The clock the send use case reads (quiet hours and expiry tests). */
  readonly now?: () => number;
  /** Where sends are measured; by default nowhere. */
  readonly metrics?: SendMetrics;
  /** At most one connection probe per instance per this many ms; 0 (the default) probes every time. */
  readonly probeIntervalMs?: number;
  /** How long a held message sleeps before looking again (default one minute). */
  readonly holdRecheckMs?: number;
  /** The message stores the workers use, when a test stands between them and Postgres. */
  readonly messages?: SendMessageStore;
  /** Jobs the worker runs at once (default 4). */
  readonly concurrency?: number;
}

export async function createDispatcherHarness(
  db: DatabaseContext,
  options: DispatcherHarnessOptions = {},
): Promise<DispatcherHarness> {
  const logs = createCapturedLogger('dispatcher');
  const sandbox = createEvolutionSandbox({
    serverAckMs: null,
    deliveryAckMs: null,
    readMs: null,
    ...options.sandbox,
    globalApiKey: SANDBOX_KEY,
  });
  const server = await sandbox.listen(0);
  const namespace = uniqueQueueNamespace();
  const producer = createProducerConnection(TEST_REDIS_URL);
  const queue = new NotificationQueue({
    connection: producer,
    namespace,
    retry: { attempts: options.maxAttempts ?? 3 },
  });
  const evolution = new EvolutionHttpClient({
    baseUrl: server.url,
    globalApiKey: options.evolutionApiKey ?? SANDBOX_KEY,
    timeoutMs: options.evolutionTimeoutMs ?? 2000,
  });
  const backoff = { baseMs: 10, capMs: 50 };
  const extras: { close(): Promise<void> }[] = [];

  /** A dispatcher: its own Redis connections and pacer, as a separate process would have. */
  function startDispatcher(): Dispatcher {
    const connection = createWorkerConnection(TEST_REDIS_URL);
    const pacerConnection = createProducerConnection(TEST_REDIS_URL);
    // Wired by createDispatcher as main.ts wires it, with a test's clock, stores and quick retries.
    const started = createDispatcher({
      messages: options.messages ?? db.messages,
      instances: db.instances,
      evolution,
      logger: logs.logger,
      workerConnection: connection,
      producerConnection: pacerConnection,
      namespace,
      concurrency: options.concurrency ?? 4,
      backoff,
      probeIntervalMs: options.probeIntervalMs ?? 0,
      holdRecheckMs: options.holdRecheckMs ?? 60_000,
      inFlightLockTtlMs: 10_000,
      recordRetryDelaysMs: [50, 100],
      ...(options.now ? { now: options.now } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      queue,
      maintenance: {
        messages: db.messages,
        idempotencyKeys: new IdempotencyKeyRepository(db.dataSource),
        webhookEndpoints: new WebhookEndpointRepository(db.dataSource, db.secrets),
        // Every queued message counts as stale, so a test's sweep finds it at once.
        sweeper: { queuedStaleAfterMs: 0, sendingStaleAfterMs: 60_000 },
        reconciler: { deadlineMs: 60_000 },
      },
    });
    extras.push({
      async close() {
        await started.worker.close();
        connection.disconnect();
        pacerConnection.disconnect();
      },
    });
    return started;
  }
  const dispatcher = startDispatcher();
  return {
    sandbox,
    sandboxUrl: server.url,
    queue,
    worker: dispatcher.worker,
    sweeper: dispatcher.sweeper,
    logs,
    namespace,
    pacer: new InstancePacer(producer, namespace),
    releaser: dispatcher.releaser,
    waitForStatus: (messageId, statuses) =>
      waitFor(
        async () => {
          const message = await db.messages.queries.findById(messageId);
          return message && statuses.includes(message.status) ? message : undefined;
        },
        `message ${messageId} to become ${statuses.join(' or ')}`,
      ),
    startWorker: () => startDispatcher().worker,
    async close() {
      await Promise.all(extras.map((extra) => extra.close()));
      await queue.queue.obliterate({ force: true });
      await queue.close();
      evolution.close();
      await sandbox.close();
      producer.disconnect();
    },
  };
}
