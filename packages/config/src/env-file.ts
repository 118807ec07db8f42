import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import type { Environment } from './load-config';
import { DEFAULT_ENV_FILE } from './process-environment';

/**
 * Adds `NAME=value` to the `.env` file this process reads (the one `ENV_FILE` names, else the
 * project's), creating it if need be, so the next start reads the same value.
 *
 * @returns the file written.
 */
export function appendToEnvFile(
  name: string,
  value: string,
  environment: Environment = process.env,
  defaultFile: string = DEFAULT_ENV_FILE,
): string {
  const named = environment.ENV_FILE;
  const path = named === undefined || named === '' ? defaultFile : resolve(named);
  // Writing to /dev/null or a pipe would look fine and keep nothing.
  if (existsSync(path) && !statSync(path).isFile()) {
    throw new ConfigError([`${name} is not set and ${path} is not a file it could be saved in; set ${name}`]);
  }
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const separator = before === '' || before.endsWith('\n') ? '' : '\n';
  appendFileSync(path, `${separator}${name}=${value}\n`, { mode: 0o600 });
  return path;
}
