import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** A webhook POST as a receiver got it. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders | Readonly<Record<string, unknown>>;
  readonly rawBody: string;
}

/**
 * Whether a receiver holding `secret` accepts the POST, as decided by the official Standard Webhooks
 * verifier (`standardwebhooks` on npm, `Webhook.verify`) — never by our own code, so a test cannot
 * pass on a signer and verifier that agree with each other but not with the spec.
 */
export function officiallyVerifies(secret: string, post: ReceivedWebhook): boolean {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(post.headers)) {
    if (typeof value === 'string') headers[name] = value;
  }
  try {
    new Webhook(secret).verify(post.rawBody, headers);
    return true;
  } catch {
    return false;
  }
}
