import type { Server } from 'node:http';
import express from 'express';
import { ConfigError } from '@telenexus/config';
import { openDataSource, InstanceRepository, MessageRepository } from '@telenexus/db';
import { EvolutionHttpClient } from '@telenexus/evolution';
import { createLogger } from '@telenexus/logger';
import { createProducerConnection, createWorkerConnection, NotificationQueue } from '@telenexus/queue';
import { healthRoutes, installGracefulShutdown, packageVersion, runPeriodically } from '@telenexus/runtime';
import { loadDispatcherConfig } from './config';
import { ConnectionStatePoller } from './connection/connection-state-poller';
import { SendMessage } from './send/send-message.use-case';
import { OutboxSweeper } from './sweeper/outbox-sweeper';
import { createWorker } from './worker';

/** Composition root: reads config, connects, starts the worker, sweeper and poller. */
async function main(): Promise<void> {
  const config = loadDispatcherConfig(process.env);
  const logger = createLogger({
    service: 'dispatcher',
    version: packageVersion(__dirname),
    level: config.logLevel,
  });

  const dataSource = await openDataSource({ ...config.database, applicationName: 'telenexus-dispatcher' });
  const messages = new MessageRepository(dataSource);
  const instances = new InstanceRepository(dataSource);

  const workerConnection = createWorkerConnection(config.redis.url);
  const producerConnection = createProducerConnection(config.redis.url);
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
  const sendMessage = new SendMessage(messages, instances, evolution, logger, { backoff: config.retry });
  const worker = createWorker({
    connection: workerConnection,
    namespace: config.redis.queuePrefix,
    concurrency: config.worker.concurrency,
    backoff: config.retry,
    sendMessage,
    logger,
  });

  const sweeper = new OutboxSweeper(messages, queue, logger, config.sweeper);
  const sweeping = runPeriodically(
    config.sweeper.intervalMs,
    () => sweeper.sweep(),
    (error) => logger.warn('sweep failed', { error }),
  );
  const poller = new ConnectionStatePoller(instances, evolution, logger);
  const polling =
    config.connectionPollIntervalMs > 0
      ? runPeriodically(
          config.connectionPollIntervalMs,
          () => poller.pollOnce(),
          (error) => logger.warn('connection poll failed', { error }),
        )
      : undefined;

  const health = express();
  health.use(
    healthRoutes({
      postgres: () => dataSource.query('SELECT 1'),
      redis: () => workerConnection.ping(),
    }),
  );
  const server: Server = health.listen(config.health.port, config.health.host);
  logger.info('dispatcher started', {
    concurrency: config.worker.concurrency,
    evolution: config.evolution.url,
  });

  installGracefulShutdown(
    [
      // Stop taking jobs; close() waits for the sends in flight to finish and be recorded.
      { name: 'close worker', run: () => worker.close() },
      { name: 'stop sweeper and poller', run: () => Promise.all([sweeping.stop(), polling?.stop()]) },
      { name: 'close queue', run: () => queue.close() },
      { name: 'close redis', run: () => Promise.all([workerConnection.quit(), producerConnection.quit()]) },
      { name: 'close postgres', run: () => dataSource.destroy() },
      { name: 'close health server', run: () => new Promise((resolve) => server.close(resolve)) },
    ],
    { timeoutMs: config.shutdownTimeoutMs, log: (level, message, meta) => logger.log(level, message, meta) },
  );
}

main().catch((error: unknown) => {
  const text = error instanceof ConfigError ? error.message : `dispatcher failed to start: ${String(error)}`;
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
