import { DomainError, isUuid, validationError, type Instance, type Principal } from '@telenexus/core';
import type { BatchPageQuery, BatchSummary, PageCursor } from '@telenexus/db';
import { decodePageCursor, encodePageCursor } from '../http/page-cursor';

export interface BatchListStore {
  listForInstance(query: BatchPageQuery): Promise<{ batches: BatchSummary[]; next: PageCursor | null }>;
}

export interface InstanceLookup {
  findForAccount(accountId: string, id: string): Promise<Instance | null>;
}

export interface BatchPage {
  readonly batches: BatchSummary[];
  readonly nextCursor: string | null;
}

/** One page of an instance's batches, newest first; another account's instance is not found. */
export class ListInstanceBatches {
  constructor(
    private readonly instances: InstanceLookup,
    private readonly batches: BatchListStore,
  ) {}

  async execute(
    principal: Principal,
    instanceId: string,
    page: { readonly cursor?: string; readonly limit: number },
  ): Promise<BatchPage> {
    const instance = isUuid(instanceId)
      ? await this.instances.findForAccount(principal.accountId, instanceId)
      : null;
    if (!instance) throw new DomainError('not_found', 'Instance not found');
    const after = page.cursor === undefined ? undefined : decodePageCursor(page.cursor);
    if (page.cursor !== undefined && !after) {
      throw validationError([{ field: 'cursor', message: 'is not a cursor from an earlier page' }]);
    }
    const { batches, next } = await this.batches.listForInstance({
      accountId: principal.accountId,
      instanceId: instance.id,
      ...(after ? { after } : {}),
      limit: page.limit,
    });
    return { batches, nextCursor: next ? encodePageCursor(next) : null };
  }
}
