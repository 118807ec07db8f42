import type { ConnectionState, Instance } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import { toInstance } from './row-mappers';

export interface NewInstance {
  readonly accountId: string;
  readonly name: string;
  readonly evolutionInstanceName: string;
  readonly evolutionToken?: string | null;
  readonly country?: string | null;
  readonly timezone?: string;
}

export class InstanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(instance: NewInstance): Promise<Instance> {
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO instances (account_id, name, evolution_instance_name, evolution_token, country, timezone)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        instance.accountId,
        instance.name,
        instance.evolutionInstanceName,
        instance.evolutionToken ?? null,
        instance.country ?? null,
        instance.timezone ?? 'UTC',
      ],
    );
    return toInstance(rows[0]!);
  }

  /** The instance only if it belongs to the account, so other accounts' ids look like missing ones. */
  async findForAccount(accountId: string, id: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM instances WHERE id = $1 AND account_id = $2',
      [id, accountId],
    );
    return rows[0] ? toInstance(rows[0]) : null;
  }

  async findById(id: string): Promise<Instance | null> {
    const rows = await queryRows(this.dataSource, 'SELECT * FROM instances WHERE id = $1', [id]);
    return rows[0] ? toInstance(rows[0]) : null;
  }

  async findByEvolutionName(evolutionInstanceName: string): Promise<Instance | null> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM instances WHERE evolution_instance_name = $1',
      [evolutionInstanceName],
    );
    return rows[0] ? toInstance(rows[0]) : null;
  }

  async listAll(): Promise<Instance[]> {
    const rows = await queryRows(this.dataSource, 'SELECT * FROM instances ORDER BY created_at');
    return rows.map(toInstance);
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
}
