import {
  DomainError,
  CANCELABLE_STATUSES,
  type Message,
  type MessageEvent,
  type Principal,
} from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import type { InstanceFinder } from '../notifications/sendable-instance';
import { withdrawSends, type SendWithdrawer, type SlotGiver } from '../notifications/withdrawn-sends';
import type { GetMessage } from './get-message.use-case';

export interface MessageCanceler {
  cancel(id: string, reason: string): Promise<Message | null>;
}

export interface CancelMessageDeps {
  readonly messages: GetMessage;
  readonly statuses: MessageCanceler;
  readonly instances: InstanceFinder;
  readonly queue: SendWithdrawer;
  readonly pacer: SlotGiver;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Takes back a message of the caller's account that has not been sent: it becomes `canceled` (its
 * timeline names the key that did it, and `message.canceled` is announced), its job is withdrawn
 * and the pacing slot it held is given back. A message that is being sent, or was, cannot be taken
 * back: 409 naming its status. A message the key cannot read is not found.
 */
export class CancelMessage {
  constructor(private readonly deps: CancelMessageDeps) {}

  async execute(
    principal: Principal,
    messageId: string,
  ): Promise<{ message: Message; events: MessageEvent[] }> {
    const { message } = await this.deps.messages.execute(principal, messageId);
    if (message.direction !== 'outgoing')
      throw new DomainError('conflict', 'Only a message we send can be canceled; this one was received');
    const canceled = await this.deps.statuses.cancel(
      message.id,
      `Canceled through the API by the key "${principal.apiKeyName}"`,
    );
    if (!canceled) {
      const { message: now } = await this.deps.messages.execute(principal, messageId);
      throw new DomainError(
        'conflict',
        `The message is ${now.status}: only a ${CANCELABLE_STATUSES.join(' or ')} message can be canceled`,
      );
    }
    const instance = await this.deps.instances.findForAccount(principal.accountId, canceled.instanceId);
    if (instance) await withdrawSends(this.deps, instance, [canceled.id], (this.deps.now ?? Date.now)());
    return this.deps.messages.execute(principal, messageId);
  }
}
