export type SandboxEnvironment = Readonly<Record<string, string | undefined>>;

/** The standalone sandbox's settings, read once from the environment. */
export interface SandboxConfig {
  readonly port: number;
  readonly host: string;
  readonly globalApiKey: string;
  readonly autoCreateInstances: boolean;
  readonly latencyMs: number;
  readonly serverAckMs: number | null;
  readonly deliveryAckMs: number | null;
  readonly readMs: number | null;
  /** Chance a delivered message is read; 1 by default so a local run shows the whole lifecycle. */
  readonly readProbability: number;
}

/** Thrown when the environment cannot configure the sandbox; lists every problem at once. */
export class SandboxConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid sandbox configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'SandboxConfigError';
    this.problems = problems;
  }
}

const DEFAULTS = {
  port: 8081,
  host: '127.0.0.1',
  globalApiKey: 'sandbox-global-key',
  serverAckMs: 100,
  deliveryAckMs: 500,
  readMs: 2000,
} as const;

/**
 * Reads `SANDBOX_PORT`, `SANDBOX_HOST`, `EVOLUTION_API_KEY`, `SANDBOX_AUTO_CREATE_INSTANCES`,
 * `SANDBOX_LATENCY_MS`, `SANDBOX_SERVER_ACK_MS` / `SANDBOX_DELIVERY_ACK_MS` / `SANDBOX_READ_MS`
 * (a number of ms, or `never`) and `SANDBOX_READ_PROBABILITY` (0–1). The only place in the package that looks at the environment.
 */
export function loadSandboxConfig(environment: SandboxEnvironment = process.env): Readonly<SandboxConfig> {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = environment[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return Number(raw);
  };
  const delay = (name: string, fallback: number): number | null => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (/^(never|null|off)$/i.test(raw)) return null;
    return integer(name, fallback, 0, 86_400_000);
  };
  const probability = (name: string, fallback: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d*\.?\d+$/.test(raw) || value > 1) {
      problems.push(`${name} must be a number from 0 to 1 (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string): boolean => {
    const raw = read(name);
    if (raw === undefined) return false;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return false;
  };

  const config: SandboxConfig = {
    port: integer('SANDBOX_PORT', DEFAULTS.port, 0, 65_535),
    host: read('SANDBOX_HOST') ?? DEFAULTS.host,
    globalApiKey: read('EVOLUTION_API_KEY') ?? DEFAULTS.globalApiKey,
    autoCreateInstances: flag('SANDBOX_AUTO_CREATE_INSTANCES'),
    latencyMs: integer('SANDBOX_LATENCY_MS', 0, 0, 600_000),
    serverAckMs: delay('SANDBOX_SERVER_ACK_MS', DEFAULTS.serverAckMs),
    deliveryAckMs: delay('SANDBOX_DELIVERY_ACK_MS', DEFAULTS.deliveryAckMs),
    readMs: delay('SANDBOX_READ_MS', DEFAULTS.readMs),
    readProbability: probability('SANDBOX_READ_PROBABILITY', 1),
  };
  if (problems.length > 0) throw new SandboxConfigError(problems);
  return Object.freeze(config);
}
