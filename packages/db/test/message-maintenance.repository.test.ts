import type { QueryRunner } from 'typeorm';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createTenant, type Tenant } from '../../../test/support/test-context';

/**
 * The outbox sweeper's reads, every 15 s whatever the load: a queued message is stalled once both
 * its last change and its next attempt are older than the threshold, and neither read may cost in
 * proportion to a backlog that is only waiting for its paced slots. An isolated database: both
 * reads look at every message in it.
 */
const context = useTestDatabase({ isolated: true });
const MINUTE = 60_000;
let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant(context.db);
});

beforeEach(async () => {
  // Each test walks every message in the database: only its own.
  await context.db.dataSource.query('DELETE FROM messages');
});

/** A cursor's `since` for a time JS holds: to the microsecond, in UTC. */
function exact(time: number): string {
  return new Date(time).toISOString().replace('Z', '000Z');
}

/** A queued message as it stands after `updatedAt`, due at `nextAttemptAt` (null: at once). */
async function queued(updatedAt: Date, nextAttemptAt: Date | null, status = 'queued'): Promise<string> {
  const rows: { id: string }[] = await context.db.dataSource.query(
    `INSERT INTO messages (account_id, instance_id, direction, phone_number, body, status, updated_at,
                           next_attempt_at, send_at)
     VALUES ($1, $2, 'outgoing', '254712345678', 'Invoice due', $5, $3, $4,
             CASE WHEN $5 = 'scheduled' THEN $4::timestamptz END) RETURNING id`,
    [tenant.accountId, tenant.instance.id, updatedAt, nextAttemptAt, status],
  );
  return rows[0]!.id;
}

/** The statements the repository sends while `work` runs, with their parameters. */
async function statementsOf(work: () => Promise<unknown>): Promise<{ sql: string; parameters: unknown[] }[]> {
  const { dataSource } = context.db;
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  const seen: { sql: string; parameters: unknown[] }[] = [];
  const spy = jest.spyOn(dataSource, 'createQueryRunner').mockImplementation((...args) => {
    const runner: QueryRunner = createQueryRunner(...args);
    const query = runner.query.bind(runner);
    runner.query = (sql: string, parameters?: unknown[], structured?: boolean) => {
      seen.push({ sql, parameters: parameters ?? [] });
      return structured === true ? query(sql, parameters, true) : query(sql, parameters);
    };
    return runner;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

describe('Finding stalled messages', () => {
  it('When queued messages wait for a slot ahead, then the walk skips them; once their slot is older than the threshold, then it finds them in the order they could stall, page by page', async () => {
    const now = Date.now();
    await queued(new Date(now - 10 * MINUTE), new Date(now + 60 * MINUTE));
    const slotPassed = await queued(new Date(now - 10 * MINUTE), new Date(now - 5 * MINUTE));
    const neverPicked = await queued(new Date(now - 8 * MINUTE), null);
    await queued(new Date(now - 10_000), null);
    const olderThan = new Date(now - MINUTE);
    const { maintenance } = context.db.messages;

    const first = await maintenance.findStalledQueued(olderThan, 1);
    const second = await maintenance.findStalledQueued(olderThan, 1, first[0]);
    const third = await maintenance.findStalledQueued(olderThan, 1, second[0]);

    expect(first).toEqual([{ id: neverPicked, since: exact(now - 8 * MINUTE) }]);
    expect(second).toEqual([{ id: slotPassed, since: exact(now - 5 * MINUTE) }]);
    expect(third).toEqual([]);
  });

  it('When a scheduled message waits for its send_at, then the walk skips it; once its send_at is older than the threshold (its job lost), then it is found', async () => {
    const now = Date.now();
    await queued(new Date(now - 10 * MINUTE), new Date(now + 60 * MINUTE), 'scheduled');
    const dueAndLost = await queued(new Date(now - 10 * MINUTE), new Date(now - 5 * MINUTE), 'scheduled');
    const { maintenance } = context.db.messages;

    expect(await maintenance.findStalledQueued(new Date(now - MINUTE), 10)).toEqual([
      { id: dueAndLost, since: exact(now - 5 * MINUTE) },
    ]);
  });

  it('When a batch accepted in one statement has stalled (one timestamp, to the microsecond), then the walk pages through all of it', async () => {
    const rows: { id: string }[] = await context.db.dataSource.query(
      `INSERT INTO messages (account_id, instance_id, direction, phone_number, body, status, updated_at)
       SELECT $1, $2, 'outgoing', '254712345678', 'Invoice due', 'queued', now() - interval '10 minutes'
       FROM generate_series(1, 3) RETURNING id`,
      [tenant.accountId, tenant.instance.id],
    );
    const olderThan = new Date(Date.now() - MINUTE);
    const { maintenance } = context.db.messages;

    const first = await maintenance.findStalledQueued(olderThan, 2);
    const second = await maintenance.findStalledQueued(olderThan, 2, first[1]);
    const third = await maintenance.findStalledQueued(olderThan, 2, second[0]);

    expect(first).toHaveLength(2);
    expect(second).toHaveLength(1);
    expect(third).toEqual([]);
    expect([...first, ...second].map((row) => row.id).sort()).toEqual(rows.map((row) => row.id).sort());
  });

  it('When 20,000 messages wait for their paced slots, then both sweeper reads go to their own partial indexes, not over the backlog', async () => {
    await context.db.dataSource.query(
      `INSERT INTO messages (account_id, instance_id, direction, phone_number, body, status, updated_at, next_attempt_at)
       SELECT $1, $2, 'outgoing', '254712345678', 'Invoice due', 'queued',
              now() - interval '10 minutes', now() + g * interval '3 seconds'
       FROM generate_series(1, 20000) g`,
      [tenant.accountId, tenant.instance.id],
    );
    await context.db.dataSource.query('ANALYZE messages');
    const { maintenance } = context.db.messages;
    const olderThan = new Date(Date.now() - MINUTE);

    const statements = await statementsOf(async () => {
      await maintenance.findStalledQueued(olderThan, 500);
      await maintenance.markStalledSendingUnknown(olderThan, 500);
    });

    expect(statements).toHaveLength(2);
    const plans = await Promise.all(
      statements.map(async ({ sql, parameters }) =>
        JSON.stringify(await context.db.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)),
      ),
    );
    expect(plans[0]).toContain('"Index Name":"messages_stalled_waiting_idx"');
    expect(plans[1]).toContain('"Index Name":"messages_stalled_sending_idx"');
    for (const plan of plans) expect(plan).not.toContain('"Node Type":"Seq Scan"');
  });
});
