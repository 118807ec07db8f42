import type { AuditAction, AuditTargetType, NewAuditEvent } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import type { RequestHandler, Response } from 'express';
import { pathParam } from '../http/path-param';

/** What the trail needs from storage: an `AuditEventRepository`. */
export interface AuditEventStore {
  append(event: NewAuditEvent): Promise<unknown>;
}

/** What a route declared about the action it performs, for {@link recordAudit} and refusals. */
export interface AuditedRoute {
  readonly trail: AuditTrail;
  readonly action: AuditAction;
  readonly targetType: AuditTargetType | null;
  /** The path's `:id`, read here: error middleware after the route no longer sees the route's params. */
  readonly pathId: string;
}

interface AuditLocals {
  auditedRoute?: AuditedRoute;
}

/**
 * Writes the audit log for the API. Recording happens in the request, after the action succeeded
 * and before its answer: the action has already happened by then, so a failed insert must not turn
 * it into an error the client would retry. It is logged at error level with the action and target
 * instead, where alerting on error logs will find it.
 */
export class AuditTrail {
  constructor(
    private readonly store: AuditEventStore,
    private readonly logger: Logger,
  ) {}

  /**
   * Marks a route as performing one management action (put it before the permission check, so a
   * refused attempt is recorded too). The route then calls `recordAudit` once the action succeeded.
   */
  action(action: AuditAction, targetType: AuditTargetType | null = null): RequestHandler {
    return (request, response, next) => {
      const pathId = pathParam(request, 'id');
      (response.locals as AuditLocals).auditedRoute = { trail: this, action, targetType, pathId };
      next();
    };
  }

  /** Appends one event; never throws (see the class comment). */
  async record(event: NewAuditEvent): Promise<void> {
    try {
      await this.store.append(event);
    } catch (error) {
      this.logger.error('could not record an audit event', {
        action: event.action,
        outcome: event.outcome,
        accountId: event.accountId,
        targetType: event.target?.type,
        targetId: event.target?.id,
        error,
      });
    }
  }
}

/** The action the route was marked with, if any. */
export function auditedRouteOf(response: Response): AuditedRoute | undefined {
  return (response.locals as AuditLocals).auditedRoute;
}
