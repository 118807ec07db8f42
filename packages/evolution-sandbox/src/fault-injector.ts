/** Failures the sandbox can inject into sendText, in the order probabilities are drawn. */
export const SANDBOX_FAULT_KINDS = [
  /** 500 with no explanation (ambiguous to the client); no delivery unless `delivered: true`. */
  'http500',
  /** 500 "Connection Closed", as when the instance's socket is down; no delivery. */
  'connectionClosed500',
  /** 429 with Retry-After, as a proxy in front of Evolution would answer; no delivery. */
  'rateLimit429',
  /** 400 `[{exists: false}]` for whatever number was asked; no delivery. */
  'notOnWhatsApp',
  /** The message is delivered (ledger, webhooks, receipts), then the socket is reset unanswered. */
  'acceptThenReset',
  /** The message is delivered, then the request is never answered. */
  'acceptThenHang',
  /** The socket is reset without delivering. The request was already read, so to the client this looks like acceptThenReset. */
  'resetBeforeAccept',
] as const;

export type SandboxFaultKind = (typeof SANDBOX_FAULT_KINDS)[number];

/** One forced outcome for an upcoming send. */
export interface SandboxFault {
  readonly kind: SandboxFaultKind;
  /** Only a send to this instance consumes the fault; others pass it by. */
  readonly instance?: string;
  /** For `rateLimit429`; default 1. */
  readonly retryAfterSeconds?: number;
  /** For `http500`: deliver the message before failing (a 500 after WhatsApp accepted it). */
  readonly delivered?: boolean;
}

/** A chance per send for each fault kind; drawn only when no forced fault applies. */
export type SandboxFaultProbabilities = Readonly<Partial<Record<SandboxFaultKind, number>>>;

export function isSandboxFaultKind(value: unknown): value is SandboxFaultKind {
  return typeof value === 'string' && (SANDBOX_FAULT_KINDS as readonly string[]).includes(value);
}

/** Decides the fault, if any, for each send: first the FIFO of forced faults, then the dice. */
export class FaultInjector {
  private queue: SandboxFault[] = [];
  private probabilities: SandboxFaultProbabilities = {};

  constructor(private readonly random: () => number) {}

  enqueue(faults: readonly SandboxFault[]): number {
    this.queue.push(...faults);
    return this.queue.length;
  }

  setProbabilities(probabilities: SandboxFaultProbabilities): void {
    this.probabilities = { ...probabilities };
  }

  snapshot(): { readonly queue: readonly SandboxFault[]; readonly probabilities: SandboxFaultProbabilities } {
    return { queue: [...this.queue], probabilities: { ...this.probabilities } };
  }

  clear(): void {
    this.queue = [];
    this.probabilities = {};
  }

  /** Consumes the fault for one send to `instance`, or returns undefined for a normal send. */
  next(instance: string): SandboxFault | undefined {
    const index = this.queue.findIndex(
      (fault) => fault.instance === undefined || fault.instance === instance,
    );
    if (index >= 0) return this.queue.splice(index, 1)[0];
    return this.draw();
  }

  private draw(): SandboxFault | undefined {
    const active = SANDBOX_FAULT_KINDS.filter((kind) => (this.probabilities[kind] ?? 0) > 0);
    // No draw at all when nothing is configured, so tests that script `random` see only their own calls.
    if (active.length === 0) return undefined;
    const roll = this.random();
    let threshold = 0;
    for (const kind of active) {
      threshold += this.probabilities[kind] ?? 0;
      if (roll < threshold) return { kind };
    }
    return undefined;
  }
}
