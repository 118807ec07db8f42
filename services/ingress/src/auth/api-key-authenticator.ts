import {
  apiKeyLookupPrefix,
  apiKeyMatches,
  DomainError,
  looksLikeApiKey,
  type ApiKeyRecord,
  type Principal,
} from '@telenexus/core';
import type { Logger } from '@telenexus/logger';

/** What the authenticator needs from storage. */
export interface ApiKeyStore {
  findActiveByLookupPrefix(lookupPrefix: string): Promise<ApiKeyRecord[]>;
  touchLastUsed(id: string): Promise<void>;
}

/** The guide's wording, kept exactly: billing systems' troubleshooting pages quote it. */
export const INVALID_KEY_DETAIL = 'Invalid or missing API key';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Turns an `Authorization` header into the calling account and its permissions, or refuses it. */
export class ApiKeyAuthenticator {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly logger: Logger,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const presented = authorization ? BEARER.exec(authorization)?.[1] : undefined;
    if (!presented || !looksLikeApiKey(presented))
      throw new DomainError('unauthenticated', INVALID_KEY_DETAIL);
    const candidates = await this.keys.findActiveByLookupPrefix(apiKeyLookupPrefix(presented));
    const key = candidates.find((candidate) => apiKeyMatches(presented, candidate.hash));
    if (!key) throw new DomainError('unauthenticated', INVALID_KEY_DETAIL);
    // Recording use must never slow down or fail the request it is about.
    this.keys.touchLastUsed(key.id).catch((error: unknown) => {
      this.logger.warn('could not record API key use', { apiKeyId: key.id, error });
    });
    return { accountId: key.accountId, apiKeyId: key.id, permissions: key.permissions };
  }
}
