import type { Instance as InstanceView } from '@telenexus/api-contract';
import type { Instance } from '@telenexus/core';

/** An instance as the Instances page shows it; the Evolution token and webhook secrets never leave. */
export function toInstanceView(instance: Instance): InstanceView {
  return {
    id: instance.id,
    name: instance.name,
    evolution_instance_name: instance.evolutionInstanceName,
    has_evolution_token: instance.evolutionToken !== null,
    connection_state: instance.connectionState,
    connection_state_at: instance.connectionStateAt?.toISOString() ?? null,
    country: instance.country,
    timezone: instance.timezone,
    default_language: instance.defaultLanguage,
    evolution_webhook: {
      configured_at: instance.webhookConfiguredAt?.toISOString() ?? null,
      error: instance.webhookError,
    },
    pacing: {
      min_gap_ms: instance.pacingMinGapMs,
      jitter_ms: instance.pacingJitterMs,
      daily_cap: instance.dailyCap,
    },
    quiet_hours: instance.quietHours,
    created_at: instance.createdAt.toISOString(),
    updated_at: instance.updatedAt.toISOString(),
  };
}
