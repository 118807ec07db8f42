import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one row per management action, succeeded or refused. It is append-only in Postgres
 * itself, not only by having no route that changes it: a trigger refuses every UPDATE, DELETE and
 * TRUNCATE, so neither a bug nor someone with the application's database login can rewrite history.
 * Pruning is a deliberate act by the table's owner (see docs/audit-log.md).
 */
export class AuditEvents1795810000000 implements MigrationInterface {
  name = 'AuditEvents1795810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid REFERENCES accounts (id),
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        action text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('succeeded', 'refused')),
        actor_kind text NOT NULL CHECK (actor_kind IN ('api_key', 'cli')),
        actor_api_key_id uuid,
        actor_api_key_name text,
        client_ip text,
        target_type text,
        target_id text,
        changes jsonb,
        detail text,
        CHECK (account_id IS NOT NULL OR (action = 'console.sign_in' AND outcome = 'refused')),
        CHECK (actor_kind = 'api_key' OR actor_api_key_id IS NULL),
        CHECK ((target_type IS NULL) = (target_id IS NULL))
      )`);
    // An account's newest-first pages, alone or filtered by action (exact or prefix, hence text_pattern_ops).
    await queryRunner.query(
      `CREATE INDEX audit_events_account_page_idx ON audit_events (account_id, occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE INDEX audit_events_account_action_idx
        ON audit_events (account_id, action text_pattern_ops, occurred_at DESC, id DESC)`);
    // The operator's view over every account (`telenexus audit` without --account).
    await queryRunner.query(`CREATE INDEX audit_events_page_idx ON audit_events (occurred_at DESC, id DESC)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
