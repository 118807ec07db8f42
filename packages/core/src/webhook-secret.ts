import { randomBytes } from 'node:crypto';

/** Every webhook signing secret starts with this, so a leaked one is easy to recognise. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * Mints a signing secret: `whsec_` + 32 random bytes in base64url (43 characters). It is stored
 * encrypted (signing needs it back) and shown to the account only when created or rotated.
 */
export function mintWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');
}
