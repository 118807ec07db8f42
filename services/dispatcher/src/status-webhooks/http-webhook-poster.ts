import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { isAxiosError, type AxiosInstance } from 'axios';
import { parseWebhookUrl } from '@telenexus/core';
import { keepAliveAgentOptions, parseRetryAfter } from '@telenexus/evolution';
import { guardedLookup, type AllAddressesLookup } from './guarded-lookup';
import type { WebhookPoster, WebhookPostRequest, WebhookPostResult } from './webhook-poster';

export interface HttpWebhookPosterOptions {
  /** Hard deadline per POST, connect included. */
  readonly timeoutMs: number;
  /** `WEBHOOK_ALLOW_PRIVATE_URLS`: send to http and non-public addresses (local testing only). */
  readonly allowPrivateUrls: boolean;
  /** Resolves hosts for the connect-time address check; the system resolver by default. */
  readonly resolve?: AllAddressesLookup;
}

// Receivers' answers are not read; this much is drained so the connection can be reused.
const MAX_DRAINED_BYTES = 64 * 1024;
// Servers commonly drop idle keep-alive sockets after 5 s; reusing one they are closing fails a POST.
const FREE_SOCKET_TIMEOUT_MS = 4_000;

/**
 * POSTs webhooks with axios. It never follows redirects (a 3xx is a failed attempt: following one
 * could lead a signed request anywhere), never goes through an environment proxy (which would
 * connect on our behalf, past the address check), and, unless private URLs are allowed, refuses
 * any connection to a non-public address — IP-literal hosts before the request, names at connect
 * time through {@link guardedLookup}.
 */
export class HttpWebhookPoster implements WebhookPoster {
  private readonly http: AxiosInstance;
  private readonly agents: readonly (http.Agent | https.Agent)[];

  constructor(private readonly options: HttpWebhookPosterOptions) {
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new TypeError('timeoutMs must be a positive number');
    }
    const lookup = options.allowPrivateUrls ? {} : { lookup: guardedLookup(options.resolve) };
    const httpAgent = new http.Agent({ ...keepAliveAgentOptions(FREE_SOCKET_TIMEOUT_MS), ...lookup });
    const httpsAgent = new https.Agent({ ...keepAliveAgentOptions(FREE_SOCKET_TIMEOUT_MS), ...lookup });
    this.agents = [httpAgent, httpsAgent];
    this.http = axios.create({
      timeout: options.timeoutMs,
      maxRedirects: 0,
      proxy: false,
      httpAgent,
      httpsAgent,
      validateStatus: () => true,
      responseType: 'stream',
      decompress: false,
    });
  }

  async post(request: WebhookPostRequest): Promise<WebhookPostResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const target = parseWebhookUrl(request.url, { allowPrivateUrls: this.options.allowPrivateUrls });
    if (!target.ok) return { kind: 'failed', error: `Refused to send: url ${target.reason}`, durationMs: 0 };
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.http.post<Readable>(target.href, Buffer.from(request.body, 'utf8'), {
        headers: { ...request.headers },
        signal: deadline,
      });
      const durationMs = elapsed();
      discard(response.data);
      return {
        kind: 'answered',
        statusCode: response.status,
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
        durationMs,
      };
    } catch (error) {
      return { kind: 'failed', error: this.describe(error, deadline.aborted), durationMs: elapsed() };
    }
  }

  /** Closes kept-alive connections. */
  close(): void {
    for (const agent of this.agents) agent.destroy();
  }

  private describe(error: unknown, timedOut: boolean): string {
    if (timedOut || (isAxiosError(error) && error.code === 'ECONNABORTED')) {
      return `Timed out after ${this.options.timeoutMs} ms`;
    }
    const cause = isAxiosError(error) && error.cause instanceof Error ? error.cause : error;
    return cause instanceof Error ? cause.message : String(cause);
  }
}

/** Reads and drops a response body, up to a bound past which the connection is simply closed. */
function discard(body: Readable): void {
  let received = 0;
  body.on('error', () => undefined);
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_DRAINED_BYTES) body.destroy();
  });
}
