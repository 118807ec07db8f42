import {
  checkWebhookUrl,
  DomainError,
  mintWebhookSecret,
  validationError,
  type HostResolver,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookUrlPolicy,
  isUuid,
} from '@telenexus/core';
import type { NewWebhookEndpoint, WebhookEndpointChanges } from '@telenexus/db';

export interface WebhookEndpointStore {
  create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  listForAccount(accountId: string): Promise<WebhookEndpoint[]>;
  findForAccount(accountId: string, id: string): Promise<WebhookEndpoint | null>;
  update(accountId: string, id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpoint | null>;
  rotateSecret(
    accountId: string,
    id: string,
    secret: string,
    previousSecretExpiresAt: Date | null,
  ): Promise<WebhookEndpoint | null>;
  softDelete(accountId: string, id: string): Promise<boolean>;
}

export interface NewEndpointInput {
  readonly url: string;
  readonly description: string | null;
  readonly events: readonly WebhookEventType[];
}

/** Every status change inserts one delivery per endpoint; a bound keeps one account from fanning out. */
export const MAX_WEBHOOK_ENDPOINTS_PER_ACCOUNT = 20;

export const ENDPOINT_NOT_FOUND = 'Webhook endpoint not found';

/** How long a rotated-out secret keeps signing by default: a day for receivers to roll the new one out. */
export const DEFAULT_WEBHOOK_SECRET_OVERLAP_MS = 24 * 3600 * 1000;

export interface WebhookSecretRotationPolicy {
  /** How long a rotated-out secret keeps signing beside the new one; 0: it stops at once. */
  readonly secretOverlapMs: number;
}

/**
 * The account's status webhook endpoints: register (with a fresh signing secret), read, change,
 * rotate the secret, delete. Every URL is checked for being publicly reachable before it is stored;
 * another account's endpoint — or a malformed id — is simply not found.
 */
export class ManageWebhookEndpoints {
  constructor(
    private readonly endpoints: WebhookEndpointStore,
    private readonly policy: WebhookUrlPolicy,
    private readonly resolveHost: HostResolver,
    private readonly rotation: WebhookSecretRotationPolicy = {
      secretOverlapMs: DEFAULT_WEBHOOK_SECRET_OVERLAP_MS,
    },
    private readonly mintSecret: () => string = mintWebhookSecret,
    private readonly now: () => number = Date.now,
  ) {}

  async create(accountId: string, input: NewEndpointInput): Promise<WebhookEndpoint> {
    const url = await this.checkedUrl(input.url);
    const existing = await this.endpoints.listForAccount(accountId);
    if (existing.length >= MAX_WEBHOOK_ENDPOINTS_PER_ACCOUNT) {
      throw new DomainError(
        'conflict',
        `An account can have at most ${MAX_WEBHOOK_ENDPOINTS_PER_ACCOUNT} webhook endpoints`,
      );
    }
    return this.endpoints.create({
      accountId,
      url,
      description: input.description,
      secret: this.mintSecret(),
      events: input.events,
    });
  }

  list(accountId: string): Promise<WebhookEndpoint[]> {
    return this.endpoints.listForAccount(accountId);
  }

  async get(accountId: string, id: string): Promise<WebhookEndpoint> {
    return found(isUuid(id) ? await this.endpoints.findForAccount(accountId, id) : null);
  }

  /** Applies the changes; a new URL is checked like a new endpoint's. */
  async update(accountId: string, id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpoint> {
    await this.get(accountId, id);
    const url = changes.url === undefined ? undefined : await this.checkedUrl(changes.url);
    return found(await this.endpoints.update(accountId, id, { ...changes, url }));
  }

  /**
   * A new secret signs every delivery from now on; the old one signs beside it for the overlap, so
   * receivers still holding it keep verifying while the new one is rolled out (none: it stops at once).
   */
  async rotateSecret(accountId: string, id: string): Promise<WebhookEndpoint> {
    if (!isUuid(id)) throw new DomainError('not_found', ENDPOINT_NOT_FOUND);
    const overlapMs = this.rotation.secretOverlapMs;
    const previousSecretExpiresAt = overlapMs > 0 ? new Date(this.now() + overlapMs) : null;
    return found(
      await this.endpoints.rotateSecret(accountId, id, this.mintSecret(), previousSecretExpiresAt),
    );
  }

  async delete(accountId: string, id: string): Promise<void> {
    if (!isUuid(id) || !(await this.endpoints.softDelete(accountId, id))) {
      throw new DomainError('not_found', ENDPOINT_NOT_FOUND);
    }
  }

  private async checkedUrl(raw: string): Promise<string> {
    const verdict = await checkWebhookUrl(raw, this.policy, this.resolveHost);
    if (!verdict.ok) throw validationError([{ field: 'url', message: verdict.reason }]);
    return verdict.href;
  }
}

function found(endpoint: WebhookEndpoint | null): WebhookEndpoint {
  if (!endpoint) throw new DomainError('not_found', ENDPOINT_NOT_FOUND);
  return endpoint;
}
