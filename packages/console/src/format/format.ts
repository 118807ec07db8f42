import type { ConnectionState, MessageStatus } from '@telenexus/core';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A timestamp in the reader's own locale and time zone; a dash when there is none. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** Money the way the WhatsApp texts write it (`KES 1,500.00`). */
export function formatAmount(amount: number | null, currency: string | null): string {
  if (amount === null) return '—';
  try {
    const digits =
      new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'XXX' }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    const number = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount);
    return currency ? `${currency} ${number}` : number;
  } catch {
    return `${currency ?? ''} ${amount}`.trim();
  }
}

/** `payment_reminder` → `Payment reminder`. */
export function humanize(code: string | null | undefined): string {
  if (!code) return '—';
  const words = code.replace(/[._]/g, ' ');
  return words[0]!.toUpperCase() + words.slice(1);
}

export type Tone = 'good' | 'progress' | 'bad' | 'neutral';

const STATUS_TONES: Readonly<Record<MessageStatus, Tone>> = {
  scheduled: 'neutral',
  queued: 'progress',
  sending: 'progress',
  unknown: 'bad',
  sent: 'good',
  delivered: 'good',
  read: 'good',
  failed: 'bad',
  canceled: 'neutral',
  expired: 'bad',
  received: 'neutral',
};

export function statusTone(status: string): Tone {
  return STATUS_TONES[status as MessageStatus] ?? 'neutral';
}

const CONNECTION_LABELS: Readonly<Record<ConnectionState, { label: string; tone: Tone }>> = {
  open: { label: 'Connected', tone: 'good' },
  connecting: { label: 'Connecting', tone: 'progress' },
  close: { label: 'Disconnected', tone: 'bad' },
  unknown: { label: 'Connection unknown', tone: 'neutral' },
};

export function connectionLabel(state: string): { label: string; tone: Tone } {
  return CONNECTION_LABELS[state as ConnectionState] ?? CONNECTION_LABELS.unknown;
}

/** What each permission lets a key do, as the API Keys page explains it. */
export const PERMISSION_HINTS = {
  send_message: 'Send billing notifications and read their status (what a billing system needs).',
  receive_message: "Read customers' replies (incoming messages).",
  admin: 'Manage keys, instances and webhook endpoints, and read every message. Keep it for people.',
  support:
    'Sign in to the console read-only: instances, messages, batches and queues, never keys, webhooks or settings.',
  send_text:
    "Send texts through the URL gateway only (phpnuxbill's wa_url). It may sit in a URL, so it opens nothing else.",
} as const;
