import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error';
import type { Environment } from './load-config';

/** The project's root, where `.env` is looked for: this file is packages/config/{src,dist}/…. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/** The `.env` file read when `ENV_FILE` does not name another. */
export const DEFAULT_ENV_FILE = join(PROJECT_ROOT, '.env');

/**
 * The variables a process runs with: its real environment over the project's `.env` (or the file
 * `ENV_FILE` names), so one `.env` serves `npm start`, every CLI command and both services, and an
 * exported variable always wins over the file. Node's own parser reads the file; a missing default
 * `.env` is simply absent, a missing `ENV_FILE` is a configuration error.
 *
 * Config modules are the only code that calls this.
 */
export function processEnvironment(
  environment: Environment = process.env,
  defaultFile: string = DEFAULT_ENV_FILE,
): Environment {
  const named = environment.ENV_FILE;
  const path = named === undefined || named === '' ? defaultFile : resolve(named);
  if (!existsSync(path)) {
    if (path === defaultFile) return environment;
    throw new ConfigError([`"ENV_FILE" names ${path}, which does not exist`]);
  }
  return { ...parseEnv(readFileSync(path, 'utf8')), ...definedOnly(environment) };
}

/** An exported variable wins even when empty; only names that are truly unset fall to the file. */
function definedOnly(environment: Environment): Environment {
  return Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined));
}
