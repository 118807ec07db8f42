import { isConnectionState, type ConnectionState, type Instance } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import { toInstance } from './row-mappers';

/** Fields an account may change on its instance; absent fields stay as they are. */
export interface InstancePatch {
  readonly name?: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string;
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
  pacingMinGapMs: 'pacing_min_gap_ms',
  pacingJitterMs: 'pacing_jitter_ms',
  dailyCap: 'daily_cap',
  quietHoursStart: 'quiet_hours_start',
  quietHoursEnd: 'quiet_hours_end',
};

/** Instances still in use; deleted ones keep their rows (and messages) but are gone for every caller. */
const LIVE = 'deleted_at IS NULL';

export class InstanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the instance; settings left out take the column defaults (documented pacing). */
  async create(instance: NewInstance): Promise<Instance> {
    const columns = ['account_id', 'evolution_instance_name'];
    const values: unknown[] = [instance.accountId, instance.evolutionInstanceName];
    for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof InstancePatch, string][]) {
      if (instance[field] === undefined) continue;
      columns.push(column);
      values.push(instance[field]);
    }
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO instances (${columns.join(', ')})
       VALUES (${values.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING *`,
      values,
    );
    return toInstance(rows[0]!);
  }

  /** The instance only if it belongs to the account, so other accounts' ids look like missing ones. */
  async findForAccount(accountId: string, id: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE id = $1 AND account_id = $2 AND ${LIVE}`,
      [id, accountId],
    );
    return rows[0] ? toInstance(rows[0]) : null;
  }

  async findById(id: string): Promise<Instance | null> {
    const rows = await queryRows(this.dataSource, `SELECT * FROM instances WHERE id = $1 AND ${LIVE}`, [id]);
    return rows[0] ? toInstance(rows[0]) : null;
  }

  async listForAccount(accountId: string): Promise<Instance[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE account_id = $1 AND ${LIVE} ORDER BY created_at, id`,
      [accountId],
    );
    return rows.map(toInstance);
  }

  async listAll(): Promise<Instance[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE ${LIVE} ORDER BY created_at`,
    );
    return rows.map(toInstance);
  }

  async update(accountId: string, id: string, patch: InstancePatch): Promise<Instance | null> {
    const assignments: string[] = [];
    const parameters: unknown[] = [id, accountId];
    for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof InstancePatch, string][]) {
      if (patch[field] === undefined) continue;
      parameters.push(patch[field]);
      assignments.push(`${column} = $${parameters.length}`);
    }
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET ${[...assignments, 'updated_at = now()'].join(', ')}
       WHERE id = $1 AND account_id = $2 AND ${LIVE} RETURNING *`,
      parameters,
    );
    return rows[0] ? toInstance(rows[0]) : null;
  }

  /** Deletes the instance for every caller while keeping its message history. */
  async softDelete(accountId: string, id: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET deleted_at = now(), updated_at = now()
       WHERE id = $1 AND account_id = $2 AND ${LIVE} RETURNING *`,
      [id, accountId],
    );
    return rows[0] ? toInstance(rows[0]) : null;
  }

  /**
   * Stores credentials for Evolution's webhook (the URL path token and the JWT key) unless the
   * instance has them already, and returns the instance with the credentials in force.
   */
  async ensureWebhookCredentials(id: string, token: string, jwtKey: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET webhook_token = coalesce(webhook_token, $2), webhook_jwt_key = coalesce(webhook_jwt_key, $3),
         updated_at = now()
       WHERE id = $1 AND ${LIVE} RETURNING *`,
      [id, token, jwtKey],
    );
    return rows[0] ? toInstance(rows[0]) : null;
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
    return rows[0] ? toInstance(rows[0]) : null;
  }

  /** Records what Evolution said of the WhatsApp connection; returns true when the state changed. */
  async updateConnectionState(id: string, state: ConnectionState): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE instances SET connection_state = $2, connection_state_at = now(), updated_at = now()
       WHERE id = $1 AND connection_state IS DISTINCT FROM $2 RETURNING id`,
      [id, state],
    );
    return rows.length > 0;
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

  /** The instance's id for an Evolution instance name, for webhooks that only name it. */
  async findByEvolutionName(evolutionInstanceName: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM instances WHERE evolution_instance_name = $1 AND ${LIVE}`,
      [evolutionInstanceName],
    );
    return rows[0] ? toInstance(rows[0]) : null;
  }
}
