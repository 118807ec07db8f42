import type { DataSource } from 'typeorm';
import { queryRows } from '../repositories/query-rows';
import { SECRET_COLUMNS, needsSealingSql, type SecretBox, type SecretColumn } from './secret-box';

/** Which stored secrets a pass re-encrypts. */
export type ResealScope =
  /** Only legacy plain text (ingress's start: cheap, and every replica may run it at once). */
  | 'plain'
  /** Plain text and everything sealed under a key other than the current one (`secrets rotate`). */
  | 'not-current-key';

/** How many values of each column a pass re-encrypted. */
export type ResealCounts = Readonly<Record<SecretColumn, number>>;

const DEFAULT_BATCH_SIZE = 500;

function split(column: SecretColumn): { table: string; name: string } {
  const [table, name] = column.split('.') as [string, string];
  return { table, name };
}

/**
 * Re-encrypts stored secrets under the current key, in batches (keyset pages by id, one statement
 * per batch), deleted rows included so a dump holds no plain secret. Idempotent: a second pass finds
 * nothing to do. Each row is written only if it still holds the value that was read, so a secret
 * changed meanwhile (a rotation through the API) is never overwritten with its older value.
 */
export class SecretResealer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  async reseal(scope: ResealScope): Promise<ResealCounts> {
    const counts = {} as Record<SecretColumn, number>;
    for (const column of SECRET_COLUMNS) counts[column] = await this.resealColumn(column, scope);
    return counts;
  }

  /**
   * Checks that SECRETS_KEY opens what is stored: every key id in use is in it, and one value per
   * key id decrypts. Throws SecretDecryptionError otherwise, so a service with the wrong key stops
   * at start instead of failing on every send.
   */
  async verify(): Promise<void> {
    for (const column of SECRET_COLUMNS) {
      const { table, name } = split(column);
      const samples = await queryRows(
        this.dataSource,
        `SELECT DISTINCT ON (split_part(${name}, ':', 3)) ${name} AS value FROM ${table}
          WHERE starts_with(${name}, 'enc:v1:')`,
      );
      for (const sample of samples) this.secrets.open(column, String(sample.value));
    }
  }

  private async resealColumn(column: SecretColumn, scope: ResealScope): Promise<number> {
    const { table, name } = split(column);
    const pending =
      scope === 'plain'
        ? `(${name} IS NOT NULL AND NOT starts_with(${name}, 'enc:v1:'))`
        : needsSealingSql(name, '$3');
    let resealed = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await queryRows(
        this.dataSource,
        `SELECT id, ${name} AS value FROM ${table} WHERE id > $1 AND ${pending} ORDER BY id LIMIT $2`,
        scope === 'plain' ? [after, this.batchSize] : [after, this.batchSize, this.secrets.currentKeyId],
      );
      if (rows.length === 0) return resealed;
      const ids = rows.map((row) => String(row.id));
      const olds = rows.map((row) => String(row.value));
      const news = olds.map((old) => this.secrets.seal(column, this.secrets.open(column, old)));
      const updated = await queryRows(
        this.dataSource,
        `UPDATE ${table} target SET ${name} = batch.new
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS batch(id, old, new)
          WHERE target.id = batch.id AND target.${name} = batch.old
          RETURNING target.id`,
        [ids, olds, news],
      );
      resealed += updated.length;
      after = ids[ids.length - 1]!;
    }
  }
}
