import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { QueryFailedError, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Row } from './row-mappers';

/** Either the data source or a transaction's entity manager. */
export type Queryable = DataSource | EntityManager;

export interface QueryOptions {
  /**
   * Run it as a named prepared statement: each connection parses and plans it once and then, after
   * a few runs, reuses a generic plan. For statements on the hot path whose planning costs as much
   * as running them (the big accept statement plans in about a millisecond). Only for statements
   * whose text takes a few shapes: each shape is kept by every connection that runs it.
   */
  readonly prepare?: boolean;
}

/**
 * Runs one SQL statement and returns its rows, whatever the statement. TypeORM's plain `query()`
 * answers `[rows, count]` for UPDATE and DELETE but the rows themselves otherwise; the structured
 * result gives the same shape for all.
 */
export async function queryRows(
  db: Queryable,
  sql: string,
  parameters: readonly unknown[] = [],
  options: QueryOptions = {},
): Promise<Row[]> {
  const existing = 'queryRunner' in db && db.queryRunner ? db.queryRunner : undefined;
  const runner = existing ?? ('connection' in db ? db.connection : db).createQueryRunner();
  try {
    if (options.prepare) return await runPrepared(runner, sql, parameters);
    const result = await runner.query(sql, [...parameters], true);
    return (result.records ?? []) as Row[];
  } finally {
    if (!existing) await runner.release();
  }
}

/** Through the runner's own connection (inside its transaction, if any); failures as TypeORM words them. */
async function runPrepared(runner: QueryRunner, sql: string, parameters: readonly unknown[]): Promise<Row[]> {
  const client = (await runner.connect()) as ClientBase;
  const values = [...parameters];
  try {
    return (await client.query<Row>({ name: statementName(sql), text: sql, values })).rows;
  } catch (error) {
    if (!isStaleResultType(error)) throw new QueryFailedError(sql, values, error as Error);
    // A migration changed a table the statement returns whole (`SELECT *`) since this connection
    // prepared it. Under a new name it is prepared again, everywhere; alone, the failed run did
    // nothing and is run again, but inside a transaction the transaction has failed with it.
    renameStatement(sql);
    if (runner.isTransactionActive) throw new QueryFailedError(sql, values, error as Error);
    return (await client.query<Row>({ name: statementName(sql), text: sql, values })).rows;
  }
}

/** Postgres refuses a prepared statement whose result columns changed under it (SQLSTATE 0A000). */
function isStaleResultType(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('must not change result type');
}

const STATEMENT_NAMES_KEPT = 1_000;
const statementNames = new Map<string, string>();
let renamed = 0;

/** The same text always gets the same name, so every connection can tell it has prepared it. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = textHash(sql);
    keepName(sql, name);
  }
  return name;
}

function renameStatement(sql: string): void {
  renamed += 1;
  keepName(sql, `${textHash(sql)}_${renamed}`);
}

function keepName(sql: string, name: string): void {
  if (statementNames.size >= STATEMENT_NAMES_KEPT) statementNames.clear();
  statementNames.set(sql, name);
}

function textHash(sql: string): string {
  return `tx_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
}
