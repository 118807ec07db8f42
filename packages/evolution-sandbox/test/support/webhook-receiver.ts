import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

interface Waiter {
  readonly predicate: (webhook: ReceivedWebhook) => boolean;
  readonly count: number;
  readonly resolve: (matches: ReceivedWebhook[]) => void;
}

/**
 * A tiny HTTP server standing in for our webhook endpoint: records every POST, answers with
 * scripted statuses, and lets tests await arrivals instead of sleeping.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly statuses: number[] = [];
  private waiters: Waiter[] = [];

  private readonly server: http.Server;
  private port = 0;

  private constructor() {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(this.statuses.shift() ?? 200, { 'content-type': 'application/json' }).end('{}');
        this.record({
          path: request.url ?? '/',
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
        });
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/evolution`;
  }

  /** The next POSTs get these statuses, in order; later ones get 200. */
  respondWith(...statuses: number[]): void {
    this.statuses.push(...statuses);
  }

  /** Resolves with the first `count` webhooks that match, counting those already received. */
  waitFor(predicate: (webhook: ReceivedWebhook) => boolean, count = 1): Promise<ReceivedWebhook[]> {
    return new Promise((resolve) => {
      this.waiters.push({ predicate, count, resolve });
      this.check();
    });
  }

  /** Webhooks of one event for one instance. */
  of(event: string, instance: string): ReceivedWebhook[] {
    return this.received.filter(
      (webhook) => webhook.body.event === event && webhook.body.instance === instance,
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(webhook: ReceivedWebhook): void {
    this.received.push(webhook);
    this.check();
  }

  private check(): void {
    this.waiters = this.waiters.filter((waiter) => {
      const matches = this.received.filter(waiter.predicate);
      if (matches.length < waiter.count) return true;
      waiter.resolve(matches.slice(0, waiter.count));
      return false;
    });
  }
}

/** Matches webhooks by event and instance. */
export function webhookOf(event: string, instance: string): (webhook: ReceivedWebhook) => boolean {
  return (webhook) => webhook.body.event === event && webhook.body.instance === instance;
}
