import {
  connectionUpdateReason,
  isConnectionState,
  receiptFromEvolutionStatus,
  type ConnectionState,
  type Instance,
  type InstanceQrCode,
  type Message,
  type ReceiptStatus,
} from '@telenexus/core';
import type { NewIncomingMessage } from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import { noEvents, type EventCounter } from '@telenexus/observability';
import {
  asList,
  booleanAt,
  messageText,
  normalizeEventName,
  objectAt,
  phoneFromJid,
  stringAt,
} from './evolution-event-fields';

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

  async execute(instance: Instance, envelope: unknown): Promise<EventOutcome[]> {
    const outcomes = await this.handle(instance, envelope);
    for (const outcome of outcomes) this.counted.record(outcome);
    return outcomes;
  }

  private async handle(instance: Instance, envelope: unknown): Promise<EventOutcome[]> {
    const event = normalizeEventName(stringAt(envelope, 'event') ?? '');
    const data = (envelope as { data?: unknown }).data;
    switch (event) {
      case 'messages.update': {
        const outcomes: EventOutcome[] = [];
        for (const update of asList(data)) outcomes.push(await this.receipt(instance, update));
        return outcomes;
      }
      case 'send.message':
        return [await this.sendConfirmation(instance, data)];
      case 'connection.update':
        return [await this.connection(instance, data)];
      case 'qrcode.updated':
        return [await this.qrCode(instance, data)];
      case 'messages.upsert': {
        const outcomes: EventOutcome[] = [];
        for (const message of asList(data)) outcomes.push(await this.incoming(instance, message));
        return outcomes;
      }
      default:
        return [{ event: event || 'unnamed', result: 'ignored' }];
    }
  }

  private async receipt(instance: Instance, update: unknown): Promise<EventOutcome> {
    const event = 'messages.update';
    const keyId = stringAt(update, 'keyId') ?? stringAt(update, 'key', 'id') ?? stringAt(update, 'id');
    const evolutionStatus = stringAt(update, 'status') ?? '';
    const receipt = receiptFromEvolutionStatus(evolutionStatus);
    if (!keyId || !receipt || booleanAt(update, 'fromMe') === false) return { event, result: 'ignored' };

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

  private async sendConfirmation(instance: Instance, data: unknown): Promise<EventOutcome> {
    const event = 'send.message';
    const keyId = stringAt(data, 'key', 'id');
    const phone = phoneFromJid(stringAt(data, 'key', 'remoteJid'));
    const text = messageText(objectAt(data, 'message'));
    if (!keyId || !phone || text === undefined) return { event, result: 'ignored' };
    const confirmed = await this.messages.statuses.confirmSendByContent(instance.id, phone, text, keyId);
    if (!confirmed) return { event, result: 'duplicate' };
    await this.messages.statuses.applyPendingReceipts(instance.id, keyId);
    this.logger.info('ambiguous send confirmed by Evolution', { messageId: confirmed.id });
    return { event, result: 'applied' };
  }

  private async connection(instance: Instance, data: unknown): Promise<EventOutcome> {
    const event = 'connection.update';
    const reported = stringAt(data, 'state');
    // After the QR code limit Evolution reports `refused` and ends the session: the number is closed.
    const state = reported === 'refused' ? 'close' : reported;
    if (!isConnectionState(state) || state === 'unknown') return { event, result: 'ignored' };
    const reason = connectionUpdateReason(reported ?? state, objectAt(data)?.statusReason);
    const changed = await this.instances.updateConnectionState(instance.id, state, reason);
    if (changed) {
      this.logger.info('instance connection state changed', { instanceId: instance.id, state, reason });
    }
    return { event, result: changed ? 'applied' : 'duplicate' };
  }

  private async qrCode(instance: Instance, data: unknown): Promise<EventOutcome> {
    const event = 'qrcode.updated';
    // The last one of a pairing says the limit was reached and carries no QR code; `connection.update` follows.
    const code = stringAt(data, 'qrcode', 'code');
    const image = stringAt(data, 'qrcode', 'base64');
    if (!code || !image?.startsWith('data:image/png;base64,')) return { event, result: 'ignored' };
    const kept = await this.instances.saveQrCode(instance.id, {
      code,
      image,
      pairingCode: stringAt(data, 'qrcode', 'pairingCode') ?? null,
    });
    return { event, result: kept ? 'applied' : 'ignored' };
  }

  private async incoming(instance: Instance, message: unknown): Promise<EventOutcome> {
    const event = 'messages.upsert';
    const keyId = stringAt(message, 'key', 'id');
    const fromMe = booleanAt(message, 'key', 'fromMe');
    // A privacy id (@lid) hides the number; Evolution then gives it beside the key when it knows it.
    const phone =
      phoneFromJid(stringAt(message, 'key', 'remoteJid')) ??
      phoneFromJid(stringAt(message, 'key', 'remoteJidAlt')) ??
      phoneFromJid(stringAt(message, 'key', 'senderPn'));
    if (!keyId || fromMe !== false || !phone) return { event, result: 'ignored' };
    const stored = await this.messages.acceptance.insertIncoming({
      accountId: instance.accountId,
      instanceId: instance.id,
      phoneNumber: phone,
      senderName: stringAt(message, 'pushName') ?? null,
      text: messageText(objectAt(message, 'message')) ?? null,
      providerMessageId: keyId,
    });
    return { event, result: stored ? 'applied' : 'duplicate' };
  }
}
