import { DomainError, evolutionWebhookTokenMatches, type Instance, isUuid } from '@telenexus/core';
import type { InstanceWebhookCredentials } from '@telenexus/db';
import jwt from 'jsonwebtoken';

export interface WebhookInstanceFinder {
  findWebhookCredentials(id: string): Promise<InstanceWebhookCredentials | null>;
}

const BEARER = /^Bearer[ \t]+(\S+)$/i;

/**
 * Decides whether a webhook call really comes from the Evolution instance it names: the secret token
 * in the URL path, whose hash must be one the instance accepts now (compared in constant time), and,
 * when the instance has a JWT key, Evolution's HS256 Bearer token with a live `exp`.
 */
export class EvolutionWebhookAuthenticator {
  constructor(private readonly instances: WebhookInstanceFinder) {}

  async authenticate(
    instanceId: string,
    token: string,
    authorization: string | undefined,
  ): Promise<Instance> {
    const found = isUuid(instanceId) ? await this.instances.findWebhookCredentials(instanceId) : null;
    if (!found) throw new DomainError('not_found', 'Instance not found');
    const { instance, tokenHashes } = found;
    if (!evolutionWebhookTokenMatches(token, tokenHashes)) {
      throw new DomainError('unauthenticated', 'Invalid webhook token');
    }
    if (instance.webhookJwtKey) {
      const bearer = authorization ? BEARER.exec(authorization)?.[1] : undefined;
      if (!bearer) throw new DomainError('unauthenticated', 'Missing webhook JWT');
      if (!validJwt(bearer, instance.webhookJwtKey)) {
        throw new DomainError('unauthenticated', 'Invalid or expired webhook JWT');
      }
    }
    return instance;
  }
}

/** HS256 with our key, and an `exp` that is present and not past (jsonwebtoken checks it when present). */
function validJwt(token: string, key: string): boolean {
  try {
    const payload = jwt.verify(token, key, { algorithms: ['HS256'] });
    return typeof payload === 'object' && typeof payload.exp === 'number';
  } catch {
    return false;
  }
}
