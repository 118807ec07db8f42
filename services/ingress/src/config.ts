import {
  baseUrls,
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
import Joi from 'joi';

interface IngressVariables extends CommonVariables {
  SECRETS_KEY: SecretsKeyRing;
  PORT: number;
  HOST: string;
  METRICS_PORT: number;
  PUBLIC_BASE_URL?: string;
  BODY_LIMIT_KB: number;
  BATCH_BODY_LIMIT_KB: number;
  DEDUPE_WINDOW_HOURS: number;
  RATE_LIMIT_PER_MINUTE: number;
  EVOLUTION_WEBHOOK_RATE_LIMIT_PER_MINUTE: number;
  QUEUE_LIMIT_PER_ACCOUNT: number;
  WEBHOOK_ALLOW_PRIVATE_URLS: boolean;
  WEBHOOK_SECRET_OVERLAP_HOURS: number;
  DASHBOARD_USERNAME?: string;
  DASHBOARD_PASSWORD?: string;
  DASHBOARD_READ_ONLY: boolean;
  OPERATOR_ACCOUNT_ID?: string;
  DASHBOARD_OPERATOR_ACCOUNT_ID?: string;
  TRUST_PROXY: string;
  EVOLUTION_API_URL?: string;
  EVOLUTION_API_KEY: string;
  EVOLUTION_WEBHOOK_BASE_URL?: string;
}

/** Every environment variable ingress reads, with its rules (also read by the deployment checks). */
export const ingressVariablesSchema = Joi.object<IngressVariables>({
  ...commonVariables,
  // Encrypts the secrets stored in Postgres (docs/security.md).
  SECRETS_KEY: secretsKeyVariable,
  PORT: Joi.number().port().default(8080),
  HOST: Joi.string().default('0.0.0.0'),
  // Prometheus's /metrics, on a port of its own so the API port never serves it (0: any free port).
  METRICS_PORT: Joi.number().port().default(9464),
  // Default: http://localhost:<PORT>.
  PUBLIC_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty(''),
  BODY_LIMIT_KB: Joi.number().integer().min(1).max(10240).default(64),
  BATCH_BODY_LIMIT_KB: Joi.number().integer().min(1).max(102400).default(1024),
  DEDUPE_WINDOW_HOURS: Joi.number()
    .min(0)
    .max(24 * 90)
    .default(24),
  RATE_LIMIT_PER_MINUTE: Joi.number().integer().min(0).default(6000),
  // Evolution webhook calls per instance per minute (0: no limit). A number sending as fast as Evolution
  // answers (~1 message/s) causes ~5 events a message, ~300 a minute; 1,200 leaves room for bursts.
  EVOLUTION_WEBHOOK_RATE_LIMIT_PER_MINUTE: Joi.number().integer().min(0).default(1200),
  // A whole monthly run of a large ISP fits; one account cannot fill Redis for everyone (0: no limit).
  QUEUE_LIMIT_PER_ACCOUNT: Joi.number().integer().min(0).default(100_000),
  // Local testing only: lets status webhooks point at http and loopback/private addresses.
  WEBHOOK_ALLOW_PRIVATE_URLS: Joi.boolean().truthy('1').falsy('0').default(false),
  // How long a rotated-out status-webhook secret keeps signing beside the new one (0: it stops at once).
  WEBHOOK_SECRET_OVERLAP_HOURS: Joi.number()
    .min(0)
    .max(24 * 30)
    .default(24),
  // Operator sign-in for /admin/queues besides admin API keys; both or neither.
  DASHBOARD_USERNAME: Joi.string().min(1).empty(''),
  DASHBOARD_PASSWORD: Joi.string().min(12).empty(''),
  DASHBOARD_READ_ONLY: Joi.boolean().truthy('1').falsy('0').default(true),
  // The operator's own account: its admin keys may open the dashboard (it shows every account's jobs)
  // and link Evolution instances without their tokens (calls then use EVOLUTION_API_KEY).
  OPERATOR_ACCOUNT_ID: Joi.string().guid().empty(''),
  // OPERATOR_ACCOUNT_ID's older name, still read.
  DASHBOARD_OPERATOR_ACCOUNT_ID: Joi.string().guid().empty(''),
  TRUST_PROXY: Joi.string().default('loopback'),
  // Used when instances are created or re-applied through the API, to point Evolution's webhook at us.
  EVOLUTION_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty(''),
  EVOLUTION_API_KEY: Joi.string().allow('').default(''),
  EVOLUTION_WEBHOOK_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty(''),
})
  // Half a pair of dashboard credentials is a mistake, not a choice.
  .and('DASHBOARD_USERNAME', 'DASHBOARD_PASSWORD')
  // Two operators would be a mistake too: the old name may only repeat the new one.
  .custom((variables: IngressVariables, helpers) =>
    variables.OPERATOR_ACCOUNT_ID &&
    variables.DASHBOARD_OPERATOR_ACCOUNT_ID &&
    variables.OPERATOR_ACCOUNT_ID !== variables.DASHBOARD_OPERATOR_ACCOUNT_ID
      ? helpers.message({
          custom:
            'OPERATOR_ACCOUNT_ID and its older name DASHBOARD_OPERATOR_ACCOUNT_ID name different accounts',
        })
      : variables,
  );

export interface IngressConfig extends CommonConfig {
  /** The keys of SECRETS_KEY: the first encrypts stored secrets, all decrypt. */
  readonly secretsKey: SecretsKeyRing;
  readonly http: {
    readonly port: number;
    readonly host: string;
    /** How billing systems reach us; used in the integration details we show them. */
    readonly publicBaseUrl: string;
    readonly bodyLimitBytes: number;
    readonly batchBodyLimitBytes: number;
    /** Express `trust proxy`, so client addresses are right behind a load balancer. */
    readonly trustProxy: string;
  };
  /** Where /metrics is served (on `http.host`), apart from the API. */
  readonly metrics: { readonly port: number };
  /** How long an identical notification is recognised as a retry, in ms (0: off). */
  readonly dedupeWindowMs: number;
  /** Notifications per API key per minute; 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** Evolution webhook calls per instance per minute; 0: no limit. */
  readonly evolutionWebhookRateLimitPerMinute: number;
  /** Most messages an account may have queued; 0: no limit. */
  readonly queueLimitPerAccount: number;
  /** Status webhook endpoints may point at http and non-public addresses (local testing). */
  readonly webhookAllowPrivateUrls: boolean;
  /** How long a rotated-out status-webhook secret keeps signing, in ms (0: it stops at once). */
  readonly webhookSecretOverlapMs: number;
  readonly dashboard: {
    readonly readOnly: boolean;
    readonly credentials?: { readonly username: string; readonly password: string };
  };
  /**
   * The operator's own account: its admin keys open the dashboard and link Evolution instances
   * without proving their tokens.
   */
  readonly operatorAccountId?: string;
  readonly evolution: {
    /** Unset: instances are created without configuring Evolution (they say so). */
    readonly url: string | undefined;
    readonly apiKey: string;
    /** Our base URL as Evolution reaches it, for its webhooks; defaults to the public one. */
    readonly webhookBaseUrl: string;
  };
}

/** Reads and validates ingress's configuration; throws a ConfigError listing every problem. */
export function loadIngressConfig(environment: Environment = processEnvironment()): Readonly<IngressConfig> {
  return loadConfig(ingressVariablesSchema, environment, (variables) => {
    const { publicBaseUrl, evolutionWebhookBaseUrl } = baseUrls(variables);
    return {
      ...toCommonConfig(variables),
      secretsKey: variables.SECRETS_KEY,
      http: {
        port: variables.PORT,
        host: variables.HOST,
        publicBaseUrl,
        bodyLimitBytes: variables.BODY_LIMIT_KB * 1024,
        batchBodyLimitBytes: variables.BATCH_BODY_LIMIT_KB * 1024,
        trustProxy: variables.TRUST_PROXY,
      },
      metrics: { port: variables.METRICS_PORT },
      dedupeWindowMs: Math.round(variables.DEDUPE_WINDOW_HOURS * 3600 * 1000),
      rateLimitPerMinute: variables.RATE_LIMIT_PER_MINUTE,
      evolutionWebhookRateLimitPerMinute: variables.EVOLUTION_WEBHOOK_RATE_LIMIT_PER_MINUTE,
      queueLimitPerAccount: variables.QUEUE_LIMIT_PER_ACCOUNT,
      webhookAllowPrivateUrls: variables.WEBHOOK_ALLOW_PRIVATE_URLS,
      webhookSecretOverlapMs: Math.round(variables.WEBHOOK_SECRET_OVERLAP_HOURS * 3600 * 1000),
      dashboard: {
        readOnly: variables.DASHBOARD_READ_ONLY,
        ...(variables.DASHBOARD_USERNAME && variables.DASHBOARD_PASSWORD
          ? {
              credentials: { username: variables.DASHBOARD_USERNAME, password: variables.DASHBOARD_PASSWORD },
            }
          : {}),
      },
      ...operatorAccount(variables.OPERATOR_ACCOUNT_ID ?? variables.DASHBOARD_OPERATOR_ACCOUNT_ID),
      evolution: {
        url: variables.EVOLUTION_API_URL?.replace(/\/+$/, ''),
        apiKey: variables.EVOLUTION_API_KEY,
        webhookBaseUrl: evolutionWebhookBaseUrl,
      },
    };
  });
}

function operatorAccount(id: string | undefined): Pick<IngressConfig, 'operatorAccountId'> {
  return id ? { operatorAccountId: id } : {};
}
