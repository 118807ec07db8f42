import {
  DomainError,
  normalizePhoneNumber,
  validationError,
  type Direction,
  type Instance,
  type Message,
  type MessageStatus,
  type MessageType,
  type Principal,
  isUuid,
  type FailureReasonCode,
} from '@telenexus/core';
import type { MessageCursor, MessageFilter } from '@telenexus/db';
import { decodePageCursor, encodePageCursor } from '../http/page-cursor';
import { visibleDirections } from './message-visibility';

export interface MessageListStore {
  list(filter: MessageFilter): Promise<{ messages: Message[]; next: MessageCursor | null }>;
}

export interface InstanceLookup {
  findForAccount(accountId: string, id: string): Promise<Instance | null>;
}

/** The Messages tab's filters as the route validated them. */
export interface MessageListQuery {
  readonly direction?: Direction;
  readonly status?: MessageStatus;
  readonly messageType?: MessageType;
  readonly reasonCode?: FailureReasonCode;
  readonly invoiceId?: string;
  readonly phoneNumber?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly cursor?: string;
  readonly limit: number;
}

export interface MessagePage {
  readonly messages: Message[];
  readonly nextCursor: string | null;
}

/** One page of an instance's messages, newest first, limited to the directions the key may see. */
export class ListMessages {
  constructor(
    private readonly instances: InstanceLookup,
    private readonly messages: MessageListStore,
  ) {}

  async execute(principal: Principal, instanceId: string, query: MessageListQuery): Promise<MessagePage> {
    const instance = isUuid(instanceId)
      ? await this.instances.findForAccount(principal.accountId, instanceId)
      : null;
    if (!instance) throw new DomainError('not_found', 'Instance not found');
    const visible = visibleDirections(principal);
    if (query.direction && !visible.includes(query.direction)) {
      const needed = query.direction === 'incoming' ? 'receive_message' : 'send_message';
      throw new DomainError('forbidden', `This API key does not have the ${needed} permission`);
    }
    const after = query.cursor === undefined ? undefined : decodePageCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw validationError([{ field: 'cursor', message: 'is not a cursor from an earlier page' }]);
    }
    const { messages, next } = await this.messages.list({
      accountId: principal.accountId,
      instanceId: instance.id,
      visibleDirections: visible,
      direction: query.direction,
      status: query.status,
      messageType: query.messageType,
      reasonCode: query.reasonCode,
      invoiceId: query.invoiceId,
      phoneNumber:
        query.phoneNumber === undefined ? undefined : searchableNumber(query.phoneNumber, instance),
      from: query.from,
      to: query.to,
      after,
      limit: query.limit,
    });
    return { messages, nextCursor: next ? encodePageCursor(next) : null };
  }
}

/** Finds a number the way it was stored: normalised when it can be, digits otherwise. */
function searchableNumber(raw: string, instance: Instance): string {
  const normalized = normalizePhoneNumber(raw, instance.country ?? undefined);
  return normalized.ok ? normalized.digits : raw.replace(/\D/g, '');
}
