import type Joi from 'joi';
import { commonVariables } from '../../../packages/config/src/common-variables';
import { cliVariablesSchema, loadCliConfig } from '../../../packages/cli/src/cli-config';
import { loadSandboxConfig } from '../../../packages/evolution-sandbox/src/sandbox-config';
import { dispatcherVariablesSchema, loadDispatcherConfig } from '../../../services/dispatcher/src/config';
import { ingressVariablesSchema, loadIngressConfig } from '../../../services/ingress/src/config';

/** What a Telenexus container runs: the image's command picks it. */
export type Role = 'ingress' | 'dispatcher' | 'sandbox' | 'migrate' | 'init';

export type Environment = Readonly<Record<string, string>>;

export interface RoleVariables {
  /** Every variable the process reads; anything else given to it is a mistake. */
  readonly known: ReadonlySet<string>;
  /**
   * What a deployment must set: the schema's required variables, plus those whose defaults only
   * suit a developer machine (localhost URLs, NODE_ENV=development).
   */
  readonly required: ReadonlySet<string>;
  /** Loads the process's config from the environment exactly as it would start; throws if invalid. */
  readonly load: (environment: Environment) => void;
}

/** Names and required names straight from a Joi object schema, read at test time. */
function schemaVariables(schema: Joi.ObjectSchema): { names: string[]; required: string[] } {
  const keys = (schema.describe().keys ?? {}) as Record<string, { flags?: { presence?: string } }>;
  return {
    names: Object.keys(keys),
    required: Object.entries(keys)
      .filter(([, description]) => description.flags?.presence === 'required')
      .map(([name]) => name),
  };
}

/** The sandbox reads its variables by hand: record which names it asks for. */
function sandboxVariableNames(): string[] {
  const asked = new Set<string>();
  const recorder = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, name) => {
        if (typeof name === 'string') asked.add(name);
        return undefined;
      },
    },
  );
  loadSandboxConfig(recorder);
  return [...asked];
}

/**
 * Read by Node.js itself rather than by Telenexus, so an operator may set them on any container:
 * heap size and flags, the time zone, extra CA certificates for a managed Postgres or Redis.
 */
export const NODE_RUNTIME_VARIABLES = ['NODE_OPTIONS', 'TZ', 'NODE_EXTRA_CA_CERTS'] as const;

function roleVariables(
  names: readonly string[],
  schemaRequired: readonly string[],
  deploymentRequired: readonly string[],
  load: (environment: Environment) => void,
): RoleVariables {
  const known = new Set([...names, ...NODE_RUNTIME_VARIABLES]);
  for (const name of deploymentRequired) {
    // A renamed variable must not leave this list asking for a name nobody reads.
    if (!known.has(name)) throw new Error(`${name} is listed as required but no schema knows it`);
  }
  return { known, required: new Set([...schemaRequired, ...deploymentRequired]), load };
}

const ingress = schemaVariables(ingressVariablesSchema);
const dispatcher = schemaVariables(dispatcherVariablesSchema);
const common = Object.keys(commonVariables);

/**
 * Every container starts through the CLI (`telenexus run …`, `telenexus migrate`), which validates
 * its own variables before handing over, so each environment must satisfy the CLI's schema too.
 */
const ROLES: Readonly<Record<Role, RoleVariables>> = {
  ingress: roleVariables(
    ingress.names,
    ingress.required,
    ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'PUBLIC_BASE_URL'],
    (environment) => {
      loadCliConfig(environment);
      loadIngressConfig(environment);
    },
  ),
  dispatcher: roleVariables(
    dispatcher.names,
    dispatcher.required,
    ['NODE_ENV', 'DATABASE_URL', 'REDIS_URL'],
    (environment) => {
      loadCliConfig(environment);
      loadDispatcherConfig(environment);
    },
  ),
  // `telenexus migrate` reads the common variables (packages/cli/src/cli-config.ts) and needs Postgres.
  migrate: roleVariables(common, [], ['DATABASE_URL'], (environment) => {
    loadCliConfig(environment);
  }),
  // `telenexus init` migrates, then creates the first account and keys: the CLI's own variables, and
  // Evolution's URL and key to tell the built-in sandbox from a real Evolution and list its instances.
  init: roleVariables(
    Object.keys((cliVariablesSchema as Joi.ObjectSchema).describe().keys ?? {}),
    [],
    ['DATABASE_URL', 'EVOLUTION_API_URL', 'EVOLUTION_API_KEY', 'PUBLIC_BASE_URL'],
    (environment) => {
      loadCliConfig(environment);
    },
  ),
  // In a container the sandbox must listen on every interface (its default is 127.0.0.1).
  sandbox: roleVariables(sandboxVariableNames(), [], ['SANDBOX_HOST'], (environment) => {
    loadCliConfig(environment);
    loadSandboxConfig(environment);
  }),
};

export function variablesOf(role: Role): RoleVariables {
  return ROLES[role];
}

/** The role a container's arguments (after the image's ENTRYPOINT, the CLI) select. */
export function roleOfCommand(args: readonly unknown[] | undefined): Role {
  const command = (args ?? []).join(' ');
  switch (command) {
    case 'run ingress':
      return 'ingress';
    case 'run dispatcher':
      return 'dispatcher';
    case 'run sandbox':
      return 'sandbox';
    case 'migrate':
      return 'migrate';
    case 'init':
      return 'init';
    default:
      throw new Error(`"${command}" is not a Telenexus container command`);
  }
}

export { loadDispatcherConfig, loadIngressConfig, loadSandboxConfig };
