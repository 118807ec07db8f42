import Joi from 'joi';

/** Defaults that let `npm start` run against the local Postgres and Redis of a developer machine. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/telenexus';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_QUEUE_PREFIX = 'tnx';

/**
 * Variables every service reads: where Postgres and Redis are, the queue namespace and logging.
 * Each service's schema spreads these keys into its own.
 */
export const commonVariables = {
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .default(DEFAULT_DATABASE_URL),
  DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: Joi.number().integer().min(100).default(2000),
  // One URL, or with REDIS_CLUSTER a comma-separated list of seed nodes.
  REDIS_URL: Joi.string()
    .custom((value: string) => {
      for (const url of value.split(',')) {
        if (!/^rediss?:\/\/[^\s,]+$/.test(url.trim()))
          throw new Error('must be redis:// or rediss:// URLs, comma-separated');
      }
      return value;
    })
    .default(DEFAULT_REDIS_URL)
    .messages({ 'any.custom': '"REDIS_URL" {{#error.message}}' }),
  REDIS_CLUSTER: Joi.boolean().truthy('1').falsy('0').default(false),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[A-Za-z0-9_-]+$/)
    .max(64)
    .default(DEFAULT_QUEUE_PREFIX),
  LOG_LEVEL: Joi.string().valid('error', 'warn', 'info', 'http', 'debug').default('info'),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(0).default(20000),
  SEND_MAX_ATTEMPTS: Joi.number().integer().min(1).max(100).default(12),
} as const;

export interface CommonVariables {
  NODE_ENV: 'development' | 'production' | 'test';
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_CONNECT_TIMEOUT_MS: number;
  REDIS_URL: string;
  REDIS_CLUSTER: boolean;
  QUEUE_PREFIX: string;
  LOG_LEVEL: 'error' | 'warn' | 'info' | 'http' | 'debug';
  SHUTDOWN_TIMEOUT_MS: number;
  SEND_MAX_ATTEMPTS: number;
}

/** The typed shape of the common variables, as services pass them on. */
export interface CommonConfig {
  readonly environment: CommonVariables['NODE_ENV'];
  readonly database: {
    readonly url: string;
    readonly poolSize: number;
    readonly connectTimeoutMs: number;
  };
  readonly redis: {
    /** One URL, or the seed nodes of a cluster, comma-separated. */
    readonly url: string;
    readonly cluster: boolean;
    readonly queuePrefix: string;
  };
  readonly logLevel: CommonVariables['LOG_LEVEL'];
  readonly shutdownTimeoutMs: number;
  /** Attempts per message before a transient failure becomes `failed` (set on each job). */
  readonly sendMaxAttempts: number;
}

export function toCommonConfig(variables: CommonVariables): CommonConfig {
  return {
    environment: variables.NODE_ENV,
    database: {
      url: variables.DATABASE_URL,
      poolSize: variables.DATABASE_POOL_SIZE,
      connectTimeoutMs: variables.DATABASE_CONNECT_TIMEOUT_MS,
    },
    redis: {
      url: variables.REDIS_URL,
      cluster: variables.REDIS_CLUSTER,
      queuePrefix: variables.QUEUE_PREFIX,
    },
    logLevel: variables.LOG_LEVEL,
    shutdownTimeoutMs: variables.SHUTDOWN_TIMEOUT_MS,
    sendMaxAttempts: variables.SEND_MAX_ATTEMPTS,
  };
}
