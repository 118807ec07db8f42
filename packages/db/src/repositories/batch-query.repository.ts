import type { DataSource } from 'typeorm';
import { EXACT_CREATED_AT, type PageCursor } from './page-cursor';
import { queryRows } from './query-rows';
import type { Row } from './row-mappers';

/** A batch as `GET /billing/batches/:id` reports it. */
export interface BatchSummary {
  readonly id: string;
  readonly instanceId: string;
  readonly itemCount: number;
  readonly accepted: number;
  readonly rejected: number;
  /** How many of the messages this batch created are in each status now. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly createdAt: Date;
}

/** How many of batch `b`'s messages are in each status now (`messages_batch_idx`). */
export const BATCH_BY_STATUS_SQL = `coalesce((SELECT json_object_agg(status, n) FROM (
  SELECT status, count(*)::int AS n FROM messages WHERE batch_id = b.id GROUP BY status) s), '{}') AS by_status`;

export function toBatchSummary(row: Row): BatchSummary {
  return {
    id: String(row.id),
    instanceId: String(row.instance_id),
    itemCount: Number(row.item_count),
    accepted: Number(row.accepted),
    rejected: Number(row.rejected),
    byStatus: row.by_status as Record<string, number>,
    createdAt: row.created_at as Date,
  };
}

/** One page of an instance's batches, newest first. */
export interface BatchPageQuery {
  readonly accountId: string;
  readonly instanceId: string;
  readonly after?: PageCursor;
  readonly limit: number;
}

/** Reading an instance's recent batches, for the console's Queue tab. */
export class BatchQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Paged by (created_at, id) on `batches_instance_created_idx`, so a page costs the same however many came before. */
  async listForInstance(
    query: BatchPageQuery,
  ): Promise<{ batches: BatchSummary[]; next: PageCursor | null }> {
    const parameters: unknown[] = [query.accountId, query.instanceId, query.limit + 1];
    const after = query.after ? `AND (b.created_at, b.id) < ($4::timestamptz, $5::uuid)` : '';
    if (query.after) parameters.push(query.after.createdAt, query.after.id);
    const rows = await queryRows(
      this.dataSource,
      `SELECT b.*, ${EXACT_CREATED_AT} AS cursor_created_at, ${BATCH_BY_STATUS_SQL}
       FROM batches b
       WHERE b.account_id = $1 AND b.instance_id = $2 ${after}
       ORDER BY b.created_at DESC, b.id DESC
       LIMIT $3`,
      parameters,
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      batches: page.map(toBatchSummary),
      next:
        rows.length > query.limit && last
          ? { createdAt: String(last.cursor_created_at), id: String(last.id) }
          : null,
    };
  }
}
