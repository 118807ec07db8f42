/**
 * Where a newest-first page ends: the last row's `created_at` to the microsecond (a JS Date keeps
 * only milliseconds, and rows created in the same millisecond would be skipped) and its id.
 */
export interface PageCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly createdAt: string;
  readonly id: string;
}

/** SQL for a row's `created_at` as a cursor's exact text. */
export const EXACT_CREATED_AT = `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
