import { AsyncLocalStorage } from 'node:async_hooks';

/** Identifiers that belong on every log line written while handling one request or one job. */
export interface LogContext {
  readonly requestId?: string;
  readonly jobId?: string;
  readonly messageId?: string;
  readonly instanceId?: string;
  readonly accountId?: string;
  /** A status webhook being delivered, its endpoint and the event it carries. */
  readonly webhookDeliveryId?: string;
  readonly webhookEndpointId?: string;
  readonly eventId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` added to every log line it writes, however deep the calls go. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

/** Adds identifiers learnt part-way through (e.g. the message id once a row exists). */
export function addToLogContext(context: LogContext): void {
  const current = storage.getStore();
  if (current) Object.assign(current, context);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
