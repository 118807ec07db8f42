import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rotation with overlap: after a status-webhook endpoint's secret is rotated, the one it replaced
 * keeps signing beside it (both `v1` entries in `webhook-signature`) until `previous_secret_expires_at`,
 * so receivers mid-rollout keep verifying. The previous secret is sealed like `secret` (an
 * `enc:v1:…` ciphertext bound to its own column) and nulled once it expires: the pair is all or nothing.
 */
export class WebhookSecretOverlap1795830000000 implements MigrationInterface {
  name = 'WebhookSecretOverlap1795830000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints
        ADD COLUMN previous_secret text,
        ADD COLUMN previous_secret_expires_at timestamptz,
        ADD CONSTRAINT webhook_endpoints_previous_secret_expires
          CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))`);
    // Housekeeping looks for expired previous secrets to erase: only rotated endpoints are indexed.
    await queryRunner.query(`
      CREATE INDEX webhook_endpoints_previous_secret_expiry_idx
        ON webhook_endpoints (previous_secret_expires_at) WHERE previous_secret_expires_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints
        DROP COLUMN previous_secret,
        DROP COLUMN previous_secret_expires_at`);
  }
}
