import {
  commonVariables,
  loadConfig,
  processEnvironment,
  secretsKeyVariable,
  toCommonConfig,
  type CommonConfig,
  type CommonVariables,
  type Environment,
  type SecretsKeyRing,
} from '@telenexus/config';
import type { WebhookCircuitPolicy } from '@telenexus/core';
import Joi from 'joi';

interface DispatcherVariables extends CommonVariables {
  SECRETS_KEY: SecretsKeyRing;
  EVOLUTION_API_URL: string;
  EVOLUTION_API_KEY: string;
  EVOLUTION_TIMEOUT_MS: number;
  DISPATCHER_CONCURRENCY: number;
  RETRY_BASE_MS: number;
  RETRY_CAP_MS: number;
  SWEEP_INTERVAL_MS: number;
  SWEEP_STALE_AFTER_MS: number;
  SENDING_STALE_AFTER_MS: number;
  CONNECTION_POLL_INTERVAL_MS: number;
  HOLD_RECHECK_MS: number;
  HOLD_RELEASE_INTERVAL_MS: number;
  RECONCILE_INTERVAL_MS: number;
  RECONCILE_DEADLINE_MS: number;
  HEALTH_PORT: number;
  HEALTH_HOST: string;
  METRICS_PORT: number;
  WEBHOOK_ALLOW_PRIVATE_URLS: boolean;
  WEBHOOK_CONCURRENCY: number;
  WEBHOOK_POLL_INTERVAL_MS: number;
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_LEASE_MS: number;
  WEBHOOK_RETRY_BASE_MS: number;
  WEBHOOK_RETRY_CAP_MS: number;
  WEBHOOK_RETRY_WINDOW_MS: number;
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: number;
  WEBHOOK_BREAKER_FAILURES: number;
  WEBHOOK_PROBE_BASE_MS: number;
  WEBHOOK_PROBE_CAP_MS: number;
  WEBHOOK_DISABLE_AFTER_HOURS: number;
}

/** Every environment variable the dispatcher reads, with its rules (also read by the deployment checks). */
export const dispatcherVariablesSchema = Joi.object<DispatcherVariables>({
  ...commonVariables,
  // Encrypts the secrets stored in Postgres (docs/security.md).
  SECRETS_KEY: secretsKeyVariable,
  EVOLUTION_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .required(),
  EVOLUTION_API_KEY: Joi.string().allow('').default(''),
  EVOLUTION_TIMEOUT_MS: Joi.number().integer().min(1000).default(15000),
  DISPATCHER_CONCURRENCY: Joi.number().integer().min(1).max(500).default(10),
  RETRY_BASE_MS: Joi.number().integer().min(0).default(5000),
  RETRY_CAP_MS: Joi.number().integer().min(0).default(600000),
  SWEEP_INTERVAL_MS: Joi.number().integer().min(100).default(15000),
  SWEEP_STALE_AFTER_MS: Joi.number().integer().min(100).default(60000),
  // A send stuck longer than the Evolution timeout can only mean its worker died mid-call.
  SENDING_STALE_AFTER_MS: Joi.number()
    .integer()
    .greater(Joi.ref('EVOLUTION_TIMEOUT_MS'))
    .default(120000)
    .messages({ 'number.greater': '"SENDING_STALE_AFTER_MS" must be greater than EVOLUTION_TIMEOUT_MS' }),
  CONNECTION_POLL_INTERVAL_MS: Joi.number().integer().min(0).default(30000),
  // A message of a disconnected number sleeps this long at most before looking again.
  HOLD_RECHECK_MS: Joi.number().integer().min(1000).default(600000),
  // How often held messages of numbers connected again are released.
  HOLD_RELEASE_INTERVAL_MS: Joi.number().integer().min(100).default(5000),
  // How often ambiguous sends are looked into, and how long before one without evidence is settled.
  RECONCILE_INTERVAL_MS: Joi.number().integer().min(100).default(60000),
  RECONCILE_DEADLINE_MS: Joi.number().integer().min(1000).default(900000),
  HEALTH_PORT: Joi.number().port().default(8090),
  HEALTH_HOST: Joi.string().default('0.0.0.0'),
  // Prometheus's /metrics, on HEALTH_HOST but a port of its own (0: any free port). Not ingress's
  // 9464, so both run side by side on one machine with their defaults.
  METRICS_PORT: Joi.number().port().default(9465),
  // Local testing only: lets status webhooks go to http and loopback/private addresses.
  WEBHOOK_ALLOW_PRIVATE_URLS: Joi.boolean().truthy('1').falsy('0').default(false),
  WEBHOOK_CONCURRENCY: Joi.number().integer().min(1).max(200).default(10),
  WEBHOOK_POLL_INTERVAL_MS: Joi.number().integer().min(50).default(500),
  WEBHOOK_TIMEOUT_MS: Joi.number().integer().min(500).default(10000),
  // A claim must outlast the POST, or a slow delivery would be claimed again while in flight.
  WEBHOOK_LEASE_MS: Joi.number()
    .integer()
    .greater(Joi.ref('WEBHOOK_TIMEOUT_MS'))
    .default(60000)
    .messages({ 'number.greater': '"WEBHOOK_LEASE_MS" must be greater than WEBHOOK_TIMEOUT_MS' }),
  WEBHOOK_RETRY_BASE_MS: Joi.number().integer().min(0).default(30000),
  WEBHOOK_RETRY_CAP_MS: Joi.number().integer().min(0).default(3600000),
  WEBHOOK_RETRY_WINDOW_MS: Joi.number().integer().min(0).default(86400000),
  // Fair delivery: one slow endpoint holds at most this many POSTs at once, across all dispatchers.
  WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT: Joi.number().integer().min(1).max(100).default(2),
  // The breaker: failed attempts in a row that open it, the probe gaps (doubling), and how long an
  // endpoint may keep failing before it is disabled.
  WEBHOOK_BREAKER_FAILURES: Joi.number().integer().min(1).default(5),
  WEBHOOK_PROBE_BASE_MS: Joi.number().integer().min(0).default(30000),
  WEBHOOK_PROBE_CAP_MS: Joi.number().integer().min(0).default(3600000),
  WEBHOOK_DISABLE_AFTER_HOURS: Joi.number().min(0).default(72),
});

