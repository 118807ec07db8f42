import {
  isConnectionState,
  webhookEventForConnectionState,
  type ConnectionEvent,
  type ConnectionState,
  type Instance,
  type InstanceQrCode,
  type Message,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../secrets/secret-box';
import { announceConnectionChange } from '../status-webhooks/connection-announcement.sql';
import { queryRows } from './query-rows';
import { claimOrFindForSendSql, SEND_INSTANCE_COLUMNS, SEND_INSTANCE_PREFIX } from './send-claim.sql';
import { toConnectionEvent, toInstance, toInstanceQrCode, toMessage, type Row } from './row-mappers';

/** Fields an account may change on its instance; absent fields stay as they are. */
export interface InstancePatch {
  readonly name?: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string;
  readonly defaultLanguage?: string | null;
  readonly pacingMinGapMs?: number;
  readonly pacingJitterMs?: number;
  readonly dailyCap?: number | null;
  readonly quietHoursStart?: string | null;
  readonly quietHoursEnd?: string | null;
}

export interface NewInstance extends InstancePatch {
  readonly accountId: string;
  readonly name: string;
  readonly evolutionInstanceName: string;
}

const PATCH_COLUMNS: Readonly<Record<keyof InstancePatch, string>> = {
  name: 'name',
  evolutionToken: 'evolution_token',
  country: 'country',
  timezone: 'timezone',
  defaultLanguage: 'default_language',
  pacingMinGapMs: 'pacing_min_gap_ms',
  pacingJitterMs: 'pacing_jitter_ms',
  dailyCap: 'daily_cap',
  quietHoursStart: 'quiet_hours_start',
  quietHoursEnd: 'quiet_hours_end',
};

/** Instances still in use; deleted ones keep their rows (and messages) but are gone for every caller. */
const LIVE = 'deleted_at IS NULL';

/**
 * A message a send job names, with its instance: claimed for its send when nothing was left to
 * decide (see claimOrFindForSendSql), else as read, its instance null once deleted.
 */
export type MessageForSend =
  | { readonly claimed: true; readonly message: Message; readonly instance: Instance }
  | { readonly claimed: false; readonly message: Message; readonly instance: Instance | null };

/** An instance with what authenticates Evolution's webhook calls for it. */
export interface InstanceWebhookCredentials {
  readonly instance: Instance;
  /**
   * SHA-256 of every path token accepted now: the current one and, for a short grace after
   * Evolution was pointed at us again, the previous one.
   */
  readonly tokenHashes: readonly Buffer[];
}

/**
 * Instances. The Evolution token and webhook JWT key are encrypted on write and decrypted on read
 * (callers see plain values); the webhook path token is stored only as a hash.
 */
export class InstanceRepository {
  private readonly toInstance: (row: Record<string, unknown>) => Instance;

  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {
    this.toInstance = (row) => toInstance(row, secrets);
  }

  /** The value a patch field is stored as: the Evolution token encrypted. */
  private stored(field: keyof InstancePatch, value: unknown): unknown {
    return field === 'evolutionToken'
      ? this.secrets.sealNullable('instances.evolution_token', value as string | null)
      : value;
  }

  /** Creates the instance; settings left out take the column defaults (documented pacing). */
  async create(instance: NewInstance): Promise<Instance> {
    const columns = ['account_id', 'evolution_instance_name'];
    const values: unknown[] = [instance.accountId, instance.evolutionInstanceName];
    for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof InstancePatch, string][]) {
      if (instance[field] === undefined) continue;
      columns.push(column);
      values.push(this.stored(field, instance[field]));
    }
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO instances (${columns.join(', ')})
       VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING *`,
      values,
    );
    return this.toInstance(rows[0]!);
  }

  /** The instance only if it belongs to the account, so other accounts' ids look like missing ones. */
  async findForAccount(accountId: string, id: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE id = $1 AND account_id = $2 AND ${LIVE}`,
      [id, accountId],
    );
    return rows[0] ? this.toInstance(rows[0]) : null;
  }

  async findById(id: string): Promise<Instance | null> {
    const rows = await queryRows(this.dataSource, `SELECT * FROM instances WHERE id = $1 AND ${LIVE}`, [id]);
    return rows[0] ? this.toInstance(rows[0]) : null;
  }

  /**
   * The first statement of every send attempt: claims the message when it can go out at once, else
   * reads it, with its live instance either way (read in the same statement, so never stale).
   *
   * @param nowMs the attempt's clock, which decides the expiry as the dispatcher would.
   * @returns null when the message does not exist.
   */
  async claimOrFindForSend(messageId: string, nowMs: number): Promise<MessageForSend | null> {
    const [found] = await this.claimOrFindForSendMany([messageId], nowMs);
    return found ?? null;
  }

  /**
   * {@link claimOrFindForSend} for several messages in one statement (the dispatcher's concurrent
   * jobs, together).
   *
   * @returns one answer per id, in order: null for a message not found.
   */
  async claimOrFindForSendMany(
    messageIds: readonly string[],
    nowMs: number,
  ): Promise<(MessageForSend | null)[]> {
    const { sql, values } = claimOrFindForSendSql(messageIds, nowMs);
    const rows = await queryRows(this.dataSource, sql, values, { prepare: true });
    const byId = new Map(rows.map((row) => [row.id as string, this.toMessageForSend(row)]));
    return messageIds.map((id) => byId.get(id.toLowerCase()) ?? null);
  }

  private toMessageForSend(row: Row): MessageForSend {
    const instanceRow: Row = {};
    for (const column of SEND_INSTANCE_COLUMNS) instanceRow[column] = row[`${SEND_INSTANCE_PREFIX}${column}`];
    const message = toMessage(row);
    const instance =
      instanceRow.id === null || instanceRow.id === undefined ? null : this.toInstance(instanceRow);
    return row.claimed === true && instance
      ? { claimed: true, message, instance }
      : { claimed: false, message, instance };
  }

  async listForAccount(accountId: string): Promise<Instance[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE account_id = $1 AND ${LIVE} ORDER BY created_at, id`,
      [accountId],
    );
    return rows.map(this.toInstance);
  }

  async listAll(): Promise<Instance[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE ${LIVE} ORDER BY created_at`,
    );
    return rows.map(this.toInstance);
  }

  async update(accountId: string, id: string, patch: InstancePatch): Promise<Instance | null> {
    const assignments: string[] = [];
    const parameters: unknown[] = [id, accountId];
    for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof InstancePatch, string][]) {
      if (patch[field] === undefined) continue;
      parameters.push(this.stored(field, patch[field]));
      assignments.push(`${column} = $${parameters.length}`);
    }
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET ${[...assignments, 'updated_at = now()'].join(', ')}
       WHERE id = $1 AND account_id = $2 AND ${LIVE} RETURNING *`,
      parameters,
    );
    return rows[0] ? this.toInstance(rows[0]) : null;
  }

  /** Deletes the instance for every caller while keeping its message history. */
  async softDelete(accountId: string, id: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET deleted_at = now(), updated_at = now()
       WHERE id = $1 AND account_id = $2 AND ${LIVE} RETURNING *`,
      [id, accountId],
    );
    return rows[0] ? this.toInstance(rows[0]) : null;
  }

  /**
   * Makes `tokenHash` the hash of the instance's webhook path token, keeping the one it replaces
   * valid for `graceMs` (Evolution may still post events queued under the old URL), and gives the
   * instance a JWT key unless it has one (the key is kept: it can be read back and re-applied).
   */
  async issueWebhookToken(
    id: string,
    tokenHash: Buffer,
    jwtKey: string,
    graceMs: number,
  ): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET
         webhook_previous_token_hash = webhook_token_hash,
         webhook_previous_token_until = CASE WHEN webhook_token_hash IS NULL THEN NULL
                                             ELSE now() + make_interval(secs => $4::double precision / 1000) END,
         webhook_token_hash = $2, webhook_jwt_key = coalesce(webhook_jwt_key, $3), updated_at = now()
       WHERE id = $1 AND ${LIVE} RETURNING *`,
      [id, tokenHash, this.secrets.seal('instances.webhook_jwt_key', jwtKey), graceMs],
    );
    return rows[0] ? this.toInstance(rows[0]) : null;
  }

  /**
   * After Evolution refused (or never answered) the URL with the token just issued: the previous
   * token — the one Evolution most likely still has — becomes current again, and the new one only
   * lives out the grace, in case the call took effect after all.
   */
  async restorePreviousWebhookToken(id: string, issuedHash: Buffer): Promise<void> {
    await queryRows(
      this.dataSource,
      `UPDATE instances SET webhook_token_hash = webhook_previous_token_hash,
         webhook_previous_token_hash = webhook_token_hash
       WHERE id = $1 AND webhook_token_hash = $2 AND webhook_previous_token_hash IS NOT NULL`,
      [id, issuedHash],
    );
  }

  /** The live instance with the hashes of the webhook path tokens accepted now. */
  async findWebhookCredentials(id: string): Promise<InstanceWebhookCredentials | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT *, CASE WHEN webhook_previous_token_until > now() THEN webhook_previous_token_hash END
                   AS accepted_previous_hash
         FROM instances WHERE id = $1 AND ${LIVE}`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const tokenHashes = [row.webhook_token_hash, row.accepted_previous_hash].filter((hash): hash is Buffer =>
      Buffer.isBuffer(hash),
    );
    return { instance: this.toInstance(row), tokenHashes };
  }

  /** Records whether configuring Evolution's webhook worked (error null) or why it did not. */
  async recordWebhookResult(id: string, error: string | null): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET webhook_error = $2,
         webhook_configured_at = CASE WHEN $2::text IS NULL THEN now() ELSE webhook_configured_at END,
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, error],
    );
    return rows[0] ? this.toInstance(rows[0]) : null;
  }

  /**
   * Records what was learnt of the WhatsApp connection, and why; returns true when the state changed.
   * Only a change counts, and in the same statement it is added to the instance's timeline, ends
   * the QR code of a pairing that is over (any state but `connecting`), and is announced to the
   * account's endpoints subscribed to it (`instance.disconnected` on `close`, `instance.connected`
   * on `open`) — so no change is recorded without its announcement, and none announced twice.
   */
  async updateConnectionState(id: string, state: ConnectionState, reason: string): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      // The locked read gives the state being replaced; a concurrent change is waited for and the
      // condition checked again on its result. Nothing is locked when the state is unchanged (every
      // poll), and NO KEY UPDATE leaves messages free to reference the instance meanwhile.
      `WITH previous AS (
         SELECT id, connection_state FROM instances
          WHERE id = $1 AND ${LIVE} AND connection_state IS DISTINCT FROM $2::text
          FOR NO KEY UPDATE
       ),
       changed AS (
         UPDATE instances instance
            SET connection_state = $2::text, connection_state_at = now(), updated_at = now()
           FROM previous
          WHERE instance.id = previous.id AND previous.connection_state IS DISTINCT FROM $2::text
          RETURNING instance.id, instance.account_id, instance.name, instance.evolution_instance_name,
                    instance.connection_state AS state, previous.connection_state AS previous_state,
                    instance.connection_state_at AS at
       ),
       logged AS (
         INSERT INTO instance_connection_events (instance_id, state, previous_state, reason, created_at)
         SELECT id, state, previous_state, $3::text, at FROM changed
       ),
       ended_pairing AS (
         DELETE FROM instance_qr_codes qr USING changed
          WHERE qr.instance_id = changed.id AND changed.state <> 'connecting'
       ),
       ${announceConnectionChange('$4', '$3')}
       SELECT id FROM changed`,
      [id, state, reason, webhookEventForConnectionState(state) ?? null],
    );
    return rows.length > 0;
  }

  /** The instance's connection changes, newest first. */
  async connectionTimeline(id: string, limit: number): Promise<ConnectionEvent[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT state, previous_state, reason, created_at FROM instance_connection_events
        WHERE instance_id = $1 ORDER BY id DESC LIMIT $2`,
      [id, limit],
    );
    return rows.map(toConnectionEvent);
  }

  /**
   * Keeps the QR code Evolution shows now, unless the instance is open (a QR posted just before the
   * scan may arrive after it). The same code again changes nothing; without a `count` (webhooks carry
   * none) a new code counts one more. Returns the QR kept, or null when it was not.
   */
  async saveQrCode(
    id: string,
    qr: { readonly code: string; readonly image: string; readonly pairingCode: string | null },
    count?: number,
  ): Promise<InstanceQrCode | null> {
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO instance_qr_codes AS kept (instance_id, code, image, pairing_code, count)
       SELECT id, $2, $3, $4, coalesce($5::integer, 1) FROM instances
        WHERE id = $1 AND ${LIVE} AND connection_state <> 'open'
       ON CONFLICT (instance_id) DO UPDATE SET
         code = excluded.code, image = excluded.image,
         pairing_code = coalesce(excluded.pairing_code, CASE WHEN kept.code = excluded.code THEN kept.pairing_code END),
         count = CASE WHEN kept.code = excluded.code THEN greatest(kept.count, coalesce($5::integer, 0))
                      ELSE coalesce($5::integer, kept.count + 1) END,
         updated_at = CASE WHEN kept.code = excluded.code THEN kept.updated_at ELSE now() END
       RETURNING *`,
      [id, qr.code, qr.image, qr.pairingCode, count ?? null],
    );
    return rows[0] ? toInstanceQrCode(rows[0]) : null;
  }

  /** The QR code of the pairing in progress, if any. */
  async latestQrCode(id: string): Promise<InstanceQrCode | null> {
    const rows = await queryRows(this.dataSource, `SELECT * FROM instance_qr_codes WHERE instance_id = $1`, [
      id,
    ]);
    return rows[0] ? toInstanceQrCode(rows[0]) : null;
  }

  /** Every live instance's connection state by id (read on each metrics scrape, so only two columns). */
  async connectionStates(): Promise<Record<string, ConnectionState>> {
    const rows = await queryRows(this.dataSource, `SELECT id, connection_state FROM instances WHERE ${LIVE}`);
    return Object.fromEntries(
      rows.map((row) => {
        const state = row.connection_state;
        return [String(row.id), isConnectionState(state) ? state : 'unknown'];
      }),
    );
  }

  /**
   * The account that holds an Evolution instance name: the live instance's, else the most recently
   * deleted one's (a deleted name is released only to that account or to the operator).
   */
  async findEvolutionNameHolder(
    evolutionInstanceName: string,
  ): Promise<{ readonly accountId: string; readonly live: boolean } | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT account_id, deleted_at IS NULL AS live FROM instances WHERE evolution_instance_name = $1
       ORDER BY deleted_at IS NULL DESC, deleted_at DESC LIMIT 1`,
      [evolutionInstanceName],
    );
    const row = rows[0];
    return row ? { accountId: String(row.account_id), live: row.live === true } : null;
  }

  /** The instance's id for an Evolution instance name, for webhooks that only name it. */
  async findByEvolutionName(evolutionInstanceName: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE evolution_instance_name = $1 AND ${LIVE}`,
      [evolutionInstanceName],
    );
    return rows[0] ? this.toInstance(rows[0]) : null;
  }
}
