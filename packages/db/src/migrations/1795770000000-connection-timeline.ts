import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The WhatsApp connection of each instance over time: a timeline of its state changes (what, why,
 * when) and the latest QR code Evolution shows while the number is paired again.
 */
export class ConnectionTimeline1795770000000 implements MigrationInterface {
  name = 'ConnectionTimeline1795770000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE instance_connection_events (
        id bigserial PRIMARY KEY,
        instance_id uuid NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('open', 'connecting', 'close', 'unknown')),
        previous_state text NOT NULL CHECK (previous_state IN ('open', 'connecting', 'close', 'unknown')),
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The timeline is read newest first, one instance at a time.
    await queryRunner.query(`
      CREATE INDEX instance_connection_events_instance_idx ON instance_connection_events (instance_id, id DESC)`);

    // One row per instance: only the latest QR matters, and it is large (a PNG as base64).
    await queryRunner.query(`
      CREATE TABLE instance_qr_codes (
        instance_id uuid PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
        code text NOT NULL,
        image text NOT NULL,
        pairing_code text,
        count integer NOT NULL CHECK (count >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE instance_qr_codes`);
    await queryRunner.query(`DROP TABLE instance_connection_events`);
  }
}
