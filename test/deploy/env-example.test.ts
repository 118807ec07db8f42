import { readFileSync } from 'node:fs';
import type Joi from 'joi';
import { cliVariablesSchema } from '../../packages/cli/src/cli-config';
import { NODE_RUNTIME_VARIABLES, variablesOf, type Role } from './support/service-variables';
import { fromRoot } from './support/yaml-files';

const ROLES: readonly Role[] = ['ingress', 'dispatcher', 'sandbox', 'migrate'];

/** `.env.example` as a newcomer copies it: `NAME=value` lines, and `# NAME=value` optional ones. */
function readEnvExample(): { set: Record<string, string>; mentioned: Set<string> } {
  const set: Record<string, string> = {};
  const mentioned = new Set<string>();
  for (const line of readFileSync(fromRoot('.env.example'), 'utf8').split('\n')) {
    const assignment = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!assignment) continue;
    mentioned.add(assignment[2]!);
    if (!assignment[1]) set[assignment[2]!] = assignment[3]!;
  }
  return { set, mentioned };
}

const cliNames = Object.keys((cliVariablesSchema as Joi.ObjectSchema).describe().keys ?? {});
const known = new Set([...cliNames, ...ROLES.flatMap((role) => [...variablesOf(role).known])]);

describe('.env.example', () => {
  const { set, mentioned } = readEnvExample();

  it('When a newcomer reads it, then it lists every variable a Telenexus process reads', () => {
    const runtime = new Set<string>(NODE_RUNTIME_VARIABLES);
    const missing = [...known].filter((name) => !runtime.has(name) && !mentioned.has(name));
    expect(missing).toEqual([]);
  });

  it('When it names a variable, then some process reads it (no stale or misspelt names)', () => {
    expect([...mentioned].filter((name) => !known.has(name))).toEqual([]);
  });

  it('When copied to .env as it is, then every service and the CLI start with its values', () => {
    // Left unset, EVOLUTION_API_URL makes `npm start` run the sandbox and hand its URL to the dispatcher,
    // and SECRETS_KEY is made by the first `npm start` and added to .env.
    const asStarted = {
      EVOLUTION_API_URL: 'http://127.0.0.1:8081',
      SECRETS_KEY: `k1:${Buffer.alloc(32, 4).toString('base64')}`,
      ...set,
    };
    for (const role of ROLES) expect(() => variablesOf(role).load(asStarted)).not.toThrow();
  });
});
