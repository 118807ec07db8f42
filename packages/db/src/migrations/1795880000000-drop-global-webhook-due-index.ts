import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops `webhook_deliveries_due_idx` (pending deliveries by `next_attempt_at` across all endpoints).
 * Since claims go endpoint by endpoint (`webhook_deliveries_endpoint_due_idx`), no query reads it,
 * yet every claim, hand-over and recorded attempt moves a row in it: two index writes per delivery
 * for nothing.
 */
export class DropGlobalWebhookDueIndex1795880000000 implements MigrationInterface {
  name = 'DropGlobalWebhookDueIndex1795880000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS webhook_deliveries_due_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX IF NOT EXISTS webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at)
        WHERE status = 'pending'`);
  }
}
