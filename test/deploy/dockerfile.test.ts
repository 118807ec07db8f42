import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import ignore from '@balena/dockerignore';
import { SERVICE_NODE_FLAGS } from '@telenexus/runtime';
import {
  execForm,
  inheritedInstructions,
  parseCopy,
  parseDockerfile,
  programsRun,
  stageArgs,
  stageLabels,
  type Instruction,
} from './support/dockerfile';
import { roleOfCommand } from './support/service-variables';
import { listFiles, REPO_ROOT, fromRoot } from './support/yaml-files';

const dockerfile = parseDockerfile(join(REPO_ROOT, 'Dockerfile'));
const stages = dockerfile.stages;
const final = stages[stages.length - 1]!;
const rootManifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  description: string;
  license: string;
  engines: { node: string };
  workspaces: string[];
};
/** The Node.js major the image runs: the current LTS. */
const NODE_LTS = 24;
/** Where the official Node.js image keeps its package managers (docker-node's Dockerfile). */
const PACKAGE_MANAGER_PATHS = [
  '/usr/local/lib/node_modules/npm',
  '/usr/local/lib/node_modules/corepack',
  '/usr/local/bin/npm',
  '/usr/local/bin/npx',
  '/usr/local/bin/corepack',
  '/usr/local/bin/yarn',
  '/usr/local/bin/yarnpkg',
];
const workspaces = rootManifest.workspaces;

const runs = (instructions: readonly Instruction[]): string[] =>
  instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.text);
const npmCi = /\bnpm ci\b/;
const installsDevDependencies = (commands: readonly string[]): boolean => {
  // The last install decides, unless a later prune drops the dev dependencies.
  let dev = false;
  for (const command of commands) {
    for (const step of command.split(/&&|;/)) {
      if (npmCi.test(step)) dev = !/--omit[= ]dev\b/.test(step);
      if (/\bnpm prune\b/.test(step) && /--omit[= ]dev\b/.test(step)) dev = false;
    }
  }
  return dev;
};

