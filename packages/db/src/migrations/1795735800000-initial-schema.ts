import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts, their API keys and WhatsApp instances, and the messages with their timelines.
 * Status and type values are checked in the database too, so no writer can store a state the
 * lifecycle does not know.
 */
export class InitialSchema1795735800000 implements MigrationInterface {
  name = 'InitialSchema1795735800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        lookup_prefix text NOT NULL,
        key_hash bytea NOT NULL UNIQUE,
        last4 text NOT NULL,
        permissions text[] NOT NULL
          CHECK (permissions <@ ARRAY['send_message', 'receive_message', 'admin']::text[]),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_keys_lookup_prefix_idx ON api_keys (lookup_prefix)`);
    await queryRunner.query(`CREATE INDEX api_keys_account_idx ON api_keys (account_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE instances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        evolution_instance_name text NOT NULL,
        evolution_token text,
        connection_state text NOT NULL DEFAULT 'unknown'
          CHECK (connection_state IN ('open', 'connecting', 'close', 'unknown')),
        connection_state_at timestamptz,
        country char(2),
        timezone text NOT NULL DEFAULT 'UTC',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Evolution's webhooks name the instance, so one Evolution instance maps to exactly one of ours.
    await queryRunner.query(
      `CREATE UNIQUE INDEX instances_evolution_instance_name_key ON instances (evolution_instance_name)`,
    );
    await queryRunner.query(`CREATE INDEX instances_account_idx ON instances (account_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        instance_id uuid NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
        direction text NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
        phone_number text NOT NULL,
        customer_name text,
        amount numeric(19, 4) CHECK (amount > 0),
        currency char(3),
        invoice_id text,
        due_date date,
        message_type text
          CHECK (message_type IN ('payment_reminder', 'invoice', 'overdue', 'confirmation')),
        body text,
        status text NOT NULL CHECK (status IN (
          'queued', 'sending', 'unknown', 'sent', 'delivered', 'read',
          'failed', 'canceled', 'expired', 'received')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        provider_message_id text,
        next_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        delivered_at timestamptz,
        read_at timestamptz,
        failed_at timestamptz
      )`);
    // Receipts find their message by Evolution's key id.
    await queryRunner.query(`
      CREATE UNIQUE INDEX messages_provider_message_id_key ON messages (instance_id, provider_message_id)
        WHERE provider_message_id IS NOT NULL`);
    // The Messages tab: one instance's messages, newest first, paged by (created_at, id).
    await queryRunner.query(
      `CREATE INDEX messages_instance_created_idx ON messages (instance_id, created_at DESC, id DESC)`,
    );
    // The sweeper scans only messages that are not moving; the partial index stays small.
    await queryRunner.query(`
      CREATE INDEX messages_pending_idx ON messages (updated_at, id)
        WHERE status IN ('queued', 'sending')`);
    await queryRunner.query(`
      CREATE TABLE message_events (
        id bigserial PRIMARY KEY,
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        type text NOT NULL,
        status text,
        detail text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX message_events_message_idx ON message_events (message_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE message_events`);
    await queryRunner.query(`DROP TABLE messages`);
    await queryRunner.query(`DROP TABLE instances`);
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE accounts`);
  }
}
