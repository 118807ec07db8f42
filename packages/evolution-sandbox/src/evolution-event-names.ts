/** The UPPER_SNAKE event names Evolution 2.3 accepts in webhook configuration. */
export const EVOLUTION_EVENT_NAMES = [
  'APPLICATION_STARTUP',
  'QRCODE_UPDATED',
  'MESSAGES_SET',
  'MESSAGES_UPSERT',
  'MESSAGES_EDITED',
  'MESSAGES_UPDATE',
  'MESSAGES_DELETE',
  'SEND_MESSAGE',
  'SEND_MESSAGE_UPDATE',
  'CONTACTS_SET',
  'CONTACTS_UPSERT',
  'CONTACTS_UPDATE',
  'PRESENCE_UPDATE',
  'CHATS_SET',
  'CHATS_UPSERT',
  'CHATS_UPDATE',
  'CHATS_DELETE',
  'GROUPS_UPSERT',
  'GROUP_UPDATE',
  'GROUP_PARTICIPANTS_UPDATE',
  'CONNECTION_UPDATE',
  'LABELS_EDIT',
  'LABELS_ASSOCIATION',
  'CALL',
  'TYPEBOT_START',
  'TYPEBOT_CHANGE_STATUS',
  'REMOVE_INSTANCE',
  'LOGOUT_INSTANCE',
  'INSTANCE_CREATE',
  'INSTANCE_DELETE',
  'STATUS_INSTANCE',
] as const;

export type EvolutionEventName = (typeof EVOLUTION_EVENT_NAMES)[number];

export function isEvolutionEventName(value: unknown): value is EvolutionEventName {
  return typeof value === 'string' && (EVOLUTION_EVENT_NAMES as readonly string[]).includes(value);
}

/** `messages.update` → `messages-update`, the path suffix Evolution adds when `byEvents` is on. */
export function byEventsPath(payloadEvent: string): string {
  return payloadEvent.replace(/[._]/g, '-').toLowerCase();
}
