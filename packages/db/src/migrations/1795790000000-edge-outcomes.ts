import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every notification reaches a definite outcome: messages of a disconnected number are held (and
 * found again, in order, when it reconnects); a failure carries a code a billing system can act on;
 * endpoints may subscribe to expired and canceled messages and to instances disconnecting and
 * reconnecting.
 */
export class EdgeOutcomes1795790000000 implements MigrationInterface {
  name = 'EdgeOutcomes1795790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check,
        ADD CONSTRAINT webhook_endpoints_events_check CHECK (events <@ ARRAY[
          'message.sent', 'message.delivered', 'message.read', 'message.failed', 'message.expired',
          'message.canceled', 'instance.disconnected', 'instance.connected']::text[])`);
    await queryRunner.query(`
      ALTER TABLE messages
        ADD COLUMN held_at timestamptz,
        ADD COLUMN reason_code text CHECK (reason_code IN (
          'not_on_whatsapp', 'rejected', 'gave_up', 'unconfirmed', 'instance_logged_out'))`);
    await queryRunner.query(`
      ALTER TABLE accounts ADD COLUMN unconfirmed_send_policy text NOT NULL DEFAULT 'fail'
        CHECK (unconfirmed_send_policy IN ('fail', 'resend_once'))`);
    // Held messages are released per instance in their order; ambiguous sends are settled oldest first.
    await queryRunner.query(
      `CREATE INDEX messages_held_idx ON messages (instance_id, created_at) WHERE held_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX messages_unknown_idx ON messages (updated_at) WHERE status = 'unknown'`,
    );
    // The Messages API's reason_code filter, led by the instance and ending in the page order.
    await queryRunner.query(`
      CREATE INDEX messages_instance_reason_idx ON messages (instance_id, reason_code, created_at DESC, id DESC)
        WHERE reason_code IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_instance_reason_idx`);
    await queryRunner.query(`DROP INDEX messages_unknown_idx`);
    await queryRunner.query(`DROP INDEX messages_held_idx`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN reason_code, DROP COLUMN held_at`);
    await queryRunner.query(`ALTER TABLE accounts DROP COLUMN unconfirmed_send_policy`);
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check,
        ADD CONSTRAINT webhook_endpoints_events_check CHECK (events <@ ARRAY[
          'message.sent', 'message.delivered', 'message.read', 'message.failed']::text[])`);
  }
}
