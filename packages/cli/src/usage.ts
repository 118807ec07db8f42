import type { CommandSpec } from './command-spec';

const SETTINGS =
  'Settings come from the environment and from .env in the project root (DATABASE_URL, REDIS_URL,\n' +
  'EVOLUTION_API_URL, …; exported variables win); see .env.example.';

/** One command's entry in a usage text: its call, then its summary indented below. */
function entry(command: CommandSpec): string {
  const call = `  ${command.name} ${command.synopsis}`.trimEnd();
  const summary = command.summary
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
  return `${call}\n${summary}`;
}

/** The whole CLI's usage: every command. */
export function usage(commands: readonly CommandSpec[]): string {
  return [
    'Usage: telenexus <command> [options]',
    '',
    'Commands:',
    ...commands.map(entry),
    '',
    "  help [command]    This text, or one command's; also <command> --help",
    '  --version         The version of Telenexus',
    '',
    SETTINGS,
    '',
  ].join('\n');
}

/** The usage of the commands whose name starts with `prefix` (one command, or a group: `keys`). */
export function commandUsage(commands: readonly CommandSpec[], prefix: string): string {
  const matching = commands.filter(
    (command) => command.name === prefix || command.name.startsWith(`${prefix} `),
  );
  return [`Usage: telenexus ${prefix} …`, '', ...matching.map(entry), '', SETTINGS, ''].join('\n');
}
