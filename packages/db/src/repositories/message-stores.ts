import type { DataSource } from 'typeorm';
import { MessageAcceptanceRepository } from './message-acceptance.repository';
import { MessageMaintenanceRepository } from './message-maintenance.repository';
import { MessageQueryRepository } from './message-query.repository';
import { MessageStatusRepository } from './message-status.repository';

/** Messages in Postgres, by responsibility: what comes in, how status changes, reading, upkeep. */
export interface MessageStores {
  readonly acceptance: MessageAcceptanceRepository;
  readonly statuses: MessageStatusRepository;
  readonly queries: MessageQueryRepository;
  readonly maintenance: MessageMaintenanceRepository;
}

export function createMessageStores(dataSource: DataSource): MessageStores {
  return {
    acceptance: new MessageAcceptanceRepository(dataSource),
    statuses: new MessageStatusRepository(dataSource),
    queries: new MessageQueryRepository(dataSource),
    maintenance: new MessageMaintenanceRepository(dataSource),
  };
}
