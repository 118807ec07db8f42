import type { BatchSummary as BatchSummaryView } from '@telenexus/api-contract';
import type { BatchSummary } from '@telenexus/db';

/** A batch as `GET /billing/batches/:id` and an instance's batch list show it. */
export function toBatchView(batch: BatchSummary): BatchSummaryView {
  return {
    id: batch.id,
    instance_id: batch.instanceId,
    item_count: batch.itemCount,
    accepted: batch.accepted,
    rejected: batch.rejected,
    by_status: batch.byStatus,
    created_at: batch.createdAt.toISOString(),
  };
}
