import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The repository root (test/deploy/support → three levels up). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A path relative to the repository root, for readable test names and messages. */
export function fromRoot(path: string): string {
  return relative(REPO_ROOT, path);
}

/**
 * Every document of a YAML file as plain data. Parse errors and warnings (duplicate keys, bad
 * indentation) fail loudly: a YAML mistake that a tolerant parser shrugs off is one kubectl may not.
 */
export function readYamlDocuments(path: string, options: { merge?: boolean } = {}): unknown[] {
  const documents = parseAllDocuments(readFileSync(path, 'utf8'), {
    merge: options.merge ?? false,
    uniqueKeys: true,
    prettyErrors: true,
  });
  const list = Array.isArray(documents) ? documents : [];
  const problems = list.flatMap((document) => [...document.errors, ...document.warnings]);
  if (problems.length > 0) {
    throw new Error(`${fromRoot(path)}: ${problems.map((problem) => problem.message).join('\n')}`);
  }
  return list.map((document) => document.toJS() as unknown).filter((value) => value !== null);
}

/** The single document of a YAML file. */
export function readYamlFile(path: string, options: { merge?: boolean } = {}): unknown {
  const documents = readYamlDocuments(path, options);
  if (documents.length !== 1) throw new Error(`${fromRoot(path)}: expected one YAML document`);
  return documents[0];
}

/** Every file below a folder, recursively, as absolute paths; `skip` prunes folders by name. */
export function listFiles(directory: string, skip: (folder: string) => boolean = () => false): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const path = join(directory, name);
      if (!statSync(path).isDirectory()) return [path];
      return skip(name) ? [] : listFiles(path, skip);
    });
}

/** A plain object (not an array), for narrowing parsed YAML. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
