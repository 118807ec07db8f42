import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * High-volume billing runs: per-instance pacing and quiet hours, message expiry, batches,
 * Idempotency-Key records, and the natural dedupe keys that stop a retried call from sending twice.
 */
export class BillingRuns1795750000000 implements MigrationInterface {
  name = 'BillingRuns1795750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE instances
        ADD COLUMN pacing_min_gap_ms integer NOT NULL DEFAULT 3000 CHECK (pacing_min_gap_ms >= 0),
        ADD COLUMN pacing_jitter_ms integer NOT NULL DEFAULT 2000 CHECK (pacing_jitter_ms >= 0),
        ADD COLUMN daily_cap integer DEFAULT 5000 CHECK (daily_cap IS NULL OR daily_cap >= 0),
        ADD COLUMN quiet_hours_start text CHECK (quiet_hours_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        ADD COLUMN quiet_hours_end text CHECK (quiet_hours_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
        ADD CONSTRAINT instances_quiet_hours_both CHECK ((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL))`);

    await queryRunner.query(`
      CREATE TABLE batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        instance_id uuid NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
        item_count integer NOT NULL,
        accepted integer NOT NULL,
        rejected integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await queryRunner.query(`
      ALTER TABLE messages
        ADD COLUMN expires_at timestamptz,
        ADD COLUMN batch_id uuid REFERENCES batches (id) ON DELETE SET NULL`);
    await queryRunner.query(
      `CREATE INDEX messages_batch_idx ON messages (batch_id) WHERE batch_id IS NOT NULL`,
    );
    // A confirmation cancels the invoice's other pending messages: found by invoice among the queued.
    await queryRunner.query(`
      CREATE INDEX messages_queued_invoice_idx ON messages (account_id, instance_id, invoice_id)
        WHERE status = 'queued'`);

    // One row per (account, instance, invoice, type, phone) within the dedupe window. The upsert on
    // its key is what makes two simultaneous identical requests create one message.
    await queryRunner.query(`
      CREATE TABLE dedupe_keys (
        key bytea PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX dedupe_keys_expires_idx ON dedupe_keys (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        key text NOT NULL,
        request_hash text NOT NULL,
        status text NOT NULL CHECK (status IN ('in_flight', 'completed')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (account_id, key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP TABLE dedupe_keys`);
    await queryRunner.query(`DROP INDEX messages_queued_invoice_idx`);
    await queryRunner.query(`DROP INDEX messages_batch_idx`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN batch_id, DROP COLUMN expires_at`);
    await queryRunner.query(`DROP TABLE batches`);
    await queryRunner.query(`
      ALTER TABLE instances DROP CONSTRAINT instances_quiet_hours_both,
        DROP COLUMN quiet_hours_end, DROP COLUMN quiet_hours_start, DROP COLUMN daily_cap,
        DROP COLUMN pacing_jitter_ms, DROP COLUMN pacing_min_gap_ms`);
  }
}
