import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the management API, delivery receipts and status webhooks need: key expiry (for rotation
 * with a grace period), instance webhook credentials and soft deletion, indexes for the Messages
 * filters, an inbox for receipts that arrive before their send is recorded, and the outbound
 * webhook endpoints with their durable delivery queue and attempt log.
 */
export class ManagementReceiptsWebhooks1795740000000 implements MigrationInterface {
  name = 'ManagementReceiptsWebhooks1795740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz`);

    await queryRunner.query(`
      ALTER TABLE instances
        ADD COLUMN webhook_token text,
        ADD COLUMN webhook_jwt_key text,
        ADD COLUMN webhook_configured_at timestamptz,
        ADD COLUMN webhook_error text,
        ADD COLUMN deleted_at timestamptz`);
    // A deleted instance frees its Evolution instance for another.
    await queryRunner.query(`DROP INDEX instances_evolution_instance_name_key`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX instances_evolution_instance_name_key ON instances (evolution_instance_name)
        WHERE deleted_at IS NULL`);

    // The Messages tab's filters, each led by the instance and ending in the page order.
    await queryRunner.query(`
      CREATE INDEX messages_instance_status_created_idx ON messages (instance_id, status, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE INDEX messages_instance_direction_created_idx
        ON messages (instance_id, direction, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE INDEX messages_instance_invoice_idx ON messages (instance_id, invoice_id, created_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE INDEX messages_instance_phone_idx ON messages (instance_id, phone_number, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE pending_receipts (
        id bigserial PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
        provider_message_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX pending_receipts_lookup_idx ON pending_receipts (instance_id, provider_message_id)`,
    );
    await queryRunner.query(`CREATE INDEX pending_receipts_received_idx ON pending_receipts (received_at)`);

    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        url text NOT NULL,
        description text,
        secret text NOT NULL,
        events text[] NOT NULL CHECK (events <@ ARRAY[
          'message.sent', 'message.delivered', 'message.read', 'message.failed']::text[]),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_endpoints_account_idx ON webhook_endpoints (account_id) WHERE deleted_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
        payload json NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        failed_at timestamptz
      )`);
    // The delivery worker's queue: only pending rows, in due order.
    await queryRunner.query(`
      CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        duration_ms integer,
        status_code integer,
        error text
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (delivery_id, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_delivery_attempts`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
    await queryRunner.query(`DROP TABLE pending_receipts`);
    await queryRunner.query(`DROP INDEX messages_instance_phone_idx`);
    await queryRunner.query(`DROP INDEX messages_instance_invoice_idx`);
    await queryRunner.query(`DROP INDEX messages_instance_direction_created_idx`);
    await queryRunner.query(`DROP INDEX messages_instance_status_created_idx`);
    await queryRunner.query(`DROP INDEX instances_evolution_instance_name_key`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX instances_evolution_instance_name_key ON instances (evolution_instance_name)`,
    );
    await queryRunner.query(`
      ALTER TABLE instances DROP COLUMN webhook_token, DROP COLUMN webhook_jwt_key,
        DROP COLUMN webhook_configured_at, DROP COLUMN webhook_error, DROP COLUMN deleted_at`);
    await queryRunner.query(`ALTER TABLE api_keys DROP COLUMN expires_at`);
  }
}
