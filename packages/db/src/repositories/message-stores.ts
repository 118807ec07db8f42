import type { DataSource } from 'typeorm';
import { BatchQueryRepository } from './batch-query.repository';
import { InstanceQueueRepository } from './instance-queue.repository';
import { MessageAcceptanceRepository } from './message-acceptance.repository';
import { MessageMaintenanceRepository } from './message-maintenance.repository';
import { MessageQueryRepository } from './message-query.repository';
import { MessageStatusRepository } from './message-status.repository';

/**
 * Messages in Postgres, by responsibility: what comes in, how status changes, reading, upkeep, and
 * the per-instance views support reads (the queue, recent batches).
 */
export interface MessageStores {
  readonly acceptance: MessageAcceptanceRepository;
  readonly statuses: MessageStatusRepository;
  readonly queries: MessageQueryRepository;
  readonly maintenance: MessageMaintenanceRepository;
  readonly queue: InstanceQueueRepository;
  readonly batches: BatchQueryRepository;
}

export function createMessageStores(dataSource: DataSource): MessageStores {
  return {
    acceptance: new MessageAcceptanceRepository(dataSource),
    statuses: new MessageStatusRepository(dataSource),
    queries: new MessageQueryRepository(dataSource),
    maintenance: new MessageMaintenanceRepository(dataSource),
    queue: new InstanceQueueRepository(dataSource),
    batches: new BatchQueryRepository(dataSource),
  };
}
