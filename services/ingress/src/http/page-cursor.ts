import { isUuid } from '@telenexus/core';
import type { PageCursor } from '@telenexus/db';

const EXACT_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: the position after which the next newest-first page starts. */
export function encodePageCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one of ours. */
export function decodePageCursor(text: string): PageCursor | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return undefined;
    const [createdAt, id] = decoded as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !isUuid(id)) return undefined;
    // The shape alone would let `2026-13-45…` through to Postgres; a real instant reads back the same.
    if (!EXACT_ISO.test(createdAt)) return undefined;
    const parsed = new Date(createdAt);
    if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 23) !== createdAt.slice(0, 23)) {
      return undefined;
    }
    return { createdAt, id };
  } catch {
    return undefined;
  }
}
