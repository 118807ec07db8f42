import type Joi from 'joi';
import { ConfigError } from './config-error';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment against a service's schema once, at start-up, and returns the result
 * frozen. Unknown variables are ignored (the environment holds much else); every problem is reported
 * together so an operator fixes them in one round.
 *
 * @param schema a Joi object schema whose keys are environment variable names.
 * @param toConfig maps the validated variables to the service's typed config object.
 */
export function loadConfig<Variables, Config extends object>(
  schema: Joi.ObjectSchema<Variables>,
  environment: Environment,
  toConfig: (variables: Variables) => Config,
): Readonly<Config> {
  const result = schema.validate(environment, {
    abortEarly: false,
    allowUnknown: true,
    stripUnknown: true,
    convert: true,
  });
  if (result.error) {
    throw new ConfigError(result.error.details.map((detail) => detail.message));
  }
  return deepFreeze(toConfig(result.value));
}

function deepFreeze<T extends object>(target: T): Readonly<T> {
  for (const value of Object.values(target)) {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
      deepFreeze(value as object);
    }
  }
  return Object.freeze(target);
}
