import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing systems hear every outcome: endpoints may subscribe to expired and canceled messages and
 * to instances disconnecting and reconnecting.
 */
export class EdgeOutcomes1795790000000 implements MigrationInterface {
  name = 'EdgeOutcomes1795790000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check,
        ADD CONSTRAINT webhook_endpoints_events_check CHECK (events <@ ARRAY[
          'message.sent', 'message.delivered', 'message.read', 'message.failed', 'message.expired',
          'message.canceled', 'instance.disconnected', 'instance.connected']::text[])`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check,
        ADD CONSTRAINT webhook_endpoints_events_check CHECK (events <@ ARRAY[
          'message.sent', 'message.delivered', 'message.read', 'message.failed']::text[])`);
  }
}
