import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, createProducerConnection, NotificationQueue, QUEUE_NAMES } from '@telenexus/queue';
import { SERVICE_NODE_FLAGS } from '@telenexus/runtime';
import {
  BENCH_SECRETS_KEY,
  createBenchDatabase,
  insertQueuedMessages,
  postgresVersion,
  resetMessages,
  ROOT,
  seedTenant,
  type BenchDatabase,
  type BenchTenant,
} from './bench-database';
import { deleteNamespace, redisVersion } from './bench-redis';
import { freePort, startProcess, stopAllProcesses, waitUntilReady, type BenchProcess } from './child-process';

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SANDBOX_KEY = 'bench-sandbox-key';
/** Same pool size for ingress, the dispatcher and the bare baseline: the services' default. */
const POOL_SIZE = 10;
const INSTANCES = 4;

const ENTRY_POINTS = {
  ingress: join(ROOT, 'services', 'ingress', 'dist', 'main.js'),
  dispatcher: join(ROOT, 'services', 'dispatcher', 'dist', 'main.js'),
  sandbox: join(ROOT, 'packages', 'evolution-sandbox', 'dist', 'main.js'),
  bare: join(__dirname, 'bare-ingress.js'),
  noopWorker: join(__dirname, 'noop-worker.js'),
  minimalDispatcher: join(__dirname, 'minimal-dispatcher.js'),
} as const;

/** A started HTTP service and where it answers. */
export interface HttpService {
  readonly process: BenchProcess;
  readonly baseUrl: string;
}

/** A started worker and how many jobs (or sends) it has finished so far. */
export interface CountingWorker {
  readonly process: BenchProcess;
  count(): Promise<number>;
}

/**
 * Everything a benchmark run owns: its database, its two Redis namespaces (ours and the
 * baseline's), the seeded tenant, the sandbox, and the processes it starts. Nothing outside these
 * is touched; `close()` removes them all.
 */
export class BenchSystem {
  readonly runId = randomBytes(4).toString('hex');
  readonly namespace = `bench-${this.runId}`;
  readonly bareNamespace = `bench-${this.runId}-bare`;
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  private readonly producer = createProducerConnection(REDIS_URL, { commandTimeout: 60_000 });
  private readonly notificationQueue = new NotificationQueue({
    connection: this.producer,
    namespace: this.namespace,
    retry: { attempts: 12 },
    enqueueTimeoutMs: 60_000,
  });
  private readonly bareQueue = new Queue(QUEUE_NAMES.notifications, {
    connection: this.producer,
    prefix: bullPrefix(this.bareNamespace),
  });
  /**
   * Extra node flags for ingress and the dispatcher, after the services' own (SERVICE_NODE_FLAGS,
   * which every way of starting them uses), e.g. `--cpu-prof --cpu-prof-dir=DIR` (set by
   * `--cpu-prof DIR`) to see where their time goes. The baselines run with Node's defaults.
   */
  nodeArgs: readonly string[] = [];
  private databaseHandle: BenchDatabase | undefined;
  private tenantHandle: BenchTenant | undefined;
  private sandboxHandle: HttpService | undefined;

  get database(): BenchDatabase {
    if (!this.databaseHandle) throw new Error('setUp() first');
    return this.databaseHandle;
  }

  get tenant(): BenchTenant {
    if (!this.tenantHandle) throw new Error('setUp() first');
    return this.tenantHandle;
  }

  get sandbox(): HttpService {
    if (!this.sandboxHandle) throw new Error('setUp() first');
    return this.sandboxHandle;
  }

