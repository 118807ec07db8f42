import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox sweeper's two reads, every 15 s, served by indexes that hold only what they look for.
 *
 * `messages_pending_idx` (updated_at, id) over queued and sending rows served neither once a paced
 * backlog waits: every paced message is queued with its slot ahead, so the stalled-queued read
 * filtered all of them out one by one (or scanned the table), and the stalled-sending read found the
 * few `sending` rows only behind every queued one. It is replaced by two:
 * - queued rows by the time they may stall, `greatest(updated_at, next_attempt_at)` (greatest skips
 *   a null), so rows waiting for a slot ahead fall outside the range the sweeper reads. Every accept
 *   writes to it, as it wrote to the index it replaces.
 * - `sending` rows by `updated_at`: a handful of rows, and no accept writes to it.
 */
export class SweeperIndexes1795883000000 implements MigrationInterface {
  name = 'SweeperIndexes1795883000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX messages_stalled_queued_idx ON messages ((greatest(updated_at, next_attempt_at)), id)
        WHERE status = 'queued'`);
    await queryRunner.query(
      `CREATE INDEX messages_stalled_sending_idx ON messages (updated_at) WHERE status = 'sending'`,
    );
    await queryRunner.query(`DROP INDEX messages_pending_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX messages_pending_idx ON messages (updated_at, id)
        WHERE status IN ('queued', 'sending')`);
    await queryRunner.query(`DROP INDEX messages_stalled_sending_idx`);
    await queryRunner.query(`DROP INDEX messages_stalled_queued_idx`);
  }
}
