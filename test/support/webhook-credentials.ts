import { randomBytes } from 'node:crypto';
import { hashEvolutionWebhookToken, mintEvolutionWebhookToken } from '@telenexus/core';
import { WEBHOOK_TOKEN_GRACE_MS } from '@telenexus/provisioning';
import type { DatabaseContext } from './test-context';

/** What Evolution is given to call an instance's webhook: the path token and the JWT key. */
export interface WebhookCredentials {
  readonly token: string;
  readonly jwtKey: string;
}

/**
 * Issues the instance a webhook path token as pointing Evolution at us does, and returns it with the
 * instance's JWT key, so a test can play Evolution. (Only the token's hash is stored: this is the
 * one moment it is known.)
 */
export async function issueWebhookCredentials(
  db: DatabaseContext,
  instanceId: string,
): Promise<WebhookCredentials> {
  const token = mintEvolutionWebhookToken();
  const instance = await db.instances.issueWebhookToken(
    instanceId,
    hashEvolutionWebhookToken(token),
    randomBytes(32).toString('base64url'),
    WEBHOOK_TOKEN_GRACE_MS,
  );
  if (!instance?.webhookJwtKey) throw new Error(`No live instance ${instanceId}`);
  return { token, jwtKey: instance.webhookJwtKey };
}
