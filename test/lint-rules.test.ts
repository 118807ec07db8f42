import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/*
 * The house rules `npm run lint` enforces, each broken on purpose here to show it is caught: ESLint
 * for what one file may do, dependency-cruiser for who may import whom.
 */
const ROOT = join(__dirname, '..');

/** The probes of the ESLint rules: what each file would say, and what lint answers it. */
const PROBES = {
  ...Object.fromEntries(
    ['pg', 'ioredis', 'bullmq', 'axios', 'express', 'node:fs', 'node:net'].map((library) => [
      `core imports ${library}`,
      { path: 'packages/core/src/probe.ts', code: `import '${library}';\n` },
    ]),
  ),
  'a service module reads process.env': {
    path: 'services/ingress/src/probe.ts',
    code: 'export const port = process.env.PORT;\n',
  },
  'a package module reads process.env': {
    path: 'packages/db/src/probe.ts',
    code: 'export const port = process.env.PORT;\n',
  },
  "a service's config module reads process.env": {
    path: 'services/ingress/src/config.ts',
    code: 'export const port = process.env.PORT;\n',
  },
  'the config package reads process.env': {
    path: 'packages/config/src/probe.ts',
    code: 'export const port = process.env.PORT;\n',
  },
  "a module imports a path inside another package's name": {
    path: 'packages/db/src/probe.ts',
    code: "import '@telenexus/core/src/money';\n",
  },
} as const;

type Probe = keyof typeof PROBES;

describe('ESLint house rules', () => {
  let answers: Record<Probe, string[]>;

  beforeAll(() => {
    const probes = Object.values(PROBES);
    const output = execFileSync(process.execPath, [join(ROOT, 'test/support/lint-probes.mjs')], {
      cwd: ROOT,
      input: JSON.stringify(probes),
      encoding: 'utf8',
    });
    const messages = JSON.parse(output) as string[][];
    answers = Object.fromEntries(
      Object.keys(PROBES).map((name, index) => [name, messages[index]!]),
    ) as Record<Probe, string[]>;
  });

  it.each(['pg', 'ioredis', 'bullmq', 'axios', 'express', 'node:fs', 'node:net'])(
    'When packages/core imports %s, then lint fails: core does no I/O',
    (library) => {
      expect(answers[`core imports ${library}` as Probe]).toEqual([
        expect.stringMatching(/^no-restricted-imports: .*packages\/core does no I\/O/),
      ]);
    },
  );

  it('When a service or package module reads process.env, then lint fails; config modules may', () => {
    const refused = [expect.stringMatching(/^no-restricted-properties: .*only in config modules/)];
    expect(answers['a service module reads process.env']).toEqual(refused);
    expect(answers['a package module reads process.env']).toEqual(refused);
    expect(answers["a service's config module reads process.env"]).toEqual([]);
    expect(answers['the config package reads process.env']).toEqual([]);
  });

  it("When a module imports a path inside another package's name, then lint fails", () => {
    expect(answers["a module imports a path inside another package's name"]).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*by its name only/),
    ]);
  });
});

describe('dependency-cruiser house rules', () => {
  let tree: string;

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'telenexus-lint-'));
    const files: Record<string, string> = {
      'tsconfig.base.json': '{"compilerOptions": {"module": "commonjs", "strict": true}}',
      // A deep import into another package's src.
      'packages/billing/src/index.ts':
        "import { inner } from '../../ledger/src/inner';\nexport const a = inner;\n",
      'packages/ledger/src/inner.ts': 'export const inner = 1;\n',
      // A cycle.
      'packages/loop/src/first.ts':
        "import { second } from './second';\nexport const first = () => second;\n",
      'packages/loop/src/second.ts': "import { first } from './first';\nexport const second = () => first;\n",
      // A package that needs a service.
      'packages/shared/src/index.ts':
        "import { app } from '../../../services/api/src/app';\nexport const b = app;\n",
      'services/api/src/app.ts': 'export const app = 1;\n',
      // Within one package, anything goes.
      'packages/fine/src/index.ts': "import { x } from './x';\nexport const c = x;\n",
      'packages/fine/src/x.ts': 'export const x = 1;\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
  });

  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('When a package deep-imports another, imports in a cycle or imports a service, then each is a violation; a package importing itself is not', () => {
    // Its JSON report lists every violation, whatever the exit code says.
    const output = execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'packages',
        'services',
        '--config',
        join(ROOT, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: tree, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const { summary } = JSON.parse(output) as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    // By package: a cycle is reported once, from whichever of its modules comes first.
    const found = [
      ...new Set(summary.violations.map(({ rule, from }) => `${rule.name} ${from.split('/src/')[0]}`)),
    ].sort();

    expect(found).toEqual(
      [
        'no-deep-imports-into-another-package packages/billing',
        'no-deep-imports-into-another-package packages/shared',
        'no-import-cycles packages/loop',
        'no-service-from-a-package packages/shared',
      ].sort(),
    );
  });
});
