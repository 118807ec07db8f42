import { join } from 'node:path';
import { isRecord, readYamlFile, REPO_ROOT } from './yaml-files';

export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');

/** A compose service, with the fields the tests read. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: unknown;
  profiles?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: (string | { target: number })[];
  volumes?: (string | { source?: string; target: string })[];
  healthcheck?: { test?: string[] | string };
  restart?: string;
  read_only?: boolean;
  tmpfs?: string[] | string;
  cap_drop?: string[];
  security_opt?: string[];
  stop_grace_period?: string;
  [field: string]: unknown;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml as compose reads it (YAML merge keys `<<:` resolved). */
export function readComposeFile(): ComposeFile {
  const value = readYamlFile(COMPOSE_FILE, { merge: true });
  if (!isRecord(value) || !isRecord(value.services)) throw new Error('docker-compose.yml has no services');
  return value as unknown as ComposeFile;
}

/**
 * Compose's `${…}` interpolation against a shell environment (empty by default: what someone who
 * sets nothing gets). `$$` is a literal `$`; `${X:?message}` with X unset fails like compose does.
 */
export function interpolate(text: string, shell: Readonly<Record<string, string>> = {}): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name?: string, operator?: string, argument?: string, bare?: string) => {
      if (match === '$$') return '$';
      if (bare) return shell[bare] ?? '';
      const value = shell[name ?? ''];
      const unset = operator?.startsWith(':') ? !value : value === undefined;
      if (!operator || !unset) return value ?? '';
      if (operator.endsWith('?')) throw new Error(`${name} is required: ${argument ?? ''}`);
      return argument ?? '';
    },
  );
}

/** A service's environment as written (before interpolation). */
export function rawEnvironment(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const separator = entry.indexOf('=');
        return separator < 0 ? [entry, ''] : [entry.slice(0, separator), entry.slice(separator + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [name, value === null ? '' : String(value)]),
  );
}

/** A service's environment as the container gets it; empty values dropped, as unset. */
export function serviceEnvironment(
  service: ComposeService,
  shell: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(rawEnvironment(service))
      .map(([name, value]) => [name, interpolate(value, shell)] as const)
      .filter(([, value]) => value !== ''),
  );
}

/** The command as a list of arguments. */
export function commandOf(service: ComposeService): string[] {
  const { command } = service;
  if (command === undefined) return [];
  return Array.isArray(command) ? command.map(String) : command.split(/\s+/).filter(Boolean);
}

/** Container ports a service publishes. */
export function publishedContainerPorts(service: ComposeService): number[] {
  return (service.ports ?? []).map((port) =>
    typeof port === 'string' ? Number(port.split(':').pop()?.split('/')[0]) : port.target,
  );
}

/** `30s`, `1m30s`, `2m` in ms (compose durations). */
export function durationMs(value: string | undefined): number {
  if (!value) return Number.NaN;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = value;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) return Number.NaN;
    total += Number(match[1]) * (units[match[2] ?? ''] ?? Number.NaN);
    rest = rest.slice(match[0].length);
  }
  return total;
}
