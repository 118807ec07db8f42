import {
  amountToDecimalString,
  DomainError,
  normalizePhoneNumber,
  validationError,
  type Instance,
  type Message,
  type Principal,
} from '@telenexus/core';
import type { NewOutgoingMessage } from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import type { NotificationBody } from './notification-body.schema';

export interface InstanceFinder {
  findForAccount(accountId: string, id: string): Promise<Instance | null>;
}

export interface OutgoingMessageStore {
  insertOutgoing(message: NewOutgoingMessage): Promise<Message>;
}

export interface SendJobEnqueuer {
  enqueueSend(messageId: string): Promise<void>;
}

/** The guide's success answer. */
export interface SendNotificationResult {
  readonly success: true;
  readonly message_id: string;
  readonly invoice_id: string;
}

export const INSTANCE_NOT_FOUND = 'Instance not found';
export const INSTANCE_NOT_CONNECTED = 'Instance is not connected';

/**
 * Accepts one billing notification: checks the instance is the caller's and connected, normalises
 * the phone number for that instance's country, commits the message, then enqueues it.
 *
 * The order is the promise "200 means durable": the answer is given only after the commit; if Redis
 * cannot take the job, the message still waits in Postgres and the dispatcher's sweeper enqueues it.
 */
export class SendNotification {
  constructor(
    private readonly instances: InstanceFinder,
    private readonly messages: OutgoingMessageStore,
    private readonly queue: SendJobEnqueuer,
    private readonly logger: Logger,
  ) {}

  async execute(
    principal: Principal,
    instanceId: string,
    body: NotificationBody,
  ): Promise<SendNotificationResult> {
    const instance = await this.instances.findForAccount(principal.accountId, instanceId);
    if (!instance) throw new DomainError('not_found', INSTANCE_NOT_FOUND);
    if (instance.connectionState === 'close')
      throw new DomainError('instance_not_connected', INSTANCE_NOT_CONNECTED);

    const phone = normalizePhoneNumber(body.phone_number, instance.country ?? undefined);
    if (!phone.ok) throw validationError([{ field: 'phone_number', message: phone.problem }]);

    const message = await this.messages.insertOutgoing({
      accountId: principal.accountId,
      instanceId: instance.id,
      phoneNumber: phone.digits,
      customerName: body.customer_name,
      amount: amountToDecimalString(body.amount),
      currency: body.currency,
      invoiceId: body.invoice_id,
      dueDate: body.due_date,
      messageType: body.message_type,
    });

    try {
      await this.queue.enqueueSend(message.id);
    } catch (error) {
      this.logger.warn('message committed but not enqueued; the sweeper will enqueue it', {
        messageId: message.id,
        error,
      });
    }
    return { success: true, message_id: message.id, invoice_id: body.invoice_id };
  }
}
