import {
  baseUrls,
  commonVariables,
  loadConfig,
  secretsKeyVariable,
  toCommonConfig,
  type CommonConfig,
  type CommonVariables,
  type Environment,
  type SecretsKeyRing,
} from '@telenexus/config';
import Joi from 'joi';

interface CliVariables extends CommonVariables {
  SECRETS_KEY?: SecretsKeyRing;
  EVOLUTION_API_URL?: string;
  EVOLUTION_API_KEY: string;
  PORT: number;
  PUBLIC_BASE_URL?: string;
  EVOLUTION_WEBHOOK_BASE_URL?: string;
  SANDBOX_PORT: number;
  METRICS_PORT: number;
  DASHBOARD_USERNAME?: string;
  DASHBOARD_PASSWORD?: string;
}

/** Every environment variable the CLI reads (also read by the deployment checks). */
export const cliVariablesSchema = Joi.object<CliVariables>({
  ...commonVariables,
  // Encrypts the secrets stored in Postgres (docs/security.md); `start` makes one if unset.
  SECRETS_KEY: secretsKeyVariable.optional(),
  EVOLUTION_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty(''),
  EVOLUTION_API_KEY: Joi.string().allow('').default(''),
  PORT: Joi.number().port().default(8080),
  PUBLIC_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty(''),
  EVOLUTION_WEBHOOK_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .empty(''),
  SANDBOX_PORT: Joi.number().port().default(8081),
  // `start` runs both services on one machine: ingress's metrics here, the dispatcher's on the next
  // port (their own defaults, 9464 and 9465). 0: free ports chosen by the system.
  METRICS_PORT: Joi.number().port().max(65534).default(9464),
  // Read only to know whether `start` must make up queue-dashboard credentials for this run.
  DASHBOARD_USERNAME: Joi.string().empty(''),
  DASHBOARD_PASSWORD: Joi.string().empty(''),
});

export interface CliConfig extends CommonConfig {
  /** The keys of SECRETS_KEY; unset until `start` makes one (commands that open the database need it). */
  readonly secretsKey: SecretsKeyRing | undefined;
  /** Unset means: run the built-in Evolution sandbox. */
  readonly evolutionUrl: string | undefined;
  readonly evolutionApiKey: string;
  readonly ingressPort: number;
  readonly publicBaseUrl: string;
  /** Our base URL as Evolution reaches it (for its webhooks); defaults to the public one. */
  readonly evolutionWebhookBaseUrl: string;
  readonly sandboxPort: number;
  /** Where `start` serves ingress's /metrics (0: any free port); the dispatcher's is {@link dispatcherMetricsPort}. */
  readonly metricsPort: number;
  /** The operator's queue-dashboard sign-in, when both variables are set. */
  readonly dashboardCredentials: { readonly username: string; readonly password: string } | undefined;
  /** Every variable the CLI was started with: `start` hands them on to the services it runs. */
  readonly variables: Environment;
}

/** The CLI reads the same variables as the services, so one `.env` serves both. */
export function loadCliConfig(environment: Environment): Readonly<CliConfig> {
  return loadConfig(cliVariablesSchema, environment, (variables) => {
    const { publicBaseUrl, evolutionWebhookBaseUrl } = baseUrls(variables);
    return {
      ...toCommonConfig(variables),
      secretsKey: variables.SECRETS_KEY,
      evolutionUrl: variables.EVOLUTION_API_URL,
      evolutionApiKey: variables.EVOLUTION_API_KEY,
      ingressPort: variables.PORT,
      publicBaseUrl,
      evolutionWebhookBaseUrl,
      sandboxPort: variables.SANDBOX_PORT,
      metricsPort: variables.METRICS_PORT,
      dashboardCredentials:
        variables.DASHBOARD_USERNAME && variables.DASHBOARD_PASSWORD
          ? { username: variables.DASHBOARD_USERNAME, password: variables.DASHBOARD_PASSWORD }
          : undefined,
      // A copy: the config is frozen, and process.env cannot be.
      variables: { ...environment },
    };
  });
}

/** The dispatcher's metrics port under `start`: the one after ingress's, so both fit on one machine. */
export function dispatcherMetricsPort(config: Pick<CliConfig, 'metricsPort'>): number {
  return config.metricsPort === 0 ? 0 : config.metricsPort + 1;
}
