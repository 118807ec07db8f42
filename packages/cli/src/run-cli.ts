import { ConfigError, type Environment } from '@telenexus/config';
import { isDomainError } from '@telenexus/core';
import { packageVersion } from '@telenexus/runtime';
import { loadCliConfig, type CliConfig } from './cli-config';
import { parseFlags, type CommandSpec } from './command-spec';
import { COMMANDS } from './command-table';
import { DependencyUnreachableError } from './dependency-check';
import type { Output } from './output';
import { commandUsage, usage } from './usage';
import { UsageError } from './usage-error';

const HELP = new Set(['help', '--help', '-h']);
const VERSION = new Set(['--version', '-v']);

/** The command that `argv` calls, and the arguments after its name. */
function findCommand(argv: readonly string[]): { command: CommandSpec; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, index) => argv[index] === word))
      return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/** `keys` names a group of commands; `keys create` one command. */
function isCommandOrGroup(words: readonly string[]): boolean {
  const prefix = words.join(' ');
  return COMMANDS.some((command) => command.name === prefix || command.name.startsWith(`${prefix} `));
}

/**
 * Runs one CLI invocation and returns its exit code: 0 done, 1 failed, 2 bad arguments. Help and
 * the version go to stdout; failures are explained on stderr in a sentence or two, never with a
 * stack trace.
 *
 * @param environment the variables to run with, or how to read them (so a bad `.env` is reported
 *   like any other configuration problem).
 */
export async function runCli(
  argv: readonly string[],
  environment: Environment | (() => Environment),
  output: Output,
): Promise<number> {
  try {
    const [first, ...afterFirst] = argv;
    if (first === undefined) throw new UsageError('No command given');
    if (VERSION.has(first) && afterFirst.length === 0) {
      output.result(packageVersion(__dirname));
      return 0;
    }
    if (HELP.has(first)) {
      if (afterFirst.length === 0) output.result(usage(COMMANDS));
      else if (isCommandOrGroup(afterFirst)) output.result(commandUsage(COMMANDS, afterFirst.join(' ')));
      else throw new UsageError(`Unknown command: ${afterFirst.join(' ')}`);
      return 0;
    }
    const asksForHelp = argv.some((arg) => HELP.has(arg) && arg !== 'help');
    const found = findCommand(argv);
    if (!found) {
      const words = argv.filter((arg) => !arg.startsWith('-'));
      if (asksForHelp && isCommandOrGroup(words)) {
        output.result(commandUsage(COMMANDS, words.join(' ')));
        return 0;
      }
      throw new UsageError(`Unknown command: ${argv.slice(0, 2).join(' ')}`);
    }
    if (asksForHelp) {
      output.result(commandUsage(COMMANDS, found.command.name));
      return 0;
    }
    const flags = parseFlags(found.rest, found.command.options);
    let config: Readonly<CliConfig> | undefined;
    const readConfig = (): Readonly<CliConfig> =>
      (config ??= loadCliConfig(typeof environment === 'function' ? environment() : environment));
    return await found.command.run(flags, { config: readConfig, output });
  } catch (error) {
    return explain(error, output);
  }
}

function explain(error: unknown, output: Output): number {
  if (error instanceof UsageError) {
    output.say(`${error.message}\n\n${usage(COMMANDS)}`);
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
