import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Endpoints may subscribe to customers' replies (`message.received`) and, opting in, to accepted
 * notifications (`message.queued`). `endpoint.test` needs no subscription, so it is not listed.
 * Deliveries' `event_type` has no check of its own: what an endpoint may receive is decided here.
 */
export class EveryEvent1795840000000 implements MigrationInterface {
  name = 'EveryEvent1795840000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check,
        ADD CONSTRAINT webhook_endpoints_events_check CHECK (events <@ ARRAY[
          'message.queued', 'message.sent', 'message.delivered', 'message.read', 'message.failed',
          'message.expired', 'message.canceled', 'instance.disconnected', 'instance.connected',
          'message.received']::text[])`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE webhook_endpoints
         SET events = array_remove(array_remove(events, 'message.queued'), 'message.received')`);
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_events_check,
        ADD CONSTRAINT webhook_endpoints_events_check CHECK (events <@ ARRAY[
          'message.sent', 'message.delivered', 'message.read', 'message.failed', 'message.expired',
          'message.canceled', 'instance.disconnected', 'instance.connected']::text[])`);
  }
}
