import { createDataSource, queryRows } from '@telenexus/db';
import type { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '../../../test/support/test-database';

/**
 * Hot statements run as named prepared statements: planned once per connection. A migration that
 * changes a table such a statement returns whole must not break the connections that prepared it.
 */

// One connection, so each run meets what the previous one prepared.
let dataSource: DataSource;
const TABLE = 'prepared_statement_probe';

beforeAll(async () => {
  dataSource = createDataSource({ url: TEST_DATABASE_URL, poolSize: 1, connectTimeoutMs: 1000 });
  await dataSource.initialize();
});

beforeEach(async () => {
  await dataSource.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await dataSource.query(`CREATE TABLE ${TABLE} (a int)`);
  await dataSource.query(`INSERT INTO ${TABLE} (a) VALUES (1)`);
});

afterAll(async () => {
  await dataSource.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await dataSource.destroy();
});

describe('Prepared statements', () => {
  it('are prepared on the connection once, and answer as the plain statement does', async () => {
    const sql = `SELECT a FROM ${TABLE} WHERE a = $1`;
    const prepared = await queryRows(dataSource, sql, [1], { prepare: true });
    const again = await queryRows(dataSource, sql, [1], { prepare: true });
    const plain = await queryRows(dataSource, sql, [1]);
    const onConnection = await queryRows(
      dataSource,
      'SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1',
      [sql],
    );

    expect(prepared).toEqual([{ a: 1 }]);
    expect(again).toEqual(prepared);
    expect(plain).toEqual(prepared);
    expect(onConnection).toEqual([{ n: 1 }]);
  });

  it('survive a migration that adds a column to what they return whole', async () => {
    const sql = `SELECT * FROM ${TABLE}`;
    expect(await queryRows(dataSource, sql, [], { prepare: true })).toEqual([{ a: 1 }]);

    await dataSource.query(`ALTER TABLE ${TABLE} ADD COLUMN b int DEFAULT 2`);

    expect(await queryRows(dataSource, sql, [], { prepare: true })).toEqual([{ a: 1, b: 2 }]);
  });

  it('inside a transaction, fail that transaction once, and are prepared afresh for the next', async () => {
    const sql = `SELECT * FROM ${TABLE} ORDER BY a`;
    await queryRows(dataSource, sql, [], { prepare: true });
    await dataSource.query(`ALTER TABLE ${TABLE} ADD COLUMN c int DEFAULT 3`);

    const inTransaction = dataSource.transaction((manager) => queryRows(manager, sql, [], { prepare: true }));

    await expect(inTransaction).rejects.toThrow(/must not change result type/);
    expect(await queryRows(dataSource, sql, [], { prepare: true })).toEqual([{ a: 1, c: 3 }]);
  });
});
