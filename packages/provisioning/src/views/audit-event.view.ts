import type { AuditEvent as AuditEventView } from '@telenexus/api-contract';
import type { AuditEvent } from '@telenexus/core';

/** An audit event as the API (and so the console) and the CLI show it. */
export function toAuditEventView(event: AuditEvent): AuditEventView {
  return {
    id: event.id,
    account_id: event.accountId,
    occurred_at: event.occurredAt.toISOString(),
    action: event.action,
    outcome: event.outcome,
    actor: {
      kind: event.actor.kind,
      api_key_id: event.actor.apiKeyId,
      api_key_name: event.actor.apiKeyName,
    },
    client_ip: event.clientIp,
    target: event.target,
    changes: event.changes,
    detail: event.detail,
  };
}
