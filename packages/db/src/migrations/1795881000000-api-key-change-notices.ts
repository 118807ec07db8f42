import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to an API key that can decide a request — created, revoked, expiring, permissions,
 * deleted (its account too, by cascade) — is announced on the `telenexus_api_key_changes` channel
 * with the key's lookup prefix, in the transaction that makes it, so every ingress replica drops what
 * it cached for that prefix the moment the change commits. Recording use (`last_used_at`) and
 * renaming announce nothing: they decide no request.
 */
export class ApiKeyChangeNotices1795881000000 implements MigrationInterface {
  name = 'ApiKeyChangeNotices1795881000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION announce_api_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          PERFORM pg_notify('telenexus_api_key_changes', OLD.lookup_prefix);
        END IF;
        IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.lookup_prefix <> OLD.lookup_prefix) THEN
          PERFORM pg_notify('telenexus_api_key_changes', NEW.lookup_prefix);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_announce_change
        AFTER INSERT OR DELETE OR UPDATE OF revoked_at, expires_at, permissions, key_hash, lookup_prefix, account_id
        ON api_keys FOR EACH ROW EXECUTE FUNCTION announce_api_key_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER api_keys_announce_change ON api_keys`);
    await queryRunner.query(`DROP FUNCTION announce_api_key_change()`);
  }
}
