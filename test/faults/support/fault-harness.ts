import { randomUUID } from 'node:crypto';
import { EVOLUTION_WEBHOOK_EVENTS, evolutionWebhookUrl } from '@telenexus/provisioning';
import { EvolutionHttpClient } from '@telenexus/evolution';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
} from '@telenexus/evolution-sandbox';
import { FaultProxy } from '../../support/fault-proxy';
import { createIsolatedTestDatabase, type IsolatedTestDatabase } from '../../support/isolated-test-database';
import { startService, stopServices, type ServiceProcess } from '../../support/service-process';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
  type TenantOptions,
} from '../../support/test-context';
import { LocalRedisServer } from './local-redis-server';
import { issueWebhookCredentials } from '../../support/webhook-credentials';

export const FAULT_SANDBOX_KEY = 'fault-key';

export interface FaultHarnessOptions {
  /** Dispatcher processes to start. */
  readonly dispatchers?: number;
  /** Extra environment for every service (tuning a scenario needs). */
  readonly environment?: Readonly<Record<string, string>>;
  /** The tenant instance's pacing and quiet hours (unpaced by default). */
  readonly sending?: TenantOptions['sending'];
  /** Point the sandbox's webhooks at ingress (receipts, connection changes), as linking does. */
  readonly evolutionWebhook?: boolean;
}

/**
 * The whole system as real processes with a fault proxy on each of its links: ingress and
 * dispatchers reach Postgres, Redis and Evolution (the sandbox) only through a FaultProxy, so a
 * scenario can cut, slow, blackhole or reset any of them. The test itself talks to Postgres and the
 * sandbox directly, to check what really happened: the sandbox's ledger is the ground truth of
 * what WhatsApp received.
 */
export class FaultHarness {
  readonly dispatchers: ServiceProcess[] = [];
  private ingressProcess: ServiceProcess | undefined;
  private environment: Record<string, string> = {};

  private constructor(
    readonly isolated: IsolatedTestDatabase,
    readonly db: DatabaseContext,
    readonly redis: LocalRedisServer,
    readonly sandbox: EvolutionSandbox,
    private readonly sandboxServer: SandboxServer,
    readonly proxies: {
      readonly postgres: FaultProxy;
      readonly redis: FaultProxy;
      readonly evolution: FaultProxy;
    },
    readonly tenant: Tenant,
  ) {}

  static async start(options: FaultHarnessOptions = {}): Promise<FaultHarness> {
    const isolated = await createIsolatedTestDatabase();
    const db = await openTestDatabase(isolated.url);
    const redis = await LocalRedisServer.start();
    const sandbox = createEvolutionSandbox({
      globalApiKey: FAULT_SANDBOX_KEY,
      serverAckMs: null,
      deliveryAckMs: null,
      readMs: null,
    });
    const sandboxServer = await sandbox.listen(0);
    const database = new URL(isolated.url);
    const proxies = {
      postgres: new FaultProxy(database.hostname, Number(database.port || 5432)),
      redis: new FaultProxy('127.0.0.1', redis.port),
      evolution: new FaultProxy('127.0.0.1', Number(new URL(sandboxServer.url).port)),
    };
    await Promise.all(Object.values(proxies).map((proxy) => proxy.start()));
    const tenant = await createTenant(db, { sending: options.sending });
    sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });

    const harness = new FaultHarness(isolated, db, redis, sandbox, sandboxServer, proxies, tenant);
    const proxiedDatabase = new URL(isolated.url);
    proxiedDatabase.hostname = '127.0.0.1';
    proxiedDatabase.port = String(proxies.postgres.port);
    harness.environment = {
      DATABASE_URL: proxiedDatabase.toString(),
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      REDIS_URL: `redis://${proxies.redis.url}`,
      QUEUE_PREFIX: `faults-${randomUUID().slice(0, 8)}`,
      EVOLUTION_API_URL: `http://${proxies.evolution.url}`,
      EVOLUTION_API_KEY: FAULT_SANDBOX_KEY,
      EVOLUTION_TIMEOUT_MS: '3000',
      SENDING_STALE_AFTER_MS: '6000',
      SWEEP_INTERVAL_MS: '1000',
      SWEEP_STALE_AFTER_MS: '3000',
      RETRY_BASE_MS: '200',
      RETRY_CAP_MS: '2000',
      SEND_MAX_ATTEMPTS: '30',
      SHUTDOWN_TIMEOUT_MS: '5000',
      CONNECTION_POLL_INTERVAL_MS: '0',
      // Ambiguous sends are settled within the drill: searched for every half second, failed as
      // unconfirmed four seconds after they became ambiguous.
      RECONCILE_INTERVAL_MS: '500',
      RECONCILE_DEADLINE_MS: '4000',
      HOLD_RELEASE_INTERVAL_MS: '500',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
      ...options.environment,
    };
    harness.ingressProcess = await startService('ingress', harness.environment);
    if (options.evolutionWebhook) await harness.pointEvolutionAtIngress();
    for (let index = 0; index < (options.dispatchers ?? 1); index += 1) await harness.startDispatcher();
    return harness;
  }

  /** Configures the sandbox instance's webhook to ingress, with the instance's own credentials. */
  async pointEvolutionAtIngress(): Promise<void> {
    const { token, jwtKey } = await issueWebhookCredentials(this.db, this.tenant.instance.id);
    const instance = (await this.db.instances.findById(this.tenant.instance.id))!;
    const evolution = new EvolutionHttpClient({
      baseUrl: this.sandboxServer.url,
      globalApiKey: FAULT_SANDBOX_KEY,
    });
    try {
      await evolution.setWebhook(
        { instanceName: instance.evolutionInstanceName },
        {
          url: evolutionWebhookUrl(this.ingress.baseUrl, instance.id, token),
          events: EVOLUTION_WEBHOOK_EVENTS,
          jwtKey,
        },
      );
    } finally {
      evolution.close();
    }
  }

  /** Where the sandbox listens directly (not through the proxy). */
  get sandboxUrl(): string {
    return this.sandboxServer.url;
  }

  get ingress(): ServiceProcess {
    if (!this.ingressProcess) throw new Error('ingress is not running');
    return this.ingressProcess;
  }

  async startDispatcher(): Promise<ServiceProcess> {
    const dispatcher = await startService('dispatcher', this.environment);
    this.dispatchers.push(dispatcher);
    return dispatcher;
  }

  /** Kills a dispatcher without warning (`kill -9`). */
  async killDispatcher(dispatcher: ServiceProcess): Promise<void> {
    dispatcher.signal('SIGKILL');
    await dispatcher.exited;
    this.dispatchers.splice(this.dispatchers.indexOf(dispatcher), 1);
  }

  /** Every proxy back to forwarding. */
  async healAll(): Promise<void> {
    await Promise.all(Object.values(this.proxies).map((proxy) => proxy.setMode({ kind: 'pass' })));
    this.sandbox.clearFaults();
    this.sandbox.setFaultProbabilities({});
    this.sandbox.updateSettings({ latencyMs: 0 });
  }

  async close(): Promise<void> {
    await stopServices([...this.dispatchers, ...(this.ingressProcess ? [this.ingressProcess] : [])], 6000);
    await Promise.all(Object.values(this.proxies).map((proxy) => proxy.stop()));
    await this.sandbox.close();
    await this.redis.stop();
    await this.db.close();
    await this.isolated.drop();
  }
}
