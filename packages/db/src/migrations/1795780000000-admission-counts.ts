import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What admitting a send request counts, on every request: an account's queued messages (its limit)
 * and an instance's queued messages that hold no send slot yet (the backlog ahead of new ones). Both
 * indexes are partial and narrow, so a count reads only the rows it counts, from the index alone.
 */
export class AdmissionCounts1795780000000 implements MigrationInterface {
  name = 'AdmissionCounts1795780000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX messages_queued_account_idx ON messages (account_id) WHERE status = 'queued'`,
    );
    // Most of a backlog is scheduled (it holds a slot the pacer counts); only the rest is counted.
    await queryRunner.query(`
      CREATE INDEX messages_unplaced_idx ON messages (instance_id)
        WHERE status = 'queued' AND next_attempt_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_unplaced_idx`);
    await queryRunner.query(`DROP INDEX messages_queued_account_idx`);
  }
}
