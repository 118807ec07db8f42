import { DomainError, isUuid, validationError, type WebhookEventType } from '@telenexus/core';
import type { WebhookReplayResult, WebhookReplayWindow } from '@telenexus/db';
import type { EndpointLookup } from './manage-webhook-deliveries.use-case';
import { ENDPOINT_NOT_FOUND } from './manage-webhook-endpoints.use-case';

export interface WebhookReplayStore {
  replay(window: WebhookReplayWindow): Promise<WebhookReplayResult>;
}

export interface ReplayRequest {
  readonly since: Date;
  /** Now when absent. */
  readonly until?: Date;
  /** Every type when absent. */
  readonly types?: readonly WebhookEventType[];
}

/** A replay as applied: the window after defaults, and how many events were queued again. */
export interface ReplayOutcome {
  readonly replayed: number;
  readonly since: Date;
  readonly until: Date;
  readonly types: readonly WebhookEventType[] | null;
}

export interface ReplayLimits {
  readonly maxWindowDays: number;
  /** The most deliveries one window may hold (see `WebhookDeliveryRepository.replay`). */
  readonly maxDeliveries: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Sends an endpoint again what it was sent (or owed) in a window, after it was down: each event
 * once more as a new delivery with the event's own id, so receivers that dedupe on it take each
 * event at most once. The endpoint must be enabled: an endpoint its account switched off gives up
 * what it is owed, so replaying to it would only queue failures.
 */
export class ReplayWebhookEvents {
  constructor(
    private readonly endpoints: EndpointLookup,
    private readonly deliveries: WebhookReplayStore,
    private readonly limits: ReplayLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async replay(accountId: string, endpointId: string, request: ReplayRequest): Promise<ReplayOutcome> {
    const now = this.now();
    // Later than now is now: nothing was addressed to the endpoint in the future.
    const until = request.until && request.until < now ? request.until : now;
    const { since } = request;
    if (since >= until) {
      throw validationError([
        { field: 'since', message: request.until ? 'must be before until' : 'must be in the past' },
      ]);
    }
    if (until.getTime() - since.getTime() > this.limits.maxWindowDays * DAY_MS) {
      throw validationError([
        {
          field: 'since',
          message: `must be at most ${this.limits.maxWindowDays} days before until; replay a longer outage in parts`,
        },
      ]);
    }
    const endpoint = isUuid(endpointId) ? await this.endpoints.findForAccount(accountId, endpointId) : null;
    if (!endpoint) throw new DomainError('not_found', ENDPOINT_NOT_FOUND);
    if (!endpoint.enabled) {
      throw new DomainError(
        'conflict',
        'The webhook endpoint is disabled, so it would receive nothing; enable it before replaying',
      );
    }
    const types = request.types ?? null;
    const result = await this.deliveries.replay({
      accountId,
      endpointId: endpoint.id,
      since,
      until,
      types,
      maxDeliveries: this.limits.maxDeliveries,
    });
    if (result.kind === 'too_many') {
      throw validationError([
        {
          field: 'since',
          message:
            `the window holds more than ${this.limits.maxDeliveries.toLocaleString('en')} deliveries to ` +
            'this endpoint; replay it in shorter windows (a later since or an earlier until)',
        },
      ]);
    }
    return { replayed: result.count, since, until, types };
  }
}
