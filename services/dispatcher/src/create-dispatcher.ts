import type { Instance } from '@telenexus/core';
import type { MessageStores } from '@telenexus/db';
import type { EvolutionGateway } from '@telenexus/evolution';
import type { NotificationQueue } from '@telenexus/queue';
import { ConnectionStatePoller, type PolledInstanceStore } from './connection/connection-state-poller';
import { HeldMessageReleaser } from './connection/held-message-releaser';
import {
  AmbiguousSendReconciler,
  type ReconcilerOptions,
  type SentMessageSearch,
} from './maintenance/ambiguous-send-reconciler';
import { Housekeeping, type HousekeepingStores } from './maintenance/housekeeping';
import { OutboxSweeper, type OutboxSweeperOptions } from './maintenance/outbox-sweeper';
import { createSendWorker, type SendWorker, type SendWorkerDependencies } from './send/create-send-worker';

/** Everything a dispatcher is made of: the send path's dependencies and its maintenance's. */
export interface DispatcherDependencies extends SendWorkerDependencies {
  readonly instances: SendWorkerDependencies['instances'] &
    PolledInstanceStore & { findById(id: string): Promise<Instance | null> };
  readonly evolution: EvolutionGateway & SentMessageSearch;
  /** Where the maintenance tasks put back jobs they find missing. */
  readonly queue: NotificationQueue;
  readonly maintenance: {
    /** The message stores themselves (sends may go through a test's stand-in; maintenance does not). */
    readonly messages: MessageStores;
    readonly idempotencyKeys: HousekeepingStores['idempotencyKeys'];
    readonly webhookEndpoints: HousekeepingStores['webhookEndpoints'];
    readonly sweeper: OutboxSweeperOptions;
    readonly reconciler: ReconcilerOptions;
  };
}

/** A dispatcher, wired and its send worker running; the maintenance tasks run when scheduled. */
export interface Dispatcher extends SendWorker {
  /** Puts back the jobs of stored messages whose job was lost, and settles sends a dead worker left. */
  readonly sweeper: OutboxSweeper;
  /** Clears expired dedupe keys, idempotency answers, held receipts and rotated-out secrets. */
  readonly housekeeping: Housekeeping;
  /** Resumes the held messages of instances that reconnected. */
  readonly releaser: HeldMessageReleaser;
  /** Asks Evolution what became of sends whose answer was lost. */
  readonly reconciler: AmbiguousSendReconciler;
  /** Keeps each instance's connection state fresh. */
  readonly poller: ConnectionStatePoller;
}

/**
 * The one place a dispatcher is wired: main.ts and the test harness both build it here, and
 * differ only in the dependencies they pass. Status webhooks are a worker of their own
 * (`createWebhookDeliveryWorker`).
 */
export function createDispatcher(deps: DispatcherDependencies): Dispatcher {
  const send = createSendWorker(deps);
  const { messages, sweeper, reconciler } = deps.maintenance;
  return {
    ...send,
    sweeper: new OutboxSweeper(messages.maintenance, deps.queue, deps.logger, sweeper),
    housekeeping: new Housekeeping(
      {
        messages: messages.maintenance,
        idempotencyKeys: deps.maintenance.idempotencyKeys,
        webhookEndpoints: deps.maintenance.webhookEndpoints,
      },
      deps.logger,
    ),
    releaser: new HeldMessageReleaser(messages.maintenance, deps.queue, deps.logger),
    reconciler: new AmbiguousSendReconciler(
      messages,
      deps.instances,
      deps.evolution,
      deps.queue,
      deps.logger,
      reconciler,
    ),
    // One probe per instance per interval across dispatchers: the poller shares the send path's limiter.
    poller: new ConnectionStatePoller(deps.instances, deps.evolution, deps.logger, send.probes),
  };
}
