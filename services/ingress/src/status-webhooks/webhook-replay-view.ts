import type { WebhookReplay } from '@telenexus/api-contract';
import type { ReplayOutcome } from './replay-webhook-events.use-case';

export function toWebhookReplayView(outcome: ReplayOutcome): WebhookReplay {
  return {
    replayed: outcome.replayed,
    since: outcome.since.toISOString(),
    until: outcome.until.toISOString(),
    types: outcome.types ? [...outcome.types] : null,
  };
}
