import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The statuses as this migration found them: spelt out, as a migration must not change with core. */
const STATUSES_BEFORE = [
  'queued',
  'sending',
  'unknown',
  'sent',
  'delivered',
  'read',
  'failed',
  'canceled',
  'expired',
  'received',
];

/**
 * Scheduled sends: a message with a `send_at` ahead waits as `scheduled` until then (its
 * `next_attempt_at`), and `send_at` keeps what the billing system asked for.
 *
 * Waiting messages count where queued ones do: against the account's queue limit, and in the
 * sweeper's search for jobs Redis lost (from their time on). Both partial indexes are rebuilt to
 * hold them. The new status check is added NOT VALID and then validated, so `messages` is not locked
 * against sends while every row is read (see 1795885000000).
 */
export class ScheduledSends1795888000000 implements MigrationInterface {
  name = 'ScheduledSends1795888000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.statuses(queryRunner, ['scheduled', ...STATUSES_BEFORE]);
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN send_at timestamptz`);
    await queryRunner.query(`
      CREATE INDEX messages_waiting_account_idx ON messages (account_id)
        WHERE status IN ('queued', 'scheduled')`);
    await queryRunner.query(`DROP INDEX messages_queued_account_idx`);
    await queryRunner.query(`
      CREATE INDEX messages_stalled_waiting_idx ON messages ((greatest(updated_at, next_attempt_at)), id)
        WHERE status IN ('queued', 'scheduled')`);
    await queryRunner.query(`DROP INDEX messages_stalled_queued_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX messages_stalled_queued_idx ON messages ((greatest(updated_at, next_attempt_at)), id)
        WHERE status = 'queued'`);
    await queryRunner.query(`DROP INDEX messages_stalled_waiting_idx`);
    await queryRunner.query(
      `CREATE INDEX messages_queued_account_idx ON messages (account_id) WHERE status = 'queued'`,
    );
    await queryRunner.query(`DROP INDEX messages_waiting_account_idx`);
    // A scheduled message cannot satisfy the old check: it is canceled, as its job will find it.
    await queryRunner.query(`UPDATE messages SET status = 'canceled' WHERE status = 'scheduled'`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN send_at`);
    await this.statuses(queryRunner, STATUSES_BEFORE);
  }

  private async statuses(queryRunner: QueryRunner, statuses: readonly string[]): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE messages DROP CONSTRAINT messages_status_check,
        ADD CONSTRAINT messages_status_check
          CHECK (status IN (${statuses.map((status) => `'${status}'`).join(', ')})) NOT VALID`);
    await queryRunner.query(`ALTER TABLE messages VALIDATE CONSTRAINT messages_status_check`);
  }
}
