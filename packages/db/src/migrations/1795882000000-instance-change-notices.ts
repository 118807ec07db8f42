import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to an instance — its connection state, pacing, country, token, deletion — is
 * announced on `telenexus_instance_changes` with its id, in the transaction that makes it, so the
 * instances ingress keeps in memory for accepting notifications are forgotten on every replica the
 * moment the change commits.
 */
export class InstanceChangeNotices1795882000000 implements MigrationInterface {
  name = 'InstanceChangeNotices1795882000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION announce_instance_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('telenexus_instance_changes', OLD.id::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER instances_announce_change AFTER UPDATE OR DELETE ON instances
        FOR EACH ROW EXECUTE FUNCTION announce_instance_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER instances_announce_change ON instances`);
    await queryRunner.query(`DROP FUNCTION announce_instance_change()`);
  }
}
