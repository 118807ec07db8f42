import type { AddressInfo } from 'node:net';
import { ConfigError } from '@telenexus/config';
import {
  AccountRepository,
  API_KEY_CHANGES_CHANNEL,
  ApiKeyRepository,
  INSTANCE_CHANGES_CHANNEL,
  WORDING_CHANGES_CHANNEL,
  AccountWordingRepository,
  AuditEventRepository,
  IdempotencyKeyRepository,
  InstanceRepository,
  createMessageStores,
  openDataSource,
  PostgresChangeFeed,
  SecretBox,
  SecretDecryptionError,
  SecretResealer,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from '@telenexus/db';
import { EvolutionHttpClient } from '@telenexus/evolution';
import { createProvisioning } from '@telenexus/provisioning';
import { createLogger } from '@telenexus/logger';
import { createMetricsApp, createMetricsRegistry } from '@telenexus/observability';
import { createProducerConnection, InstancePacer, NotificationQueue } from '@telenexus/queue';
import { closeServer, installGracefulShutdown, listen, packageVersion } from '@telenexus/runtime';
import { createApp } from './app';
import { createIngressUseCases } from './ingress-use-cases';
import { CachedApiKeyStore } from './auth/cached-api-key-store';
import { CachedAccountWording } from './notifications/cached-account-wording';
import { CachedInstanceFinder } from './notifications/cached-instance-finder';
import { loadIngressConfig } from './config';

/** Composition root: reads config, connects, builds the stores and use cases, wires the app and serves until told to stop. */
async function main(): Promise<void> {
  const config = loadIngressConfig();
  const version = packageVersion(__dirname);
  const logger = createLogger({ service: 'ingress', version, level: config.logLevel });
  const metrics = createMetricsRegistry('ingress', version);

  const dataSource = await openDataSource({ ...config.database, applicationName: 'telenexus-ingress' });
  const secrets = new SecretBox(config.secretsKey);
  // Secrets written before encryption (or by an older version) are encrypted here, once: every
  // replica may run it, each row is written only while it still holds the plain value.
  const resealer = new SecretResealer(dataSource, secrets);
  const encrypted = await resealer.reseal('plain');
  if (Object.values(encrypted).some((count) => count > 0))
    logger.info('encrypted plain-text secrets', encrypted);
  await resealer.verify();

  const redis = createProducerConnection(config.redis);
  redis.on('error', (error: Error) => logger.warn('redis connection error', { error: error.message }));
  const queue = new NotificationQueue({
    connection: redis,
    namespace: config.redis.queuePrefix,
    retry: { attempts: config.sendMaxAttempts },
  });
  queue.queue.on('error', (error: Error) => logger.warn('queue error', { error: error.message }));

  const evolution = config.evolution.url
    ? new EvolutionHttpClient({ baseUrl: config.evolution.url, globalApiKey: config.evolution.apiKey })
    : undefined;
  const accounts = new AccountRepository(dataSource);
  const messages = createMessageStores(dataSource);
  const apiKeys = new ApiKeyRepository(dataSource);
  // Requests' keys and instances come from memory; every replica hears each change at commit and
  // forgets what changed.
  const changeFeed = new PostgresChangeFeed({
    url: config.database.url,
    channels: [API_KEY_CHANGES_CHANNEL, INSTANCE_CHANGES_CHANNEL, WORDING_CHANGES_CHANNEL],
    applicationName: 'telenexus-ingress-changes',
    onConnectionChange: (listening, error) => {
      if (listening) logger.info('hearing key and instance changes: they are cached in memory');
      else
        logger.warn('not hearing key and instance changes: they are read per request until it is back', {
          error,
        });
    },
  });
  await changeFeed.start();
  const instances = new InstanceRepository(dataSource, secrets);
  const wording = new AccountWordingRepository(dataSource);
  const useCases = createIngressUseCases({
    logger,
    metrics,
    dedupeWindowMs: config.dedupeWindowMs,
    queueLimitPerAccount: config.queueLimitPerAccount,
    // The dispatchers' pacer, read only: the same namespace as theirs.
    pacer: new InstancePacer(redis, config.redis.queuePrefix),
    apiKeys,
    apiKeyLookup: new CachedApiKeyStore(apiKeys, changeFeed),
    auditEvents: new AuditEventRepository(dataSource),
    instances,
    instanceLookup: new CachedInstanceFinder(instances, changeFeed),
    messages,
    wording,
    wordingLookup: new CachedAccountWording(wording, changeFeed),
    provisioning: createProvisioning({
      accounts,
      apiKeys,
      instances,
      evolution,
      webhookBaseUrl: config.evolution.webhookBaseUrl,
    }),
    queue,
    webhooks: {
      endpoints: new WebhookEndpointRepository(dataSource, secrets),
      deliveries: new WebhookDeliveryRepository(dataSource, secrets),
      allowPrivateUrls: config.webhookAllowPrivateUrls,
      secretOverlapMs: config.webhookSecretOverlapMs,
    },
  });
  const app = createApp(useCases, {
    logger,
    bodyLimitBytes: config.http.bodyLimitBytes,
    batchBodyLimitBytes: config.http.batchBodyLimitBytes,
    trustProxy: config.http.trustProxy,
    publicBaseUrl: config.http.publicBaseUrl,
    idempotencyKeys: new IdempotencyKeyRepository(dataSource),
    redis,
    redisNamespace: config.redis.queuePrefix,
    rateLimit: { points: config.rateLimitPerMinute, windowSeconds: 60 },
    evolutionWebhookRateLimit: { points: config.evolutionWebhookRateLimitPerMinute, windowSeconds: 60 },
    metrics,
    dashboard: { queues: [queue.queue], ...config.dashboard },
    ...(config.operatorAccountId ? { operatorAccountId: config.operatorAccountId } : {}),
    // Postgres only: with Redis down ingress still accepts (the sweeper enqueues later), so an
    // outage must not take every pod out of the load balancer.
    readinessChecks: { postgres: () => dataSource.query('SELECT 1') },
  });

  const server = await listen(app, config.http.port, config.http.host, {
    // The URL gateway's GET carries up to 4,096 characters of text in its URL: percent-encoded, a
    // non-Latin character takes up to 12 bytes, past Node's 16 KiB default.
    maxHeaderSize: 64 * 1024,
  });
  logger.info('ingress listening', { port: config.http.port, host: config.http.host });
  // Prometheus only: never on the API port, which the public Ingress routes to.
  const metricsServer = await listen(createMetricsApp(metrics), config.metrics.port, config.http.host);
  logger.info('ingress metrics listening', {
    port: (metricsServer.address() as AddressInfo).port,
    host: config.http.host,
    path: '/metrics',
  });

  installGracefulShutdown(
    [
      { name: 'stop accepting requests and finish in-flight ones', run: () => closeServer(server) },
      { name: 'close metrics server', run: () => closeServer(metricsServer) },
      { name: 'close queue', run: () => queue.close() },
      { name: 'close redis', run: () => redis.quit() },
      { name: 'stop hearing key and instance changes', run: () => changeFeed.stop() },
      { name: 'close postgres', run: () => dataSource.destroy() },
      { name: 'close Evolution client', run: () => Promise.resolve(evolution?.close()) },
    ],
    {
      timeoutMs: config.shutdownTimeoutMs,
      log: (level, message, meta) => logger.log(level, message, meta),
    },
  );
}

main().catch((error: unknown) => {
  const text =
    error instanceof ConfigError || error instanceof SecretDecryptionError
      ? error.message
      : `ingress failed to start: ${String(error)}`;
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