  /** Creates and migrates the database, seeds the tenant and starts the Evolution sandbox. */
  async setUp(): Promise<void> {
    this.databaseHandle = await createBenchDatabase(POSTGRES_URL, this.runId);
    this.tenantHandle = await seedTenant(this.databaseHandle, this.runId, INSTANCES);
    const port = await freePort();
    const sandbox = startProcess('sandbox', ENTRY_POINTS.sandbox, {
      NODE_ENV: 'production',
      SANDBOX_PORT: String(port),
      SANDBOX_HOST: '127.0.0.1',
      EVOLUTION_API_KEY: SANDBOX_KEY,
      SANDBOX_AUTO_CREATE_INSTANCES: 'true',
      SANDBOX_LATENCY_MS: '0',
      // Receipts would add webhook traffic nobody asked for; they are not what is measured.
      SANDBOX_SERVER_ACK_MS: 'never',
      SANDBOX_DELIVERY_ACK_MS: 'never',
      SANDBOX_READ_MS: 'never',
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(sandbox, `${baseUrl}/__sandbox/health`);
    this.sandboxHandle = { process: sandbox, baseUrl };
  }

  async versions(): Promise<{ postgres: string; redis: string }> {
    return { postgres: await postgresVersion(this.database), redis: await redisVersion(this.redis) };
  }

  private commonEnvironment(): Record<string, string> {
    return {
      NODE_ENV: 'production',
      DATABASE_URL: this.database.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      REDIS_URL,
      QUEUE_PREFIX: this.namespace,
      SECRETS_KEY: BENCH_SECRETS_KEY,
      // Several services run side by side: each takes a free port for its /metrics.
      METRICS_PORT: '0',
      // Logging every request or send would measure winston; warnings still show problems.
      LOG_LEVEL: 'warn',
    };
  }

  /**
   * Starts ingress with every feature on: the 24 h dedupe, and the per-key rate limiter (counted in
   * Redis on every request) with a limit too high to refuse anything.
   */
  async startIngress(): Promise<HttpService> {
    const port = await freePort();
    const ingress = startProcess(
      'ingress',
      ENTRY_POINTS.ingress,
      {
        ...this.commonEnvironment(),
        PORT: String(port),
        HOST: '127.0.0.1',
        DEDUPE_WINDOW_HOURS: '24',
        RATE_LIMIT_PER_MINUTE: '1000000000',
        // A 15 s batch window on a fast day queues more than the default 100,000: the limit stays on
        // (each request still counts the account's queue against it) but above what a run reaches.
        QUEUE_LIMIT_PER_ACCOUNT: '1000000',
      },
      { nodeArgs: [...SERVICE_NODE_FLAGS, ...this.nodeArgs] },
    );
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(ingress, `${baseUrl}/readyz`);
    return { process: ingress, baseUrl };
  }

  /** The bare Express baseline (bare-ingress.ts). */
  async startBare(): Promise<HttpService> {
    const port = await freePort();
    const bare = startProcess('bare express', ENTRY_POINTS.bare, {
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: this.database.url,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      REDIS_URL,
      QUEUE_PREFIX: this.bareNamespace,
      BARE_ACCOUNT_ID: this.tenant.accountId,
      BARE_INSTANCE_ID: this.tenant.instanceIds[0]!,
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(bare, `${baseUrl}/healthz`);
    return { process: bare, baseUrl };
  }

  /** The dispatcher, sending to the sandbox; its count is the sandbox's delivery ledger. */
  async startDispatcher(concurrency: number): Promise<CountingWorker> {
    const port = await freePort();
    const dispatcher = startProcess(
      'dispatcher',
      ENTRY_POINTS.dispatcher,
      {
        ...this.commonEnvironment(),
        HEALTH_PORT: String(port),
        HEALTH_HOST: '127.0.0.1',
        EVOLUTION_API_URL: this.sandbox.baseUrl,
        EVOLUTION_API_KEY: SANDBOX_KEY,
        DISPATCHER_CONCURRENCY: String(concurrency),
        CONNECTION_POLL_INTERVAL_MS: '0',
      },
      { nodeArgs: [...SERVICE_NODE_FLAGS, ...this.nodeArgs] },
    );
    await waitUntilReady(dispatcher, `http://127.0.0.1:${port}/readyz`);
    return { process: dispatcher, count: () => this.sandboxDeliveries() };
  }

  /** The do-nothing BullMQ worker baseline (noop-worker.ts) on the baseline's namespace. */
  startNoopWorker(concurrency: number, workMs: number): Promise<CountingWorker> {
    const worker = startProcess(
      'noop worker',
      ENTRY_POINTS.noopWorker,
      {
        REDIS_URL,
        QUEUE_PREFIX: this.bareNamespace,
        CONCURRENCY: String(concurrency),
        WORK_MS: String(workMs),
      },
      { ipc: true },
    );
    let completed = 0;
    worker.child.on('message', (message) => {
      completed = (message as { completed: number }).completed;
    });
    return Promise.resolve({ process: worker, count: () => Promise.resolve(completed) });
  }

  /**
   * The minimal dispatcher baseline (minimal-dispatcher.ts): claims, POSTs to the same sandbox and
   * marks sent, draining the baseline's namespace with the same pool size and concurrency.
   */
  startMinimalDispatcher(concurrency: number): Promise<CountingWorker> {
    const worker = startProcess(
      'minimal dispatcher',
      ENTRY_POINTS.minimalDispatcher,
      {
        NODE_ENV: 'production',
        DATABASE_URL: this.database.url,
        DATABASE_POOL_SIZE: String(POOL_SIZE),
        REDIS_URL,
        QUEUE_PREFIX: this.bareNamespace,
        CONCURRENCY: String(concurrency),
        EVOLUTION_API_URL: this.sandbox.baseUrl,
        EVOLUTION_API_KEY: SANDBOX_KEY,
      },
      { ipc: true },
    );
    let completed = 0;
    worker.child.on('message', (message) => {
      completed = (message as { completed: number }).completed;
    });
    return Promise.resolve({ process: worker, count: () => Promise.resolve(completed) });
  }

  /** Clears the sandbox's ledger and sets its latency. */
  async resetSandbox(latencyMs: number): Promise<void> {
    await fetch(`${this.sandbox.baseUrl}/__sandbox/reset`, { method: 'POST' });
    const response = await fetch(`${this.sandbox.baseUrl}/__sandbox/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs }),
    });
    if (!response.ok) throw new Error(`sandbox settings: ${response.status} ${await response.text()}`);
  }

  async sandboxDeliveries(): Promise<number> {
    const response = await fetch(`${this.sandbox.baseUrl}/__sandbox/deliveries/count`);
    return ((await response.json()) as { count: number }).count;
  }

  /** Empties the message tables and both Redis namespaces: every measurement starts from nothing. */
  async resetData(): Promise<void> {
    await deleteNamespace(this.redis, this.namespace);
    await deleteNamespace(this.redis, this.bareNamespace);
    await resetMessages(this.database);
  }

  /** Stores `count` queued messages and enqueues their send jobs, as ingress would (dispatcher stopped). */
  async preloadOurs(count: number, tag: string): Promise<void> {
    const pending: Promise<void>[] = [];
    await insertQueuedMessages(this.database, this.tenant, count, tag, async (ids) => {
      // Redis takes the jobs while Postgres writes the next chunk.
      pending.push(
        (async () => {
          for (let start = 0; start < ids.length; start += 1000) {
            await this.notificationQueue.enqueueSends(ids.slice(start, start + 1000));
          }
        })(),
      );
      if (pending.length >= 2) await pending.shift();
    });
    await Promise.all(pending);
  }

  /** Adds `count` bare jobs (`{messageId}` data and a job id, nothing else) to the baseline's queue. */
  async preloadBare(count: number): Promise<void> {
    for (let start = 0; start < count; start += 1000) {
      const ids = Array.from({ length: Math.min(count, start + 1000) - start }, () => randomUUID());
      await this.addBareJobs(ids);
    }
  }

  /** Stores `count` queued messages with a bare job each, for the minimal dispatcher to drain. */
  async preloadMinimal(count: number, tag: string): Promise<void> {
    await insertQueuedMessages(this.database, this.tenant, count, tag, async (ids) => {
      for (let start = 0; start < ids.length; start += 1000)
        await this.addBareJobs(ids.slice(start, start + 1000));
    });
  }

  private async addBareJobs(ids: readonly string[]): Promise<void> {
    await this.bareQueue.addBulk(
      ids.map((id) => ({ name: 'send', data: { messageId: id }, opts: { jobId: id } })),
    );
  }

  /** Stops every process, deletes both namespaces and drops the database. */
  async close(): Promise<void> {
    await stopAllProcesses();
    await this.notificationQueue.close().catch(() => undefined);
    await this.bareQueue.close().catch(() => undefined);
    for (const namespace of [this.namespace, this.bareNamespace]) {
      // A second pass catches keys a stopping worker wrote during the first.
      for (let pass = 0; pass < 2; pass += 1) await deleteNamespace(this.redis, namespace).catch(() => 0);
    }
    await this.databaseHandle?.drop();
    this.producer.disconnect();
    this.redis.disconnect();
  }
}
