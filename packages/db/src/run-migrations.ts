import type { DataSource } from 'typeorm';

/** Arbitrary constant naming our migration lock in Postgres's advisory-lock space. */
const MIGRATION_LOCK_ID = 7_263_114;

/**
 * Applies pending migrations, holding an advisory lock so that several processes starting together
 * (replicas, a migration Job and `npm start`) apply them once, one after another.
 *
 * @returns the names of the migrations applied now.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
