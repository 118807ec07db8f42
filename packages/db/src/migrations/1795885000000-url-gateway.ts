import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The URL gateway: `text` messages (a billing system's own words, sent as they are) and the
 * `send_text` permission, the gateway's alone.
 *
 * The new message type check is added NOT VALID and then validated: adding it plainly would hold an
 * exclusive lock on `messages` while every row is read, stopping sends and receipts meanwhile;
 * validating takes a lock that lets them go on.
 */
export class UrlGateway1795885000000 implements MigrationInterface {
  name = 'UrlGateway1795885000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.messageTypes(queryRunner, ['payment_reminder', 'invoice', 'overdue', 'confirmation', 'text']);
    await this.permissions(queryRunner, ['send_message', 'receive_message', 'admin', 'support', 'send_text']);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Neither can satisfy the old constraints: they stop existing with the type and the permission.
    await queryRunner.query(`DELETE FROM messages WHERE message_type = 'text'`);
    await queryRunner.query(`DELETE FROM api_keys WHERE 'send_text' = ANY(permissions)`);
    await this.messageTypes(queryRunner, ['payment_reminder', 'invoice', 'overdue', 'confirmation']);
    await this.permissions(queryRunner, ['send_message', 'receive_message', 'admin', 'support']);
  }

  private async messageTypes(queryRunner: QueryRunner, types: readonly string[]): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE messages DROP CONSTRAINT messages_message_type_check,
        ADD CONSTRAINT messages_message_type_check CHECK (message_type IN (${quoted(types)})) NOT VALID`);
    await queryRunner.query(`ALTER TABLE messages VALIDATE CONSTRAINT messages_message_type_check`);
  }

  private async permissions(queryRunner: QueryRunner, permissions: readonly string[]): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE api_keys DROP CONSTRAINT api_keys_permissions_check,
        ADD CONSTRAINT api_keys_permissions_check CHECK (permissions <@ ARRAY[${quoted(permissions)}]::text[])`);
  }
}

/** Constant words of this migration as SQL literals: never input, so nothing needs escaping. */
function quoted(words: readonly string[]): string {
  return words.map((word) => `'${word}'`).join(', ');
}
