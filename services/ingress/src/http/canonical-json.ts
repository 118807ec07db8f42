import { MAX_INPUT_DEPTH } from './validate';

/**
 * JSON with object keys sorted at every level, so two bodies that mean the same thing hash the same
 * whatever order a client's JSON encoder wrote the keys in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0));
}

function sortKeys(value: unknown, depth: number): unknown {
  // Deeper than any valid request: validation refuses it later; here it must just not overflow.
  if (depth > MAX_INPUT_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key], depth + 1)]),
    );
  }
  return value;
}
