import { parseArgs } from 'node:util';
import { ConfigError, type Environment } from '@telenexus/config';
import { isDomainError } from '@telenexus/core';
import { loadCliConfig } from './cli-config';
import { createAccountCommand } from './commands/accounts.command';
import { applyInstanceWebhookCommand, createInstanceCommand } from './commands/instances.command';
import { createKeyCommand } from './commands/keys.command';
import { migrateCommand } from './commands/migrate.command';
import { startCommand } from './commands/start.command';
import { DependencyUnreachableError } from './dependency-check';
import { runService, type ServiceName } from './run-service';
import type { Output } from './output';
import { USAGE } from './usage';
import { UsageError } from './usage-error';

type Flags = Record<string, string | boolean | undefined>;

function parse(args: readonly string[], options: Record<string, { type: 'string' | 'boolean' }>): Flags {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

function optional(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs one CLI invocation and returns its exit code: 0 done, 1 failed, 2 bad arguments.
 * Failures are explained in a sentence or two; no stack trace reaches the terminal.
 */
export async function runCli(
  argv: readonly string[],
  environment: Environment,
  output: Output,
): Promise<number> {
  try {
    const [command, action, ...rest] = argv;
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      output.say(USAGE);
      return command === undefined ? 2 : 0;
    }
    const config = loadCliConfig(environment);
    switch (`${command} ${['start', 'migrate'].includes(command) ? '' : (action ?? '')}`.trim()) {
      case 'run ingress':
      case 'run dispatcher':
      case 'run sandbox':
        parse(rest, {});
        runService(action as ServiceName);
        return 0;
      case 'start':
        parse(argv.slice(1), {});
        return await startCommand(config, output);
      case 'migrate':
        parse(argv.slice(1), {});
        await migrateCommand(config, output);
        return 0;
      case 'accounts create': {
        const flags = parse(rest, { name: { type: 'string' }, json: { type: 'boolean' } });
        await createAccountCommand(config, output, {
          name: required(flags, 'name'),
          json: flags.json === true,
        });
        return 0;
      }
      case 'keys create': {
        const flags = parse(rest, {
          account: { type: 'string' },
          name: { type: 'string' },
          permissions: { type: 'string' },
          json: { type: 'boolean' },
        });
        const permissions = (optional(flags, 'permissions') ?? 'send_message')
          .split(',')
          .map((permission) => permission.trim())
          .filter(Boolean);
        await createKeyCommand(config, output, {
          accountId: required(flags, 'account'),
          name: required(flags, 'name'),
          permissions,
          json: flags.json === true,
        });
        return 0;
      }
      case 'instances create': {
        const flags = parse(rest, {
          account: { type: 'string' },
          name: { type: 'string' },
          'evolution-instance': { type: 'string' },
          'evolution-token': { type: 'string' },
          country: { type: 'string' },
          timezone: { type: 'string' },
          json: { type: 'boolean' },
        });
        await createInstanceCommand(config, output, {
          accountId: required(flags, 'account'),
          name: required(flags, 'name'),
          evolutionInstanceName: required(flags, 'evolution-instance'),
          evolutionToken: optional(flags, 'evolution-token'),
          country: optional(flags, 'country'),
          timezone: optional(flags, 'timezone'),
          json: flags.json === true,
        });
        return 0;
      }
      case 'instances webhook': {
        const flags = parse(rest, { instance: { type: 'string' } });
        return await applyInstanceWebhookCommand(config, output, { instanceId: required(flags, 'instance') });
      }
      default:
        throw new UsageError(`Unknown command: ${argv.slice(0, 2).join(' ')}`);
    }
  } catch (error) {
    return explain(error, output);
  }
}

function explain(error: unknown, output: Output): number {
  if (error instanceof UsageError) {
    output.say(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (error instanceof ConfigError || error instanceof DependencyUnreachableError) {
    output.say(error.message);
    return 1;
  }
  if (isDomainError(error)) {
    output.say(`Error: ${error.message}`);
    return 1;
  }
  if ((error as { driverError?: { code?: string } }).driverError?.code === '42P01') {
    output.say('The database has no schema yet: run `npx telenexus migrate` first.');
    return 1;
  }
  output.say(`Error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
