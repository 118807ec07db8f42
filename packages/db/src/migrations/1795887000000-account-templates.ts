import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An account's own wording of its notifications: a text per message type and language, account-wide
 * or for one instance; the account fields those texts may name (`company_name`,
 * `payment_instructions`); and each instance's default language.
 *
 * Every change to an account's wording is announced on `telenexus_wording_changes` with the account's
 * id, in the transaction that makes it, so the wording ingress keeps in memory for rendering is
 * forgotten on every replica the moment the change commits. (An instance's default language travels
 * with the instance, which `telenexus_instance_changes` already announces.)
 */
export class AccountTemplates1795887000000 implements MigrationInterface {
  name = 'AccountTemplates1795887000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE accounts
        ADD COLUMN company_name text NOT NULL DEFAULT '' CHECK (length(company_name) <= 100),
        ADD COLUMN payment_instructions text NOT NULL DEFAULT '' CHECK (length(payment_instructions) <= 500)`);
    await queryRunner.query(`ALTER TABLE instances ADD COLUMN default_language text`);
    await queryRunner.query(`
      CREATE TABLE message_templates (
        account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        -- NULL: the account-wide text; else this instance's own, which wins over it.
        instance_id uuid REFERENCES instances (id) ON DELETE CASCADE,
        message_type text NOT NULL
          CHECK (message_type IN ('payment_reminder', 'invoice', 'overdue', 'confirmation')),
        language text NOT NULL CHECK (length(language) BETWEEN 2 AND 35),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 8192),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT message_templates_one_text UNIQUE NULLS NOT DISTINCT
          (account_id, instance_id, message_type, language)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION announce_wording_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'accounts' THEN
          PERFORM pg_notify('telenexus_wording_changes', OLD.id::text);
        ELSE
          PERFORM pg_notify('telenexus_wording_changes', COALESCE(NEW.account_id, OLD.account_id)::text);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER message_templates_announce_change AFTER INSERT OR UPDATE OR DELETE ON message_templates
        FOR EACH ROW EXECUTE FUNCTION announce_wording_change()`);
    await queryRunner.query(`
      CREATE TRIGGER accounts_announce_wording_change
        AFTER UPDATE OF company_name, payment_instructions ON accounts
        FOR EACH ROW EXECUTE FUNCTION announce_wording_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER accounts_announce_wording_change ON accounts`);
    await queryRunner.query(`DROP TABLE message_templates`);
    await queryRunner.query(`DROP FUNCTION announce_wording_change()`);
    await queryRunner.query(`ALTER TABLE instances DROP COLUMN default_language`);
    await queryRunner.query(
      `ALTER TABLE accounts DROP COLUMN company_name, DROP COLUMN payment_instructions`,
    );
  }
}
