import { parseArgs } from 'node:util';
import type { CliConfig } from './cli-config';
import type { Output } from './output';
import { UsageError } from './usage-error';

/** The options one command accepts, as node:util's parseArgs takes them. */
export type OptionSpecs = Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;

/** Parsed flags: `--name x` is `{name: 'x'}`, `--json` is `{json: true}`. */
export type Flags = Readonly<Record<string, string | boolean | undefined>>;

/** One CLI command: how it is called, what it accepts, and what it does. */
export interface CommandSpec {
  /** The words that call it: `keys create`. */
  readonly name: string;
  /** Its arguments as the usage shows them: `--account ID --name NAME [--json]`. */
  readonly synopsis: string;
  /** One or two lines on what it does. */
  readonly summary: string;
  readonly options: OptionSpecs;
  /** Runs it and returns the exit code. Config is read only when a command runs. */
  run(flags: Flags, context: CommandContext): Promise<number>;
}

export interface CommandContext {
  readonly config: () => Readonly<CliConfig>;
  readonly output: Output;
}

/** Parses a command's flags strictly: an unknown or incomplete flag is a usage error. */
export function parseFlags(args: readonly string[], options: OptionSpecs): Flags {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A flag the command cannot do without. */
export function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optional(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** `--json` is accepted by every command that prints a result. */
export const JSON_OPTION = { json: { type: 'boolean' } } as const;
