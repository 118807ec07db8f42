import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Secrets at rest. The Evolution webhook path token is kept only as its SHA-256 (computed here from
 * the plain tokens of existing rows, so Evolution's configured URLs keep working), beside the
 * previous token's hash and until when it is still accepted: pointing Evolution at us again issues
 * a new token, and events Evolution already queued with the old URL must not be refused.
 *
 * Evolution tokens, webhook JWT keys and endpoint signing secrets keep their text columns, which
 * now hold `enc:v1:…` ciphertexts. A migration cannot know SECRETS_KEY, so values still plain are
 * encrypted by ingress on start and by `telenexus secrets rotate`; until then they read as before.
 */
export class SecretsAtRest1795820000000 implements MigrationInterface {
  name = 'SecretsAtRest1795820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE instances
        ADD COLUMN webhook_token_hash bytea,
        ADD COLUMN webhook_previous_token_hash bytea,
        ADD COLUMN webhook_previous_token_until timestamptz`);
    await queryRunner.query(`
      UPDATE instances SET webhook_token_hash = sha256(convert_to(webhook_token, 'UTF8'))
       WHERE webhook_token IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE instances DROP COLUMN webhook_token`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The plain tokens are gone: instances must have their webhook re-applied after going back.
    await queryRunner.query(`
      ALTER TABLE instances
        ADD COLUMN webhook_token text,
        DROP COLUMN webhook_token_hash,
        DROP COLUMN webhook_previous_token_hash,
        DROP COLUMN webhook_previous_token_until`);
  }
}
