import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as the receiver got it, with the body's exact bytes. */
export interface ReceivedPost {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  readonly receivedAt: number;
}

/** A scripted answer: a status and extra headers. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A billing system's webhook endpoint on loopback: records every POST byte for byte and answers
 * each path from its script (200 once the script runs out, or the path's default).
 */
export class WebhookReceiver {
  readonly received: ReceivedPost[] = [];
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private readonly defaults = new Map<string, ScriptedAnswer>();
  private readonly server: http.Server;
  private port = 0;

  private constructor() {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.received.push({
          path,
          headers: request.headers,
          rawBody: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
        });
        const answer = this.scripts.get(path)?.shift() ?? this.defaults.get(path) ?? { status: 200 };
        response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end('ok');
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.port = (receiver.server.address() as AddressInfo).port;
    return receiver;
  }

  /** The receiver's port on 127.0.0.1. */
  get listeningPort(): number {
    return this.port;
  }

  /** A URL on the receiver; `host` replaces 127.0.0.1 (a name, for the address checks). */
  url(path: string, scheme = 'http', host = '127.0.0.1'): string {
    return `${scheme}://${host}:${this.port}${path}`;
  }

  /** The next POSTs to `path` get these answers, in order. */
  script(path: string, ...answers: ScriptedAnswer[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...answers]);
  }

  /** Answers every POST to `path` this way once its script has run out. */
  answerAlways(path: string, answer: ScriptedAnswer): void {
    this.defaults.set(path, answer);
  }

  to(path: string): ReceivedPost[] {
    return this.received.filter((post) => post.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
