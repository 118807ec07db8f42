import type { AuditChanges } from './audit-event';

/**
 * Field names that may hold a secret, wherever they appear. Matching by name rather than listing
 * today's fields means a secret added to a view later is dropped without anyone remembering the
 * audit log.
 */
const SECRET_FIELD = /token|secret|key|password|passwd|hash|jwt|credential|cipher/i;

/** Fields every change touches that say nothing about what the actor changed. */
const BOOKKEEPING_FIELDS = new Set(['updated_at']);

type Settings = Readonly<Record<string, unknown>>;

/**
 * A deep copy of a public view without any field named like a secret (see {@link SECRET_FIELD}).
 * Every before/after goes through this before it is stored.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_FIELD.test(field) || inner === undefined) continue;
    kept[field] = redactSecrets(inner);
  }
  return kept;
}

function redactedSettings(view: object | null | undefined): Settings | null {
  return view ? (redactSecrets(view) as Settings) : null;
}

/**
 * What an action changed, from public views of the target before and after it (null when it did not
 * exist). Both are redacted; when both exist only the fields whose values differ are kept.
 *
 * @returns null when nothing visible changed.
 */
export function auditChanges(
  before: object | null | undefined,
  after: object | null | undefined,
): AuditChanges | null {
  const was = redactedSettings(before);
  const is = redactedSettings(after);
  if (!was || !is) return was || is ? { before: was, after: is } : null;
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(was), ...Object.keys(is)])) {
    if (BOOKKEEPING_FIELDS.has(field)) continue;
    if (JSON.stringify(was[field]) === JSON.stringify(is[field])) continue;
    changedBefore[field] = was[field] ?? null;
    changedAfter[field] = is[field] ?? null;
  }
  return Object.keys(changedAfter).length > 0 ? { before: changedBefore, after: changedAfter } : null;
}
