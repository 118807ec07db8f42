import type { DataSource, EntityManager } from 'typeorm';
import type { Row } from './row-mappers';

/** Either the data source or a transaction's entity manager. */
export type Queryable = DataSource | EntityManager;

/**
 * Runs one SQL statement and returns its rows, whatever the statement. TypeORM's plain `query()`
 * answers `[rows, count]` for UPDATE and DELETE but the rows themselves otherwise; the structured
 * result gives the same shape for all.
 */
export async function queryRows(
  db: Queryable,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<Row[]> {
  const existing = 'queryRunner' in db && db.queryRunner ? db.queryRunner : undefined;
  const runner = existing ?? ('connection' in db ? db.connection : db).createQueryRunner();
  try {
    const result = await runner.query(sql, [...parameters], true);
    return (result.records ?? []) as Row[];
  } finally {
    if (!existing) await runner.release();
  }
}
