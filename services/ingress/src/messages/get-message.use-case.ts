import { DomainError, type Message, type MessageEvent, type Principal, isUuid } from '@telenexus/core';
import { visibleDirections } from './message-visibility';

export interface MessageReader {
  findForAccount(accountId: string, id: string): Promise<Message | null>;
  listEvents(messageId: string): Promise<MessageEvent[]>;
}

/**
 * One message of the caller's account with its timeline; any other id — or a message in a direction
 * the key may not read — is simply not found.
 */
export class GetMessage {
  constructor(private readonly messages: MessageReader) {}

  async execute(
    principal: Principal,
    messageId: string,
  ): Promise<{ message: Message; events: MessageEvent[] }> {
    const message = isUuid(messageId)
      ? await this.messages.findForAccount(principal.accountId, messageId)
      : null;
    if (!message || !visibleDirections(principal).includes(message.direction)) {
      throw new DomainError('not_found', 'Message not found');
    }
    return { message, events: await this.messages.listEvents(message.id) };
  }
}
