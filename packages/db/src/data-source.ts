// TypeORM's own peer: it loads it too, but a data source must never be built without it.
import 'reflect-metadata';
import { types } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize?: number;
  /** How long to wait for a connection before failing, so requests fail fast when Postgres is down. */
  readonly connectTimeoutMs?: number;
  /** Upper bound for any one statement, in ms. */
  readonly statementTimeoutMs?: number;
  /** `application_name` seen in pg_stat_activity. */
  readonly applicationName?: string;
}

/** OID of Postgres `date`. */
const DATE_OID = 1082;

// A due date is a calendar date, not an instant: keep `YYYY-MM-DD` instead of a Date at local midnight.
types.setTypeParser(DATE_OID, (value: string) => value);

/**
 * Builds the TypeORM data source. The schema comes from migrations only (`synchronize` is off), the
 * same migrations in tests and production.
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    // Repositories write their SQL: TypeORM keeps the pool, transactions and migrations.
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'telenexus',
    extra: {
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
      statement_timeout: options.statementTimeoutMs ?? 15000,
      idleTimeoutMillis: 30000,
    },
  });
}

/** Builds and connects the data source; rejects when Postgres cannot be reached. */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  return dataSource;
}
