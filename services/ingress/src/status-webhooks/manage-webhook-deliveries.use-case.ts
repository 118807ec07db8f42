import {
  DomainError,
  validationError,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  isUuid,
} from '@telenexus/core';
import type { WebhookDeliveryFilter, WebhookDeliveryPage } from '@telenexus/db';
import { ENDPOINT_NOT_FOUND } from './manage-webhook-endpoints.use-case';
import { decodePageCursor, encodePageCursor } from '../http/page-cursor';

export interface WebhookDeliveryStore {
  listForEndpoint(filter: WebhookDeliveryFilter): Promise<WebhookDeliveryPage>;
  findForAccount(accountId: string, id: string): Promise<WebhookDelivery | null>;
  listAttempts(deliveryId: string): Promise<WebhookDeliveryAttempt[]>;
  retryNow(accountId: string, id: string): Promise<WebhookDelivery | null>;
}

export interface EndpointLookup {
  findForAccount(accountId: string, id: string): Promise<WebhookEndpoint | null>;
}

export interface DeliveryListQuery {
  readonly status?: WebhookDeliveryStatus;
  readonly cursor?: string;
  readonly limit: number;
}

export interface DeliveryPage {
  readonly deliveries: WebhookDelivery[];
  readonly nextCursor: string | null;
}

/** A delivery with every POST made of it. */
export interface DeliveryWithAttempts {
  readonly delivery: WebhookDelivery;
  readonly attempts: WebhookDeliveryAttempt[];
}

export const DELIVERY_NOT_FOUND = 'Webhook delivery not found';

/**
 * The deliveries log: an endpoint's deliveries page by page, one delivery with its attempts, and a
 * manual retry. Only the account's own deliveries are ever found.
 */
export class ManageWebhookDeliveries {
  constructor(
    private readonly endpoints: EndpointLookup,
    private readonly deliveries: WebhookDeliveryStore,
  ) {}

  async listForEndpoint(
    accountId: string,
    endpointId: string,
    query: DeliveryListQuery,
  ): Promise<DeliveryPage> {
    const endpoint = isUuid(endpointId) ? await this.endpoints.findForAccount(accountId, endpointId) : null;
    if (!endpoint) throw new DomainError('not_found', ENDPOINT_NOT_FOUND);
    const after = query.cursor === undefined ? undefined : decodePageCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      throw validationError([{ field: 'cursor', message: 'is not a cursor from an earlier page' }]);
    }
    const page = await this.deliveries.listForEndpoint({
      accountId,
      endpointId: endpoint.id,
      status: query.status,
      after,
      limit: query.limit,
    });
    return {
      deliveries: page.deliveries,
      nextCursor: page.next ? encodePageCursor(page.next) : null,
    };
  }

  async get(accountId: string, id: string): Promise<DeliveryWithAttempts> {
    const delivery = await this.find(accountId, id);
    return { delivery, attempts: await this.deliveries.listAttempts(delivery.id) };
  }

  /**
   * Makes a pending or failed delivery due at once. That is one more POST: if it fails after the
   * retry window, the delivery is given up again. The endpoint must still exist and be enabled.
   */
  async retry(accountId: string, id: string): Promise<DeliveryWithAttempts> {
    const delivery = await this.find(accountId, id);
    if (delivery.status === 'delivered') {
      throw new DomainError('conflict', 'Webhook delivery was already delivered');
    }
    const endpoint = await this.endpoints.findForAccount(accountId, delivery.endpointId);
    if (!endpoint) throw new DomainError('conflict', 'The webhook endpoint of this delivery was deleted');
    if (!endpoint.enabled) {
      throw new DomainError('conflict', 'The webhook endpoint is disabled; enable it before retrying');
    }
    const retried = await this.deliveries.retryNow(accountId, delivery.id);
    if (!retried) throw new DomainError('conflict', 'Webhook delivery was already delivered');
    return { delivery: retried, attempts: await this.deliveries.listAttempts(retried.id) };
  }

  private async find(accountId: string, id: string): Promise<WebhookDelivery> {
    const delivery = isUuid(id) ? await this.deliveries.findForAccount(accountId, id) : null;
    if (!delivery) throw new DomainError('not_found', DELIVERY_NOT_FOUND);
    return delivery;
  }
}
