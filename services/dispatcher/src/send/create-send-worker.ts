import type { Worker } from 'bullmq';
import type { BackoffPolicy } from '@telenexus/core';
import type { EvolutionGateway } from '@telenexus/evolution';
import type { Logger } from '@telenexus/logger';
import type { SendMetrics } from '@telenexus/observability';
import {
  ConnectionProbeLimiter,
  InstancePacer,
  type RedisConnection,
  type SendJobData,
} from '@telenexus/queue';
import {
  SendMessage,
  type SendInstanceStore,
  type SendMessageStore,
  type SendResult,
} from './send-message.use-case';
import { createWorker } from './send.worker';

/** What a dispatcher's send worker is made of: its stores, Evolution, Redis, and how it behaves. */
export interface SendWorkerDependencies {
  readonly messages: SendMessageStore;
  readonly instances: SendInstanceStore;
  readonly evolution: EvolutionGateway;
  readonly logger: Logger;
  /** The worker's own blocking connection. */
  readonly workerConnection: RedisConnection;
  /** Pacing and connection probes share this one. */
  readonly producerConnection: RedisConnection;
  /** `QUEUE_PREFIX`, without braces. */
  readonly namespace: string;
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  /** At most one connection probe per instance per this many ms, across dispatchers. */
  readonly probeIntervalMs: number;
  /** How long a held message sleeps before looking again, should its release be missed. */
  readonly holdRecheckMs: number;
  /** Longer than any Evolution call, so the in-flight lock only outlives a send whose worker died. */
  readonly inFlightLockTtlMs: number;
  readonly metrics?: SendMetrics;
  /** The clock sends read (quiet hours, expiry, a scheduled send's time); tests set it. */
  readonly now?: () => number;
  /** Pauses between tries of recording a successful send while Postgres is briefly away. */
  readonly recordRetryDelaysMs?: readonly number[];
}

export interface SendWorker {
  readonly worker: Worker<SendJobData, SendResult>;
  readonly sendMessage: SendMessage;
  /** The connection probes' limiter, which the connection poller shares. */
  readonly probes: ConnectionProbeLimiter;
}

/**
 * The send path of a dispatcher, wired once: the pacer (refused turns wait in line, so an instance
 * behind its plan costs one wake-up per send, not one per overdue job), the probe limiter, the send
 * use case and the BullMQ worker that runs it. main.ts and the test harness both build it here.
 */
export function createSendWorker(deps: SendWorkerDependencies): SendWorker {
  const probes = new ConnectionProbeLimiter(deps.producerConnection, deps.namespace, deps.probeIntervalMs);
  const sendMessage = new SendMessage(deps.messages, deps.instances, deps.evolution, deps.logger, {
    backoff: deps.backoff,
    pacer: new InstancePacer(deps.producerConnection, deps.namespace, Math.random, {
      lineRefusedTurns: true,
    }),
    probes,
    holdRecheckMs: deps.holdRecheckMs,
    inFlightLockTtlMs: deps.inFlightLockTtlMs,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.recordRetryDelaysMs ? { recordRetryDelaysMs: deps.recordRetryDelaysMs } : {}),
  });
  const worker = createWorker({
    connection: deps.workerConnection,
    namespace: deps.namespace,
    concurrency: deps.concurrency,
    backoff: deps.backoff,
    sendMessage,
    logger: deps.logger,
  });
  return { worker, sendMessage, probes };
}
