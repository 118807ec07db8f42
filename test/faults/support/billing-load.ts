import { randomUUID } from 'node:crypto';
import type { FaultHarness } from './fault-harness';

/** What a billing system finally got for one notification. */
export interface Answer {
  readonly invoiceId: string;
  /** The last HTTP status, or 0 when no answer came at all. */
  readonly status: number;
  readonly messageId?: string;
  /** 503s the client waited out before this answer. */
  readonly retried: number;
}

export interface LoadOptions {
  readonly count: number;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** Pause between one client's requests, spreading the load over the scenario's faults. */
  readonly pauseMs?: number;
  /** 503s (and lost connections) a client retries before giving up, as billing systems should. */
  readonly retries?: number;
  /**
   * Post each notification twice at once, as a billing system whose client retried without waiting
   * for the first answer: both requests must get the same message.
   */
  readonly twice?: boolean;
}

/**
 * Posts notifications to ingress like billing systems do — unique invoices, a few at a time,
 * retrying 503 after Retry-After — and remembers every final answer for the invariant check.
 */
export class BillingLoad {
  readonly answers: Answer[] = [];
  private readonly run = randomUUID().slice(0, 8);
  private sent = 0;

  constructor(private readonly harness: FaultHarness) {}

  async post(options: LoadOptions): Promise<void> {
    const concurrency = options.concurrency ?? 4;
    const perClient = Math.ceil(options.count / concurrency);
    await Promise.all(
      Array.from({ length: concurrency }, async (_, client) => {
        for (let index = 0; index < perClient && client * perClient + index < options.count; index += 1) {
          this.answers.push(...(await this.postOne(options.retries ?? 20, options.twice ?? false)));
          if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
        }
      }),
    );
  }

  /** Posts the same notifications again, as a billing system resubmits ones that failed. */
  async resubmit(invoiceIds: readonly string[]): Promise<void> {
    for (const invoiceId of invoiceIds) this.answers.push(await this.postInvoice(invoiceId, 20));
  }

  private postOne(retries: number, twice: boolean): Promise<Answer[]> {
    this.sent += 1;
    const invoiceId = `F-${this.run}-${this.sent}`;
    return Promise.all(Array.from({ length: twice ? 2 : 1 }, () => this.postInvoice(invoiceId, retries)));
  }

  private async postInvoice(invoiceId: string, retries: number): Promise<Answer> {
    const { tenant } = this.harness;
    let retried = 0;
    for (;;) {
      let status = 0;
      let messageId: string | undefined;
      let retryAfterMs = 200;
      try {
        const response = await fetch(
          `${this.harness.ingress.baseUrl}/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`,
          {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tenant.apiKey}` },
            body: JSON.stringify({
              phone_number: '254712345678',
              customer_name: 'Fault Drill',
              amount: 100,
              currency: 'KES',
              invoice_id: invoiceId,
              message_type: 'invoice',
            }),
            signal: AbortSignal.timeout(10_000),
          },
        );
        status = response.status;
        const body = (await response.json()) as { message_id?: string };
        messageId = body.message_id;
        retryAfterMs = Math.min(1000, Number(response.headers.get('retry-after') ?? '0.2') * 1000);
      } catch {
        status = 0;
      }
      if ((status === 503 || status === 0) && retried < retries) {
        retried += 1;
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
        continue;
      }
      return { invoiceId, status, retried, ...(messageId ? { messageId } : {}) };
    }
  }
}
