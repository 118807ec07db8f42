import type { Account, UnconfirmedSendPolicy } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import { toAccount } from './row-mappers';

export class AccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(name: string): Promise<Account> {
    const rows = await queryRows(this.dataSource, 'INSERT INTO accounts (name) VALUES ($1) RETURNING *', [
      name,
    ]);
    return toAccount(rows[0]!);
  }

  async findById(id: string): Promise<Account | null> {
    const rows = await queryRows(this.dataSource, 'SELECT * FROM accounts WHERE id = $1', [id]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  /** Sets what happens to the account's sends WhatsApp never confirmed. */
  async setUnconfirmedSendPolicy(id: string, policy: UnconfirmedSendPolicy): Promise<Account | null> {
    const rows = await queryRows(
      this.dataSource,
      'UPDATE accounts SET unconfirmed_send_policy = $2 WHERE id = $1 RETURNING *',
      [id, policy],
    );
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async count(): Promise<number> {
    const rows = await queryRows(this.dataSource, 'SELECT count(*)::int AS count FROM accounts');
    return Number(rows[0]?.count ?? 0);
  }
}
