import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import axios, { isAxiosError, type AxiosInstance } from 'axios';
import jwt from 'jsonwebtoken';
import type { EvolutionWebhookEnvelope } from '@telenexus/evolution';
import type { SandboxLogger, WebhookRetryPolicy } from './sandbox-options';
import type { SandboxWebhookAttempt, SandboxWebhookRow } from './sandbox-records';
import { byEventsPath } from './evolution-event-names';
import type { WorkTracker } from './work-tracker';

// Evolution does not retry these: the receiver has said the request itself is wrong.
const NON_RETRYABLE_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 422]);
// Enough history for a fault drill; older attempts are dropped so a long benchmark stays bounded.
const MAX_RECORDED_ATTEMPTS = 10_000;
const JWT_LIFETIME_SECONDS = 600;

export interface WebhookDispatcherDeps {
  readonly work: WorkTracker;
  readonly now: () => number;
  readonly logger: SandboxLogger;
  readonly retry: WebhookRetryPolicy;
  readonly timeoutMs: number;
}

/**
 * Every POST in flight listens on one abort signal, so `reset()` can stop them all at once; a burst
 * of receipts legitimately puts hundreds of listeners on it, which is not the leak Node warns about.
 */
function unboundedAbortController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

type AttemptResult = { readonly status: number } | { readonly error: string };

/**
 * Posts webhook envelopes the way Evolution 2.3 does: configured headers passed through, a
 * `jwt_key` header turned into `Authorization: Bearer <HS256 JWT>`, failures retried in memory with
 * doubling delays. Never throws: a receiver's failure must not affect the send that caused it.
 */
export class SandboxEventEmitter {
  private readonly http: AxiosInstance;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private abort = unboundedAbortController();
  private attempts: SandboxWebhookAttempt[] = [];

  constructor(private readonly deps: WebhookDispatcherDeps) {
    this.http = axios.create({
      timeout: deps.timeoutMs,
      validateStatus: () => true,
      maxRedirects: 0,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      headers: { 'Content-Type': 'application/json' },
    });
  }

  /** Starts delivering one envelope in the background. */
  dispatch(webhook: SandboxWebhookRow, envelope: EvolutionWebhookEnvelope): void {
    const url = webhook.webhookByEvents
      ? `${webhook.url.replace(/\/+$/, '')}/${byEventsPath(envelope.event)}`
      : webhook.url;
    this.attempt(url, webhook.headers ?? {}, envelope, 1);
  }

  attemptLog(): SandboxWebhookAttempt[] {
    return [...this.attempts];
  }

  /** Aborts in-flight POSTs (their retries are the work tracker's to cancel) and forgets history. */
  reset(): void {
    this.abort.abort();
    this.abort = unboundedAbortController();
    this.attempts = [];
  }

  close(): void {
    this.abort.abort();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private attempt(
    url: string,
    configuredHeaders: Readonly<Record<string, string>>,
    envelope: EvolutionWebhookEnvelope,
    attempt: number,
  ): void {
    const signal = this.abort.signal;
    const posting = this.post(url, configuredHeaders, envelope, signal).then((result) => {
      if (signal.aborted) return;
      this.afterAttempt(url, configuredHeaders, envelope, attempt, result);
    });
    this.deps.work.track(posting);
  }

  private async post(
    url: string,
    configuredHeaders: Readonly<Record<string, string>>,
    envelope: EvolutionWebhookEnvelope,
    signal: AbortSignal,
  ): Promise<AttemptResult> {
    try {
      const response = await this.http.post(url, envelope, {
        headers: this.headersFor(configuredHeaders),
        signal,
      });
      return { status: response.status };
    } catch (error) {
      return { error: isAxiosError(error) ? `${error.code ?? 'ERROR'}: ${error.message}` : String(error) };
    }
  }

  private afterAttempt(
    url: string,
    configuredHeaders: Readonly<Record<string, string>>,
    envelope: EvolutionWebhookEnvelope,
    attempt: number,
    result: AttemptResult,
  ): void {
    const delivered = 'status' in result && result.status >= 200 && result.status < 300;
    const retryable =
      !delivered &&
      attempt < this.deps.retry.maxAttempts &&
      !('status' in result && NON_RETRYABLE_STATUSES.has(result.status));
    const outcome = delivered ? 'delivered' : retryable ? 'retrying' : 'gave-up';
    this.record({
      event: envelope.event,
      instance: envelope.instance,
      url,
      attempt,
      at: this.deps.now(),
      outcome,
      ...('status' in result ? { httpStatus: result.status } : { error: result.error }),
    });
    if (delivered) return;
    const context = { event: envelope.event, instance: envelope.instance, attempt, ...result };
    if (!retryable) {
      this.deps.logger.warn('webhook delivery abandoned', context);
      return;
    }
    this.deps.logger.debug('webhook delivery failed, will retry', context);
    const { initialDelayMs, maxDelayMs } = this.deps.retry;
    const delayMs = Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs);
    this.deps.work.schedule(delayMs, () => this.attempt(url, configuredHeaders, envelope, attempt + 1));
  }

  private headersFor(configured: Readonly<Record<string, string>>): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(configured)) {
      if (name !== 'jwt_key') headers[name] = value;
    }
    const secret = configured.jwt_key;
    if (secret !== undefined && secret !== '') {
      const iat = Math.floor(this.deps.now() / 1000);
      const token = jwt.sign(
        { iat, exp: iat + JWT_LIFETIME_SECONDS, app: 'evolution', action: 'webhook' },
        secret,
        {
          algorithm: 'HS256',
        },
      );
      headers.Authorization = `Bearer ${token}`;
    }
    return headers;
  }

  private record(attempt: SandboxWebhookAttempt): void {
    this.attempts.push(attempt);
    if (this.attempts.length > MAX_RECORDED_ATTEMPTS) {
      this.attempts.splice(0, this.attempts.length - MAX_RECORDED_ATTEMPTS);
    }
  }
}
