import { validationError, type AuditEvent } from '@telenexus/core';
import type { AuditEventFilter, AuditEventPage } from '@telenexus/db';
import { decodePageCursor, encodePageCursor } from '../http/page-cursor';

export interface AuditEventReader {
  list(filter: AuditEventFilter): Promise<AuditEventPage>;
}

/** The Audit page's filters as the route validated them. */
export interface AuditEventListQuery {
  readonly action?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly cursor?: string;
  readonly limit: number;
}

/** One page of an account's audit log, newest first. */
export class ListAuditEvents {
  constructor(private readonly events: AuditEventReader) {}

  async execute(
    accountId: string,
    query: AuditEventListQuery,
  ): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodePageCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw validationError([{ field: 'cursor', message: 'is not a cursor from an earlier page' }]);
    }
    const { events, next } = await this.events.list({
      accountId,
      action: query.action,
      from: query.from,
      to: query.to,
      after,
      limit: query.limit,
    });
    return { events, nextCursor: next ? encodePageCursor(next) : null };
  }
}
