import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A billing system's own references on a message (`metadata`, a flat JSON object of at most 20 keys
 * and 1 KB), returned by the Messages API and carried in each of its status events. Nullable with
 * no default, so adding it rewrites no row.
 */
export class MessageMetadata1795886000000 implements MigrationInterface {
  name = 'MessageMetadata1795886000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN metadata jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN metadata`);
  }
}
