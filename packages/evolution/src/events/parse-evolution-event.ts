import { isConnectionState } from '@telenexus/core';
import { connectionUpdateReason } from './connection-reason';
import { asList, booleanAt, messageText, normalizeEventName, objectAt, stringAt } from './event-fields';
import type {
  EvolutionConnectionChange,
  EvolutionEvent,
  EvolutionIncomingMessage,
  EvolutionQrCodeShown,
  EvolutionReceipt,
  EvolutionSentMessage,
} from './evolution-event';
import { receiptFromEvolutionStatus } from './receipt-status';
import { phoneFromJid } from './whatsapp-jid';

/**
 * Reads one Evolution webhook body. Undefined when it is not one (not an object, or no `event`);
 * otherwise the event with each item it carries, `null` where an item says nothing we act on.
 * Evolution's shapes vary between versions and events, so every field is read defensively.
 */
export function parseEvolutionEvent(envelope: unknown): EvolutionEvent | undefined {
  const rawName = stringAt(envelope, 'event');
  if (rawName === undefined) return undefined;
  const instance = stringAt(envelope, 'instance');
  const data = (envelope as { data?: unknown }).data;
  const name = normalizeEventName(rawName);
  switch (name) {
    case 'messages.update':
      return { instance, name, receipts: asList(data).map(readReceipt) };
    case 'send.message':
      return { instance, name, sent: readSentMessage(data) };
    case 'connection.update':
      return { instance, name, connection: readConnectionChange(data) };
    case 'qrcode.updated':
      return { instance, name, qrCode: readQrCode(data) };
    case 'messages.upsert':
      return { instance, name, messages: asList(data).map(readIncomingMessage) };
    default:
      return { instance, name: 'other', event: name || 'unnamed' };
  }
}

function readReceipt(update: unknown): EvolutionReceipt | null {
  // Evolution 2.3 names the message `keyId`; older versions nest it under `key`.
  const keyId = stringAt(update, 'keyId') ?? stringAt(update, 'key', 'id') ?? stringAt(update, 'id');
  const evolutionStatus = stringAt(update, 'status') ?? '';
  const receipt = receiptFromEvolutionStatus(evolutionStatus);
  // A receipt for a message someone else sent us is not about our sends.
  if (!keyId || !receipt || booleanAt(update, 'fromMe') === false) return null;
  return { keyId, receipt, evolutionStatus };
}

function readSentMessage(data: unknown): EvolutionSentMessage | null {
  const keyId = stringAt(data, 'key', 'id');
  const phoneNumber = phoneFromJid(stringAt(data, 'key', 'remoteJid'));
  const text = messageText(objectAt(data, 'message'));
  return keyId && phoneNumber && text !== undefined ? { keyId, phoneNumber, text } : null;
}

function readConnectionChange(data: unknown): EvolutionConnectionChange | null {
  const reported = stringAt(data, 'state');
  // After the QR code limit Evolution reports `refused` and ends the session: the number is closed.
  const state = reported === 'refused' ? 'close' : reported;
  if (!isConnectionState(state) || state === 'unknown') return null;
  return { state, reason: connectionUpdateReason(reported ?? state, objectAt(data)?.statusReason) };
}

function readQrCode(data: unknown): EvolutionQrCodeShown | null {
  // The last one of a pairing says the limit was reached and carries no QR code; `connection.update` follows.
  const code = stringAt(data, 'qrcode', 'code');
  const image = stringAt(data, 'qrcode', 'base64');
  if (!code || !image?.startsWith('data:image/png;base64,')) return null;
  return { code, image, pairingCode: stringAt(data, 'qrcode', 'pairingCode') ?? null };
}

function readIncomingMessage(message: unknown): EvolutionIncomingMessage | null {
  const keyId = stringAt(message, 'key', 'id');
  // Only customers' messages: our own sends come back as upserts too.
  const fromCustomer = booleanAt(message, 'key', 'fromMe') === false;
  // A privacy id (@lid) hides the number; Evolution then gives it beside the key when it knows it.
  const phoneNumber =
    phoneFromJid(stringAt(message, 'key', 'remoteJid')) ??
    phoneFromJid(stringAt(message, 'key', 'remoteJidAlt')) ??
    phoneFromJid(stringAt(message, 'key', 'senderPn'));
  if (!keyId || !fromCustomer || !phoneNumber) return null;
  return {
    keyId,
    phoneNumber,
    senderName: stringAt(message, 'pushName') ?? null,
    text: messageText(objectAt(message, 'message')) ?? null,
  };
}
