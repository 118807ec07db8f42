import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium, which the console's browser tests drive (playwright-core never downloads one). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A program on this machine that some suite runs. */
export interface TestTool {
  readonly name: string;
  readonly neededBy: string;
  /** The Debian package that provides it. */
  readonly debianPackage: string;
  isPresent(): boolean;
}

function succeeds(command: string, args: readonly string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function onPath(program: string): boolean {
  return succeeds('sh', ['-c', `command -v ${program}`]);
}

/** A Python 3 that has `requests`, which the guide's Python example imports; undefined when none. */
export function pythonWithRequests(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => succeeds(python, ['-c', 'import requests']));
}

const TOOLS: readonly TestTool[] = [
  {
    name: 'Chromium',
    neededBy: "the web console's browser tests (test/console)",
    debianPackage: 'chromium',
    isPresent: () => existsSync(CHROMIUM_PATH),
  },
  {
    name: 'php',
    neededBy:
      "the integration guide's PHP example, the PHP webhook verifier and phpnuxbill's URL filling (test/e2e/guide-examples, receipts-flow, url-gateway)",
    debianPackage: 'php-cli',
    isPresent: () => onPath('php'),
  },
  {
    name: "Python's requests",
    neededBy: "the integration guide's Python example (test/e2e/guide-examples)",
    debianPackage: 'python3-requests',
    isPresent: () => pythonWithRequests() !== undefined,
  },
  {
    name: 'redis-server',
    neededBy: 'the Redis Cluster test (test/e2e/redis-cluster)',
    debianPackage: 'redis-server',
    isPresent: () => onPath('redis-server'),
  },
];

/** What a missing tool means for the run: install it (as root, with apt-get) or stop and say how. */
export type ToolPlan =
  | { readonly kind: 'ready' }
  | { readonly kind: 'install'; readonly tools: readonly TestTool[] }
  | { readonly kind: 'missing'; readonly tools: readonly TestTool[] };

export function planTestTools(
  tools: readonly TestTool[] = TOOLS,
  canInstall: boolean = process.getuid?.() === 0 && onPath('apt-get'),
): ToolPlan {
  const missing = tools.filter((tool) => !tool.isPresent());
  if (missing.length === 0) return { kind: 'ready' };
  return { kind: canInstall ? 'install' : 'missing', tools: missing };
}

function installCommand(tools: readonly TestTool[]): string {
  return `apt-get install -y ${tools.map((tool) => tool.debianPackage).join(' ')}`;
}

/** The one message that stops a run before any test when tools are missing and cannot be installed. */
export function missingToolsMessage(tools: readonly TestTool[]): string {
  return [
    'The tests need programs this machine does not have:',
    ...tools.map((tool) => `  - ${tool.name}, for ${tool.neededBy}`),
    'Install them (Debian or Ubuntu) with:',
    `  sudo ${installCommand(tools)}`,
    'Chromium may be anywhere if CHROMIUM_PATH names it.',
    '',
  ].join('\n');
}

/**
 * Makes sure every program a suite runs is here before any test starts: as root with apt-get,
 * installs what is missing (saying so in one line); otherwise stops the run with one message
 * naming each missing program and the command that installs it. Nothing is skipped silently.
 */
export function ensureTestTools(log: (line: string) => void): void {
  const plan = planTestTools();
  if (plan.kind === 'ready') return;
  if (plan.kind === 'missing') throw new MissingTestToolsError(missingToolsMessage(plan.tools));
  const command = installCommand(plan.tools);
  log(`Installing ${plan.tools.map((tool) => tool.name).join(', ')} for the tests: ${command}`);
  const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { env: environment, stdio: 'pipe' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...plan.tools.map((tool) => tool.debianPackage)], {
      env: environment,
      stdio: 'pipe',
    });
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error);
    throw new MissingTestToolsError(`${command} failed:\n${output}\n\n${missingToolsMessage(plan.tools)}`);
  }
  const still = plan.tools.filter((tool) => !tool.isPresent());
  if (still.length > 0) throw new MissingTestToolsError(missingToolsMessage(still));
}

/** The run cannot start: its message says what to install. */
export class MissingTestToolsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingTestToolsError';
  }
}
