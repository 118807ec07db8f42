import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fair, bounded webhook delivery: a lease on each delivery being attempted, so a claim can count an
 * endpoint's deliveries in flight across every dispatcher; the endpoint's circuit breaker; and the
 * `system` actor that records the breaker disabling an endpoint in the audit log.
 */
export class FairWebhookDelivery1795850000000 implements MigrationInterface {
  name = 'FairWebhookDelivery1795850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Set by a claim, cleared when the attempt is recorded; a lease that runs out (its dispatcher
    // died mid-POST) stops counting on its own, so it never holds an endpoint's slot for good.
    await queryRunner.query(`ALTER TABLE webhook_deliveries ADD COLUMN leased_until timestamptz`);
    // The claim walks the endpoints with pending deliveries (a skip scan) and takes each one's
    // oldest due ones; and counts each endpoint's unexpired leases.
    await queryRunner.query(`
      CREATE INDEX webhook_deliveries_endpoint_due_idx ON webhook_deliveries (endpoint_id, next_attempt_at)
        WHERE status = 'pending'`);
    await queryRunner.query(`
      CREATE INDEX webhook_deliveries_leased_idx ON webhook_deliveries (endpoint_id, leased_until)
        WHERE status = 'pending' AND leased_until IS NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints
        ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        ADD COLUMN failing_since timestamptz,
        ADD COLUMN next_probe_at timestamptz,
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN last_succeeded_at timestamptz`);
    // audit_events refuses UPDATE and DELETE through triggers; changing a CHECK rewrites no row.
    await queryRunner.query(`
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_kind_check,
        ADD CONSTRAINT audit_events_actor_kind_check CHECK (actor_kind IN ('api_key', 'cli', 'system'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Refuses while `system` events exist: history is not rewritten to fit an older schema.
    await queryRunner.query(`
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_actor_kind_check,
        ADD CONSTRAINT audit_events_actor_kind_check CHECK (actor_kind IN ('api_key', 'cli'))`);
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP COLUMN consecutive_failures, DROP COLUMN failing_since,
        DROP COLUMN next_probe_at, DROP COLUMN disabled_at, DROP COLUMN last_succeeded_at`);
    await queryRunner.query(`DROP INDEX webhook_deliveries_leased_idx`);
    await queryRunner.query(`DROP INDEX webhook_deliveries_endpoint_due_idx`);
    await queryRunner.query(`ALTER TABLE webhook_deliveries DROP COLUMN leased_until`);
  }
}