export interface DispatcherConfig extends CommonConfig {
  /** The keys of SECRETS_KEY: the first encrypts stored secrets, all decrypt. */
  readonly secretsKey: SecretsKeyRing;
  readonly evolution: { readonly url: string; readonly apiKey: string; readonly timeoutMs: number };
  readonly worker: { readonly concurrency: number };
  readonly retry: { readonly baseMs: number; readonly capMs: number };
  readonly sweeper: {
    readonly intervalMs: number;
    readonly queuedStaleAfterMs: number;
    readonly sendingStaleAfterMs: number;
  };
  /** 0 turns polling off (webhooks alone then keep connection states); also the probe interval. */
  readonly connectionPollIntervalMs: number;
  /** Messages of disconnected numbers. */
  readonly holds: { readonly recheckMs: number; readonly releaseIntervalMs: number };
  /** Ambiguous sends: how often they are looked into, and when one without evidence is settled. */
  readonly reconciler: { readonly intervalMs: number; readonly deadlineMs: number };
  readonly health: { readonly port: number; readonly host: string };
  /** Where /metrics is served (on `health.host`), apart from the probes and /backlog. */
  readonly metrics: { readonly port: number };
  /** Billing systems' status webhooks. */
  readonly webhooks: {
    readonly allowPrivateUrls: boolean;
    readonly concurrency: number;
    readonly pollIntervalMs: number;
    readonly timeoutMs: number;
    readonly leaseMs: number;
    readonly retryBaseMs: number;
    readonly retryCapMs: number;
    /** Retries go on until a failure comes this long after the event (at least 24 h by default). */
    readonly retryWindowMs: number;
    /** Deliveries of one endpoint in flight at most, across every dispatcher. */
    readonly maxInFlightPerEndpoint: number;
    readonly circuit: WebhookCircuitPolicy;
  };
}

/** Reads and validates the dispatcher's configuration; throws a ConfigError listing every problem. */
export function loadDispatcherConfig(
  environment: Environment = processEnvironment(),
): Readonly<DispatcherConfig> {
  return loadConfig(dispatcherVariablesSchema, environment, (variables) => ({
    ...toCommonConfig(variables),
    secretsKey: variables.SECRETS_KEY,
    evolution: {
      url: variables.EVOLUTION_API_URL.replace(/\/+$/, ''),
      apiKey: variables.EVOLUTION_API_KEY,
      timeoutMs: variables.EVOLUTION_TIMEOUT_MS,
    },
    worker: { concurrency: variables.DISPATCHER_CONCURRENCY },
    retry: { baseMs: variables.RETRY_BASE_MS, capMs: variables.RETRY_CAP_MS },
    sweeper: {
      intervalMs: variables.SWEEP_INTERVAL_MS,
      queuedStaleAfterMs: variables.SWEEP_STALE_AFTER_MS,
      sendingStaleAfterMs: variables.SENDING_STALE_AFTER_MS,
    },
    connectionPollIntervalMs: variables.CONNECTION_POLL_INTERVAL_MS,
    holds: { recheckMs: variables.HOLD_RECHECK_MS, releaseIntervalMs: variables.HOLD_RELEASE_INTERVAL_MS },
    reconciler: { intervalMs: variables.RECONCILE_INTERVAL_MS, deadlineMs: variables.RECONCILE_DEADLINE_MS },
    health: { port: variables.HEALTH_PORT, host: variables.HEALTH_HOST },
    metrics: { port: variables.METRICS_PORT },
    webhooks: {
      allowPrivateUrls: variables.WEBHOOK_ALLOW_PRIVATE_URLS,
      concurrency: variables.WEBHOOK_CONCURRENCY,
      pollIntervalMs: variables.WEBHOOK_POLL_INTERVAL_MS,
      timeoutMs: variables.WEBHOOK_TIMEOUT_MS,
      leaseMs: variables.WEBHOOK_LEASE_MS,
      retryBaseMs: variables.WEBHOOK_RETRY_BASE_MS,
      retryCapMs: variables.WEBHOOK_RETRY_CAP_MS,
      retryWindowMs: variables.WEBHOOK_RETRY_WINDOW_MS,
      maxInFlightPerEndpoint: variables.WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT,
      circuit: {
        failureThreshold: variables.WEBHOOK_BREAKER_FAILURES,
        probeBaseMs: variables.WEBHOOK_PROBE_BASE_MS,
        probeCapMs: variables.WEBHOOK_PROBE_CAP_MS,
        disableAfterMs: Math.round(variables.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000),
      },
    },
  }));
}
