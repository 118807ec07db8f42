import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const PROJECTS = ['unit', 'component', 'system'] as const;

/** Every test file of the repository, as Jest would find it: `*.test.ts`, the fault drills aside. */
function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') && !entry.name.endsWith('.faults.test.ts') ? [path] : [];
  });
}

/** The files Jest itself selects for one project of jest.config.js. */
function listedBy(project: string): string[] {
  const output = execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/jest/bin/jest.js'), '--listTests', '--json', '--selectProjects', project],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return (JSON.parse(output) as string[]).map((path) => relative(ROOT, path));
}

describe('The test projects', () => {
  it('When Jest lists each project, then every test file is in exactly one of unit, component and system', () => {
    const all = ['packages', 'services', 'test'].flatMap((top) => testFiles(join(ROOT, top)));
    const byProject = Object.fromEntries(PROJECTS.map((project) => [project, listedBy(project)]));

    const memberships = new Map<string, string[]>(all.map((path) => [relative(ROOT, path), []]));
    for (const project of PROJECTS)
      for (const path of byProject[project]!)
        memberships.set(path, [...(memberships.get(path) ?? []), project]);
    const notExactlyOnce = [...memberships].filter(([, projects]) => projects.length !== 1);

    expect(notExactlyOnce).toEqual([]);
    // This file is one of them, and needs no database: it is a unit test.
    expect(byProject.unit).toContain('test/jest-projects.test.ts');
  });
});
