export * from './evolution-event';
export { parseEvolutionEvent } from './parse-evolution-event';
export { receiptFromEvolutionStatus } from './receipt-status';
export { connectionUpdateReason } from './connection-reason';
export { phoneFromJid, userJid } from './whatsapp-jid';
export { normalizeEventName } from './event-fields';
