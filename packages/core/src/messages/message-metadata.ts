import { isSafeText } from '../wording/safe-text';

/** A value a billing system may keep on its message: flat, so every event can carry it as it is. */
export type MetadataValue = string | number | boolean | null;

/** A billing system's own references on a message (`customer_ref`…), returned with it and its events. */
export type MessageMetadata = Readonly<Record<string, MetadataValue>>;

export const MAX_METADATA_KEYS = 20;
/** The most bytes of the metadata as compact JSON (UTF-8). */
export const MAX_METADATA_BYTES = 1024;
/** Keys are identifiers, as billing systems name their fields. */
export const METADATA_KEY = /^[A-Za-z0-9_.-]{1,40}$/;

/** Why a value cannot be a message's metadata, or undefined when it can. */
export function metadataProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be a JSON object of keys and values';
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_KEYS)
    return `must have at most ${MAX_METADATA_KEYS} keys (got ${entries.length})`;
  for (const [key, inner] of entries) {
    // `__proto__` would become an object's prototype wherever the metadata is copied naively.
    if (!METADATA_KEY.test(key) || key === '__proto__')
      return `key ${JSON.stringify(key)} must be 1–40 letters, digits, underscores, dots or dashes`;
    if (inner !== null && !['string', 'number', 'boolean'].includes(typeof inner))
      return `${key} must be a string, number, boolean or null (metadata is flat)`;
    if (typeof inner === 'number' && !Number.isFinite(inner)) return `${key} must be a finite number`;
    if (typeof inner === 'string' && !isSafeText(inner))
      return `${key} must not contain control characters, line breaks or direction overrides`;
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > MAX_METADATA_BYTES) return `must be at most ${MAX_METADATA_BYTES} bytes as JSON (got ${bytes})`;
  return undefined;
}
