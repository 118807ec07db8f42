import {
  isNotificationType,
  type AccountWording,
  type NotificationType,
  type SavedTemplate,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import type { Row } from './row-mappers';

/** Which saved text: a message type in a language, account-wide (`instanceId` null) or one instance's. */
export interface TemplateKey {
  readonly accountId: string;
  readonly instanceId: string | null;
  readonly messageType: NotificationType;
  readonly language: string;
}

/** The account fields a text may name; absent ones stay as they are. */
export interface WordingFieldsPatch {
  readonly companyName?: string;
  readonly paymentInstructions?: string;
}

/**
 * An account's wording (migration 1795887000000): its texts, and the account fields they name. Each
 * change announces itself on the wording channel (a trigger), so cached wording is forgotten on
 * every replica as it commits.
 */
export class AccountWordingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The account's wording, or null when there is no such account. Deleted instances' texts are left out. */
  async read(accountId: string): Promise<AccountWording | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT account.company_name, account.payment_instructions,
              COALESCE((
                SELECT json_agg(json_build_object(
                         'instance_id', template.instance_id, 'message_type', template.message_type,
                         'language', template.language, 'body', template.body,
                         'updated_at', template.updated_at)
                       ORDER BY template.message_type, template.language, template.instance_id NULLS FIRST)
                  FROM message_templates template
                 WHERE template.account_id = account.id
                   AND (template.instance_id IS NULL OR EXISTS (
                          SELECT FROM instances instance
                           WHERE instance.id = template.instance_id AND instance.deleted_at IS NULL))
              ), '[]'::json) AS templates
         FROM accounts account
        WHERE account.id = $1`,
      [accountId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      companyName: String(row.company_name),
      paymentInstructions: String(row.payment_instructions),
      templates: (row.templates as Row[]).flatMap((template) => {
        const saved = toSavedTemplate(template);
        return saved ? [saved] : [];
      }),
    };
  }

  /** Writes the text (replacing the one of the same key); `created` says whether it is new. */
  async saveTemplate(key: TemplateKey, text: string): Promise<{ template: SavedTemplate; created: boolean }> {
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO message_templates (account_id, instance_id, message_type, language, body)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT message_templates_one_text
         DO UPDATE SET body = EXCLUDED.body, updated_at = now()
       RETURNING instance_id, message_type, language, body, updated_at, (xmax = 0) AS created`,
      [key.accountId, key.instanceId, key.messageType, key.language, text],
    );
    const row = rows[0]!;
    return { template: toSavedTemplate(row)!, created: row.created === true };
  }

  /** Removes the text; false when there was none. */
  async deleteTemplate(key: TemplateKey): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      `DELETE FROM message_templates
        WHERE account_id = $1 AND instance_id IS NOT DISTINCT FROM $2::uuid
          AND message_type = $3 AND language = $4
       RETURNING 1`,
      [key.accountId, key.instanceId, key.messageType, key.language],
    );
    return rows.length > 0;
  }

  async updateFields(accountId: string, patch: WordingFieldsPatch): Promise<void> {
    await queryRows(
      this.dataSource,
      `UPDATE accounts
          SET company_name = COALESCE($2, company_name),
              payment_instructions = COALESCE($3, payment_instructions)
        WHERE id = $1`,
      [accountId, patch.companyName ?? null, patch.paymentInstructions ?? null],
    );
  }
}

function toSavedTemplate(row: Row): SavedTemplate | undefined {
  if (!isNotificationType(row.message_type)) return undefined;
  return {
    instanceId: typeof row.instance_id === 'string' ? row.instance_id : null,
    messageType: row.message_type,
    language: String(row.language),
    text: String(row.body),
    updatedAt: new Date(row.updated_at as string | Date),
  };
}