describe('Dockerfile', () => {
  it('When the stages are read, then the build is multi-stage and the image that runs starts afresh from a Node.js base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.map((stage) => stage.name)).not.toContain(final.base);
    expect(final.base).toMatch(/^node:/);
  });

  it(`When a stage starts from an image, then it is Node.js ${NODE_LTS} (the current LTS), while engines still allow 20.19+`, () => {
    const images = stages
      .map((stage) => stage.base)
      .filter((base) => !stages.some((stage) => stage.name === base));
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image).toMatch(new RegExp(`^node:${NODE_LTS}(-|$)`));
    expect(rootManifest.engines.node).toBe('>=20.19');
  });

  it('When dependencies are installed, then it is `npm ci` from the lockfile (never `npm install`) with install scripts off', () => {
    const commands = stages.flatMap((stage) => runs(stage.instructions));
    expect(commands.some((command) => npmCi.test(command))).toBe(true);
    expect(commands.filter((command) => /\bnpm (install|i)\b/.test(command))).toEqual([]);
    for (const command of commands.filter((candidate) => npmCi.test(candidate)))
      expect(command).toContain('--ignore-scripts');
  });

  it('When `npm ci` runs, then the lockfile and every workspace package.json of the root package.json have been copied before it', () => {
    let installs = 0;
    for (const stage of stages) {
      const instructions = inheritedInstructions(dockerfile, stage);
      const ci = instructions.findIndex(
        (instruction) => instruction.keyword === 'RUN' && npmCi.test(instruction.text),
      );
      if (ci < 0) continue;
      installs += 1;
      const copied = instructions
        .slice(0, ci)
        .filter((instruction) => instruction.keyword === 'COPY')
        .flatMap((instruction) => {
          const { sources, destination } = parseCopy(instruction);
          return sources.map((source) =>
            destination.endsWith('/') && destination !== './'
              ? posix.join(destination, posix.basename(source))
              : source,
          );
        });
      const expected = [
        'package.json',
        'package-lock.json',
        ...workspaces.map((workspace) => `${workspace}/package.json`),
      ];
      expect(expected.filter((file) => !copied.includes(file))).toEqual([]);
    }
    expect(installs).toBeGreaterThan(0);
  });

  it('When the code is compiled, then `npm ci` ran before `npm run build` in that stage', () => {
    const builder = stages.find((stage) =>
      runs(stage.instructions).some((command) => /\bnpm run build\b/.test(command)),
    );
    expect(builder).toBeDefined();
    const commands = runs(inheritedInstructions(dockerfile, builder!)).join(' && ');
    const ci = commands.search(npmCi);
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm run build')).toBeGreaterThan(ci);
  });

  it('When the final image is assembled, then node_modules come only from a production-only install, and nothing from the build context (no sources, no tests)', () => {
    const copies = final.instructions.filter((instruction) => instruction.keyword === 'COPY').map(parseCopy);
    expect(copies.length).toBeGreaterThan(0);
    expect(
      runs(final.instructions)
        .flatMap(programsRun)
        .filter((program) => /^(npm|npx|corepack|yarn)$/.test(program)),
    ).toEqual([]);
    let compiledCopies = 0;
    for (const copy of copies) {
      const source = stages.find((stage) => stage.name === copy.from);
      expect(source).toBeDefined();
      const commands = runs(inheritedInstructions(dockerfile, source!));
      if (!installsDevDependencies(commands)) continue;
      // From a stage that has dev dependencies, only a folder assembled from compiled output.
      for (const path of copy.sources) {
        expect(path).not.toMatch(/^(\/app\/?|\.\/?|.*node_modules.*)$/);
        const producer = commands.find((command) => command.includes(path.replace(/\/+$/, '')));
        expect(producer).toMatch(/\bdist\b/);
        expect(producer).not.toMatch(/\b(src|test)\b/);
        compiledCopies += 1;
      }
    }
    // The compiled code does come from the build stage: the checks above ran on it.
    expect(compiledCopies).toBeGreaterThan(0);
  });

  it("When the image is assembled, then the base image's npm, npx, corepack and yarn are removed, as root before the user switch, and nothing copies them back", () => {
    const userAt = final.instructions.findIndex((instruction) => instruction.keyword === 'USER');
    const removals = final.instructions
      .slice(0, userAt < 0 ? undefined : userAt)
      .filter((instruction) => instruction.keyword === 'RUN')
      .flatMap((instruction) => instruction.text.split(/&&|;/))
      .filter((step) => /^\s*rm\s+-(rf|fr)\s/.test(step))
      .flatMap((step) => step.trim().split(/\s+/).slice(2));
    expect(removals.length).toBeGreaterThan(0);
    expect(PACKAGE_MANAGER_PATHS.filter((path) => !removals.includes(path))).toEqual([]);
    const copiedTo = final.instructions
      .filter((instruction) => instruction.keyword === 'COPY')
      .map((instruction) => posix.resolve('/app', parseCopy(instruction).destination));
    expect(copiedTo.length).toBeGreaterThan(0);
    expect(copiedTo.filter((destination) => !destination.startsWith('/app'))).toEqual([]);
  });

  it('When the image is inspected, then it carries the OCI labels: title, description and version from package.json, licence, and source, revision and creation time from build args', () => {
    const labels = stageLabels(final);
    // An ARG declared after the LABEL that uses it would leave the label empty.
    const firstLabel = final.instructions.findIndex((instruction) => instruction.keyword === 'LABEL');
    expect(firstLabel).toBeGreaterThanOrEqual(0);
    const args = stageArgs({ ...final, instructions: final.instructions.slice(0, firstLabel) });
    const prefix = 'org.opencontainers.image.';
    expect(labels[`${prefix}title`]).toBe(rootManifest.name);
    expect(labels[`${prefix}description`]).toBe(rootManifest.description);
    expect(labels[`${prefix}version`]).toBe('${VERSION}');
    expect(args.VERSION).toBe(rootManifest.version);
    const fromBuild = { revision: 'REVISION', created: 'CREATED', source: 'SOURCE' };
    for (const [label, arg] of Object.entries(fromBuild)) {
      expect(labels[`${prefix}${label}`]).toBe(`\${${arg}}`);
      expect(Object.keys(args)).toContain(arg);
    }
    // npm's UNLICENSED (not open source) is no SPDX identifier; OCI wants an SPDX expression.
    expect(labels[`${prefix}licenses`]).toEqual(
      rootManifest.license === 'UNLICENSED'
        ? expect.stringMatching(/^LicenseRef-[A-Za-z0-9.-]+$/)
        : rootManifest.license,
    );
  });

  it('When the container runs, then it runs as the non-root uid 1000 (numeric, so Kubernetes can verify runAsNonRoot) in production mode', () => {
    const users = final.instructions.filter((instruction) => instruction.keyword === 'USER');
    expect(users.at(-1)?.text).toMatch(/^1000(:1000)?$/);
    expect(
      final.instructions.some(
        (instruction) => instruction.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(instruction.text),
      ),
    ).toBe(true);
  });

  it("When the container starts, then the entrypoint is the telenexus CLI under the services' Node flags and the default command is a service", () => {
    const cli = JSON.parse(readFileSync(join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const workdir = final.instructions
      .filter((instruction) => instruction.keyword === 'WORKDIR')
      .at(-1)?.text;
    const entrypoint = execForm(
      final.instructions.filter((instruction) => instruction.keyword === 'ENTRYPOINT').at(-1),
    );
    const binPath = posix.join('packages/cli', cli.bin.telenexus ?? '');
    expect(workdir).toBe('/app');
    expect(entrypoint).toEqual(['node', ...SERVICE_NODE_FLAGS, binPath]);
    expect(existsSync(join(REPO_ROOT, binPath))).toBe(true);
    const command = execForm(
      final.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1),
    );
    expect(() => roleOfCommand(command)).not.toThrow();
  });
});

describe('.dockerignore', () => {
  const rules = ignore().add(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));
  const included = (path: string): boolean => !rules.ignores(path);

  it('When the build context is sent, then every workspace file the build may read is in it: manifests, tsconfigs, sources, assets, the CLI launcher', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.base.json',
      ...workspaces.flatMap((workspace) =>
        listFiles(join(REPO_ROOT, workspace), (folder) => ['node_modules', 'dist', 'test'].includes(folder))
          .map(fromRoot)
          .filter((path) => !/\.(test\.tsx?|md|tsbuildinfo)$/.test(path)),
      ),
    ];
    expect(needed).toEqual(
      expect.arrayContaining(workspaces.map((workspace) => `${workspace}/package.json`)),
    );
    expect(needed.filter((path) => !included(path))).toEqual([]);
  });

  it('When the build context is sent, then secrets, local builds, dependencies, tests and docs are not in it', () => {
    const excluded = [
      '.env',
      '.git/HEAD',
      'node_modules/joi/package.json',
      'packages/core/node_modules/x/index.js',
      'packages/core/dist/index.js',
      'packages/core/tsconfig.tsbuildinfo',
      'packages/core/src/wording/money.test.ts',
      'packages/console/.env.local',
      'Dockerfile',
      'bench/run-bench.ts',
      'services/ingress/test/app.test.ts',
      'test/deploy/dockerfile.test.ts',
      'k8s/base/kustomization.yaml',
      'docker-compose.yml',
      'README.md',
      'artifacts/report.json',
      'coverage/lcov.info',
    ];
    expect(excluded.filter(included)).toEqual([]);
  });
});
