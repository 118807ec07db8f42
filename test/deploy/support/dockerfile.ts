import { readFileSync } from 'node:fs';

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY… */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly text: string;
  readonly line: number;
}

export interface Stage {
  readonly name: string | undefined;
  /** The FROM image or stage, ARG defaults substituted. */
  readonly base: string;
  readonly instructions: Instruction[];
}

export interface Dockerfile {
  readonly stages: Stage[];
  /** ARGs declared before the first FROM, with their defaults. */
  readonly globalArgs: Readonly<Record<string, string>>;
}

/** Reads a Dockerfile into stages of instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(path: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line.startsWith('#') || (line === '' && !pending)) return;
      const continued = line.endsWith('\\');
      const part = continued ? line.slice(0, -1).trim() : line;
      pending = pending ? { ...pending, text: `${pending.text} ${part}` } : { text: part, line: index + 1 };
      if (continued) return;
      const [keyword = '', ...rest] = pending.text.split(/\s+/);
      instructions.push({ keyword: keyword.toUpperCase(), text: rest.join(' '), line: pending.line });
      pending = undefined;
    });

  const globalArgs: Record<string, string> = {};
  const stages: { name: string | undefined; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.text.split(/\s+/);
      const base = image.replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (_match, arg: string) => globalArgs[arg] ?? '',
      );
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, base, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword === 'ARG') {
        const [name = '', value = ''] = instruction.text.split('=');
        globalArgs[name] = value;
      }
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return { stages, globalArgs };
}

/** A stage's instructions preceded by those of the stages it is built FROM. */
export function inheritedInstructions(dockerfile: Dockerfile, stage: Stage): Instruction[] {
  const parent = dockerfile.stages.find((candidate) => candidate.name === stage.base);
  return [...(parent ? inheritedInstructions(dockerfile, parent) : []), ...stage.instructions];
}

/** Arguments of an exec-form instruction (`["node", "x.js"]`). */
export function execForm(instruction: Instruction | undefined): string[] | undefined {
  if (!instruction) return undefined;
  try {
    const value: unknown = JSON.parse(instruction.text);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A COPY's flags, sources and destination. */
export function parseCopy(instruction: Instruction): {
  from?: string;
  sources: string[];
  destination: string;
} {
  const words = instruction.text.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  return {
    ...(from ? { from } : {}),
    sources: paths.slice(0, -1),
    destination: paths[paths.length - 1] ?? '',
  };
}

/** The ARGs a stage declares, with their defaults (`undefined` when it has none). */
export function stageArgs(stage: Stage): Readonly<Record<string, string | undefined>> {
  return Object.fromEntries(
    stage.instructions
      .filter((instruction) => instruction.keyword === 'ARG')
      .map((instruction) => {
        const [name = '', ...value] = instruction.text.split('=');
        return [name.trim(), value.length > 0 ? value.join('=') : undefined];
      }),
  );
}

/** A stage's labels, from every LABEL instruction (`key="value" key=value …`), quotes removed. */
export function stageLabels(stage: Stage): Readonly<Record<string, string>> {
  const labels: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((candidate) => candidate.keyword === 'LABEL')) {
    for (const [, key = '', quoted, bare] of instruction.text.matchAll(
      /([A-Za-z0-9._-]+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g,
    )) {
      labels[key] = quoted === undefined ? (bare ?? '') : quoted.replace(/\\(.)/g, '$1');
    }
  }
  return labels;
}

/**
 * The programs a shell command runs: the first word of each step between `&&`, `||`, `;` and `|`,
 * leading `VAR=value` assignments skipped (`rm -rf /usr/local/bin/npm` runs `rm`, not npm).
 */
export function programsRun(command: string): string[] {
  return command
    .split(/&&|\|\||;|\|/)
    .map((step) =>
      step
        .trim()
        .split(/\s+/)
        .find((word) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)),
    )
    .filter((program): program is string => program !== undefined && program !== '');
}
