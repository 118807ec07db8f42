import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-instance backlog (`telenexus_instance_backlog`, `/backlog`) is counted on every scrape. */
export class Operations1795760000000 implements MigrationInterface {
  name = 'Operations1795760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX messages_backlog_by_instance_idx ON messages (instance_id)
        WHERE status IN ('queued', 'sending')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_backlog_by_instance_idx`);
  }
}
