/**
 * Management actions the audit log records. Names are `<target>.<verb>` so a prefix (`instance.`)
 * selects every action on one kind of target. Never rename one: filters and reports key on them.
 */
export const AUDIT_ACTIONS = [
  'api_key.create',
  'api_key.revoke',
  'api_key.rotate',
  'account.create',
  'account.update',
  'instance.create',
  'instance.update',
  'instance.delete',
  'instance.connect',
  'instance.logout',
  /** Evolution's webhook pointed at Telenexus again. */
  'instance.evolution_webhook',
  'webhook_endpoint.create',
  'webhook_endpoint.update',
  'webhook_endpoint.delete',
  'webhook_endpoint.rotate_secret',
  /** Events already addressed to an endpoint in a time window, queued again with their event ids. */
  'webhook_endpoint.replay',
  /** An `endpoint.test` event sent to an endpoint on request. */
  'webhook_endpoint.test',
  /** A status webhook delivery made due again by hand. */
  'webhook_delivery.retry',
  /** The delivery breaker disabled an endpoint that kept failing (actor `system`). */
  'webhook_endpoint.auto_disable',
  'console.sign_in',
  /** An account or instance text of a message type and language written, or written anew. */
  'template.save',
  'template.delete',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export const AUDIT_OUTCOMES = ['succeeded', 'refused'] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * `api_key`: through the API or console with a key; `cli`: the operator on the server's command line;
 * `system`: Telenexus itself (the webhook breaker disabling an endpoint).
 */
export const AUDIT_ACTOR_KINDS = ['api_key', 'cli', 'system'] as const;

export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

export const AUDIT_TARGET_TYPES = [
  'account',
  'api_key',
  'instance',
  'webhook_endpoint',
  'webhook_delivery',
] as const;

export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** Who acted. A refused sign-in whose key matched nothing has a kind but no key. */
export interface AuditActor {
  readonly kind: AuditActorKind;
  readonly apiKeyId: string | null;
  /** Copied when recorded, so renaming or revoking the key later does not rewrite history. */
  readonly apiKeyName: string | null;
}

export interface AuditTarget {
  readonly type: AuditTargetType;
  readonly id: string;
}

/** The public settings that changed, as they were and as they became; never a secret. */
export interface AuditChanges {
  /** Null when the target was created. */
  readonly before: Readonly<Record<string, unknown>> | null;
  /** Null when the target was deleted. */
  readonly after: Readonly<Record<string, unknown>> | null;
}

/** One recorded management action. Audit events are never changed or deleted. */
export interface AuditEvent {
  readonly id: string;
  /** Null only for a refused sign-in whose key matched no account. */
  readonly accountId: string | null;
  readonly occurredAt: Date;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly actor: AuditActor;
  readonly clientIp: string | null;
  readonly target: AuditTarget | null;
  readonly changes: AuditChanges | null;
  /** A short human note: why it was refused, what replaced a rotated key. */
  readonly detail: string | null;
}

/** An event about to be recorded; the database stamps its id and time. */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'occurredAt'>;
