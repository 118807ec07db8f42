import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, type Instance, isUuid } from '@telenexus/core';
import jwt from 'jsonwebtoken';

export interface WebhookInstanceFinder {
  findById(id: string): Promise<Instance | null>;
}

const BEARER = /^Bearer[ \t]+(\S+)$/i;

function sameSecret(presented: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the secret.
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Decides whether a webhook call really comes from the Evolution instance it names: the secret token
 * in the URL path (compared in constant time) and, when the instance has a JWT key, Evolution's
 * HS256 Bearer token with a live `exp`.
 */
export class EvolutionWebhookAuthenticator {
  constructor(private readonly instances: WebhookInstanceFinder) {}

  async authenticate(
    instanceId: string,
    token: string,
    authorization: string | undefined,
  ): Promise<Instance> {
    const instance = isUuid(instanceId) ? await this.instances.findById(instanceId) : null;
    if (!instance) throw new DomainError('not_found', 'Instance not found');
    if (!instance.webhookToken || !sameSecret(token, instance.webhookToken)) {
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
