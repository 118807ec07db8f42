import {
  baseUrls,
  commonVariables,
  loadConfig,
  toCommonConfig,
  type CommonConfig,
  type CommonVariables,
  type Environment,
} from '@telenexus/config';
import Joi from 'joi';

interface CliVariables extends CommonVariables {
  EVOLUTION_API_URL?: string;
  EVOLUTION_API_KEY: string;
  PORT: number;
  PUBLIC_BASE_URL?: string;
  EVOLUTION_WEBHOOK_BASE_URL?: string;
  SANDBOX_PORT: number;
  DASHBOARD_USERNAME?: string;
  DASHBOARD_PASSWORD?: string;
}

/** Every environment variable the CLI reads (also read by the deployment checks). */
export const cliVariablesSchema = Joi.object<CliVariables>({
  ...commonVariables,
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
  // Read only to know whether `start` must make up queue-dashboard credentials for this run.
  DASHBOARD_USERNAME: Joi.string().empty(''),
  DASHBOARD_PASSWORD: Joi.string().empty(''),
});

export interface CliConfig extends CommonConfig {
  /** Unset means: run the built-in Evolution sandbox. */
  readonly evolutionUrl: string | undefined;
  readonly evolutionApiKey: string;
  readonly ingressPort: number;
  readonly publicBaseUrl: string;
  /** Our base URL as Evolution reaches it (for its webhooks); defaults to the public one. */
  readonly evolutionWebhookBaseUrl: string;
  readonly sandboxPort: number;
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
      evolutionUrl: variables.EVOLUTION_API_URL,
      evolutionApiKey: variables.EVOLUTION_API_KEY,
      ingressPort: variables.PORT,
      publicBaseUrl,
      evolutionWebhookBaseUrl,
      sandboxPort: variables.SANDBOX_PORT,
      dashboardCredentials:
        variables.DASHBOARD_USERNAME && variables.DASHBOARD_PASSWORD
          ? { username: variables.DASHBOARD_USERNAME, password: variables.DASHBOARD_PASSWORD }
          : undefined,
      // A copy: the config is frozen, and process.env cannot be.
      variables: { ...environment },
    };
  });
}
