import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read-only `support` permission, and the index the per-instance batch list reads: an
 * instance's batches newest first, paged by (created_at, id). The queue view needs no index of its
 * own: it reads the messages indexes led by (instance_id, status).
 */
export class SupportRole1795800000000 implements MigrationInterface {
  name = 'SupportRole1795800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE api_keys DROP CONSTRAINT api_keys_permissions_check,
        ADD CONSTRAINT api_keys_permissions_check
          CHECK (permissions <@ ARRAY['send_message', 'receive_message', 'admin', 'support']::text[])`);
    await queryRunner.query(
      `CREATE INDEX batches_instance_created_idx ON batches (instance_id, created_at DESC, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX batches_instance_created_idx`);
    // Support keys cannot satisfy the old constraint; they stop existing with the permission.
    await queryRunner.query(`DELETE FROM api_keys WHERE 'support' = ANY(permissions)`);
    await queryRunner.query(`
      ALTER TABLE api_keys DROP CONSTRAINT api_keys_permissions_check,
        ADD CONSTRAINT api_keys_permissions_check
          CHECK (permissions <@ ARRAY['send_message', 'receive_message', 'admin']::text[])`);
  }
}
