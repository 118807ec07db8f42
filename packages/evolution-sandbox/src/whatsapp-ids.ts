import { randomBytes, randomUUID } from 'node:crypto';

/** A message id as WhatsApp Web assigns to messages it sends: `3EB0` and 18 uppercase hex digits. */
export function newOutgoingMessageId(): string {
  return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
}

/** A message id as phones assign: 32 uppercase hex digits. */
export function newIncomingMessageId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** A Prisma-style cuid, as Evolution uses for its database row ids. */
export function newRowId(): string {
  return `c${randomBytes(12).toString('hex').slice(0, 24)}`;
}

export function newInstanceId(): string {
  return randomUUID();
}

/** Evolution's default instance token: an uppercase UUID. */
export function newInstanceToken(): string {
  return randomUUID().toUpperCase();
}

/** A plausible owner number for an instance created without one. */
export function newOwnerNumber(): string {
  const digits = Array.from(randomBytes(8), (byte) => String(byte % 10)).join('');
  return `2547${digits}`;
}

/** The digits Evolution would use for `number` (which may be a JID or carry `+` and spaces). */
export function numberDigits(number: string): string {
  const user = number.includes('@') ? (number.split('@')[0] ?? '') : number;
  return user.replace(/\D/g, '');
}
