import type { AddressInfo } from 'node:net';
import { ConfigError } from '@telenexus/config';
import {
  IdempotencyKeyRepository,
  InstanceRepository,
  createMessageStores,
  openDataSource,
  SecretBox,
  SecretDecryptionError,
  SecretResealer,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from '@telenexus/db';
import { EvolutionHttpClient } from '@telenexus/evolution';
import { createLogger } from '@telenexus/logger';
import { createMetricsApp } from '@telenexus/observability';
import { createProducerConnection, createWorkerConnection, NotificationQueue } from '@telenexus/queue';
import { closeServer, installGracefulShutdown, listen, packageVersion } from '@telenexus/runtime';
import { loadDispatcherConfig } from './config';
import { createDispatcherMetrics } from './dispatcher-metrics';
import { createOpsApp } from './ops-app';
import { createDispatcher } from './create-dispatcher';
import { runMaintenance } from './maintenance/run-maintenance';
import { createWebhookDeliveryWorker } from './status-webhooks/create-webhook-delivery-worker';

/** Expired dedupe keys and idempotency answers are cleared this often. */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;

/** Composition root: reads config, connects, builds the dispatcher (createDispatcher) and runs it until told to stop. */
async function main(): Promise<void> {
  const config = loadDispatcherConfig();
  const logger = createLogger({
    service: 'dispatcher',
    version: packageVersion(__dirname),
    level: config.logLevel,
  });

  const dataSource = await openDataSource({ ...config.database, applicationName: 'telenexus-dispatcher' });
  const secrets = new SecretBox(config.secretsKey);
  // A wrong SECRETS_KEY stops the start here rather than failing every send (ingress encrypts plain ones).
  await new SecretResealer(dataSource, secrets).verify();
  const messages = createMessageStores(dataSource);
  const instances = new InstanceRepository(dataSource, secrets);

  const workerConnection = createWorkerConnection(config.redis);
  const producerConnection = createProducerConnection(config.redis);
  for (const connection of [workerConnection, producerConnection]) {
    connection.on('error', (error: Error) => logger.warn('redis connection error', { error: error.message }));
  }
  const queue = new NotificationQueue({
    connection: producerConnection,
    namespace: config.redis.queuePrefix,
    retry: { attempts: config.sendMaxAttempts },
  });
  queue.queue.on('error', (error: Error) => logger.warn('queue error', { error: error.message }));

  const evolution = new EvolutionHttpClient({
    baseUrl: config.evolution.url,
    globalApiKey: config.evolution.apiKey,
    timeoutMs: config.evolution.timeoutMs,
  });
  const version = packageVersion(__dirname);
  const { registry, sending, webhookDeliveries } = createDispatcherMetrics({
    version,
    queues: [queue.queue],
    backlogByInstance: () => messages.queries.backlogByInstance(),
    connectionStates: () => instances.connectionStates(),
  });

  const dispatcher = createDispatcher({
    messages,
    instances,
    evolution,
    logger,
    workerConnection,
    producerConnection,
    namespace: config.redis.queuePrefix,
    concurrency: config.worker.concurrency,
    backoff: config.retry,
    probeIntervalMs: config.connectionPollIntervalMs,
    holdRecheckMs: config.holds.recheckMs,
    // Longer than any Evolution call, so the lock only outlives a send whose worker died.
    inFlightLockTtlMs: config.evolution.timeoutMs + 5000,
    metrics: sending,
    queue,
    maintenance: {
      messages,
      idempotencyKeys: new IdempotencyKeyRepository(dataSource),
      webhookEndpoints: new WebhookEndpointRepository(dataSource, secrets),
      sweeper: config.sweeper,
      reconciler: { deadlineMs: config.reconciler.deadlineMs },
    },
  });
  const maintenance = runMaintenance(
    dispatcher,
    {
      sweepIntervalMs: config.sweeper.intervalMs,
      housekeepingIntervalMs: HOUSEKEEPING_INTERVAL_MS,
      releaseIntervalMs: config.holds.releaseIntervalMs,
      reconcileIntervalMs: config.reconciler.intervalMs,
      connectionPollIntervalMs: config.connectionPollIntervalMs,
    },
    logger,
  );

  const webhooks = createWebhookDeliveryWorker({
    deliveries: new WebhookDeliveryRepository(dataSource, secrets, {
      maxInFlightPerEndpoint: config.webhooks.maxInFlightPerEndpoint,
      circuit: config.webhooks.circuit,
    }),
    logger,
    allowPrivateUrls: config.webhooks.allowPrivateUrls,
    timeoutMs: config.webhooks.timeoutMs,
    leaseMs: config.webhooks.leaseMs,
    pollIntervalMs: config.webhooks.pollIntervalMs,
    concurrency: config.webhooks.concurrency,
    backoff: { baseMs: config.webhooks.retryBaseMs, capMs: config.webhooks.retryCapMs },
    retryWindowMs: config.webhooks.retryWindowMs,
    userAgent: `Telenexus-Webhooks/${version}`,
    recordOutcome: (outcome) => webhookDeliveries.record({ outcome }),
  });
  webhooks.start();

  const ops = createOpsApp({
    readinessChecks: { postgres: () => dataSource.query('SELECT 1'), redis: () => workerConnection.ping() },
    queues: [queue.queue],
    backlogByInstance: () => messages.queries.backlogByInstance(),
  });
  const server = await listen(ops, config.health.port, config.health.host);
  const metricsServer = await listen(createMetricsApp(registry), config.metrics.port, config.health.host);
  logger.info('dispatcher metrics listening', {
    port: (metricsServer.address() as AddressInfo).port,
    host: config.health.host,
    path: '/metrics',
  });
  logger.info('dispatcher started', {
    concurrency: config.worker.concurrency,
    evolution: config.evolution.url,
  });

  installGracefulShutdown(
    [
      // Stop taking jobs; close() waits for the sends in flight to finish and be recorded.
      { name: 'close worker', run: () => dispatcher.worker.close() },
      { name: 'stop sweeper, housekeeping, releaser, reconciler and poller', run: () => maintenance.stop() },
      { name: 'stop webhook deliveries', run: () => webhooks.stop() },
      { name: 'close queue', run: () => queue.close() },
      { name: 'close redis', run: () => Promise.all([workerConnection.quit(), producerConnection.quit()]) },
      { name: 'close postgres', run: () => dataSource.destroy() },
      { name: 'close health server', run: () => closeServer(server) },
      { name: 'close metrics server', run: () => closeServer(metricsServer) },
    ],
    { timeoutMs: config.shutdownTimeoutMs, log: (level, message, meta) => logger.log(level, message, meta) },
  );
}

main().catch((error: unknown) => {
  const text =
    error instanceof ConfigError || error instanceof SecretDecryptionError
      ? error.message
      : `dispatcher failed to start: ${String(error)}`;
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
