import type { ConnectionState, Instance, InstanceQrCode, Message, ReceiptStatus } from '@telenexus/core';
import type { NewIncomingMessage } from '@telenexus/db';
import type {
  EvolutionConnectionChange,
  EvolutionEvent,
  EvolutionIncomingMessage,
  EvolutionQrCodeShown,
  EvolutionReceipt,
  EvolutionSentMessage,
} from '@telenexus/evolution';
import type { Logger } from '@telenexus/logger';
import { noEvents, type EventCounter } from '@telenexus/observability';

export interface ReceiptStore {
  applyReceipt(
    instanceId: string,
    providerMessageId: string,
    receipt: ReceiptStatus,
    evolutionStatus: string,
  ): Promise<Message | null>;
  isSendRecorded(instanceId: string, providerMessageId: string): Promise<boolean>;
  addPendingReceipt(instanceId: string, providerMessageId: string, receipt: ReceiptStatus): Promise<void>;
  applyPendingReceipts(instanceId: string, providerMessageId: string): Promise<number>;
  confirmSendByContent(
    instanceId: string,
    phoneNumber: string,
    body: string,
    providerMessageId: string,
  ): Promise<Message | null>;
}

export interface ReplyStore {
  insertIncoming(message: NewIncomingMessage): Promise<Message | null>;
}

/** Where Evolution's events land: status changes and receipts, and customers' replies. */
export interface EvolutionEventStores {
  readonly statuses: ReceiptStore;
  readonly acceptance: ReplyStore;
}

export interface ConnectionStateStore {
  updateConnectionState(id: string, state: ConnectionState, reason: string): Promise<boolean>;
  saveQrCode(
    id: string,
    qr: { readonly code: string; readonly image: string; readonly pairingCode: string | null },
  ): Promise<InstanceQrCode | null>;
}

/** What a webhook call did, for the answer and the log. */
export interface EventOutcome {
  readonly event: string;
  readonly result: 'applied' | 'duplicate' | 'held' | 'ignored';
}

/**
 * Acts on one Evolution webhook for an authenticated instance:
 * - `messages.update`: a receipt moves its message forward only; duplicates and late receipts change
 *   nothing; a receipt for a send not recorded yet is held and applied once it is;
 * - `send.message`: confirms a send whose answer we never got (`unknown`);
 * - `connection.update`: records the WhatsApp connection state ingress checks before accepting, with
 *   Baileys' reason (`refused`, after the QR code limit, is a close);
 * - `qrcode.updated`: keeps the latest QR code of a pairing for the QR Code tab;
 * - `messages.upsert`: stores a customer's message as incoming.
 * Anything else is acknowledged and ignored, so Evolution does not retry it.
 */
export class HandleEvolutionEvent {
  constructor(
    private readonly messages: EvolutionEventStores,
    private readonly instances: ConnectionStateStore,
    private readonly logger: Logger,
    private readonly counted: EventCounter<'event' | 'result'> = noEvents(),
  ) {}

  async execute(instance: Instance, event: EvolutionEvent): Promise<EventOutcome[]> {
    const outcomes = await this.handle(instance, event);
    for (const outcome of outcomes) this.counted.record(outcome);
    return outcomes;
  }

  private async handle(instance: Instance, event: EvolutionEvent): Promise<EventOutcome[]> {
    switch (event.name) {
      case 'messages.update': {
        const outcomes: EventOutcome[] = [];
        for (const receipt of event.receipts) outcomes.push(await this.receipt(instance, receipt));
        return outcomes;
      }
      case 'send.message':
        return [await this.sendConfirmation(instance, event.sent)];
      case 'connection.update':
        return [await this.connection(instance, event.connection)];
      case 'qrcode.updated':
        return [await this.qrCode(instance, event.qrCode)];
      case 'messages.upsert': {
        const outcomes: EventOutcome[] = [];
        for (const message of event.messages) outcomes.push(await this.incoming(instance, message));
        return outcomes;
      }
      case 'other':
        return [{ event: event.event, result: 'ignored' }];
    }
  }

  private async receipt(instance: Instance, update: EvolutionReceipt | null): Promise<EventOutcome> {
    const event = 'messages.update';
    if (!update) return { event, result: 'ignored' };
    const { keyId, receipt, evolutionStatus } = update;
    const statuses = this.messages.statuses;
    if (await statuses.applyReceipt(instance.id, keyId, receipt, evolutionStatus))
      return { event, result: 'applied' };
    if (await statuses.isSendRecorded(instance.id, keyId)) {
      // The send may have been recorded just after the first try found no row: try once more, and
      // only what still changes nothing is a duplicate.
      return (await statuses.applyReceipt(instance.id, keyId, receipt, evolutionStatus))
        ? { event, result: 'applied' }
        : { event, result: 'duplicate' };
    }
    await statuses.addPendingReceipt(instance.id, keyId, receipt);
    // The send may have been recorded between our check and the hold; if so, apply what we hold now.
    if (await statuses.isSendRecorded(instance.id, keyId))
      await statuses.applyPendingReceipts(instance.id, keyId);
    return { event, result: 'held' };
  }

  private async sendConfirmation(
    instance: Instance,
    sent: EvolutionSentMessage | null,
  ): Promise<EventOutcome> {
    const event = 'send.message';
    if (!sent) return { event, result: 'ignored' };
    const statuses = this.messages.statuses;
    const confirmed = await statuses.confirmSendByContent(
      instance.id,
      sent.phoneNumber,
      sent.text,
      sent.keyId,
    );
    if (!confirmed) return { event, result: 'duplicate' };
    await statuses.applyPendingReceipts(instance.id, sent.keyId);
    this.logger.info('ambiguous send confirmed by Evolution', { messageId: confirmed.id });
    return { event, result: 'applied' };
  }

  private async connection(
    instance: Instance,
    change: EvolutionConnectionChange | null,
  ): Promise<EventOutcome> {
    const event = 'connection.update';
    if (!change) return { event, result: 'ignored' };
    const { state, reason } = change;
    const changed = await this.instances.updateConnectionState(instance.id, state, reason);
    if (changed) {
      this.logger.info('instance connection state changed', { instanceId: instance.id, state, reason });
    }
    return { event, result: changed ? 'applied' : 'duplicate' };
  }

  private async qrCode(instance: Instance, qrCode: EvolutionQrCodeShown | null): Promise<EventOutcome> {
    const event = 'qrcode.updated';
    if (!qrCode) return { event, result: 'ignored' };
    const kept = await this.instances.saveQrCode(instance.id, qrCode);
    return { event, result: kept ? 'applied' : 'ignored' };
  }

  private async incoming(
    instance: Instance,
    message: EvolutionIncomingMessage | null,
  ): Promise<EventOutcome> {
    const event = 'messages.upsert';
    if (!message) return { event, result: 'ignored' };
    const stored = await this.messages.acceptance.insertIncoming({
      accountId: instance.accountId,
      instanceId: instance.id,
      phoneNumber: message.phoneNumber,
      senderName: message.senderName,
      text: message.text,
      providerMessageId: message.keyId,
    });
    return { event, result: stored ? 'applied' : 'duplicate' };
  }
}
