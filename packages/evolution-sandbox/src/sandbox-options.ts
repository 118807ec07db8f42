/** Anything with leveled methods, e.g. a winston logger. Context never holds phone numbers or texts. */
export interface SandboxLogger {
  debug(message: string, context?: Readonly<Record<string, unknown>>): void;
  info(message: string, context?: Readonly<Record<string, unknown>>): void;
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
  error(message: string, context?: Readonly<Record<string, unknown>>): void;
}

/** The settings the control API can change while the sandbox runs. */
export interface SandboxSettings {
  /** Added before every Evolution route answers (not the control routes). */
  readonly latencyMs: number;
  /** After a send: delay to the SERVER_ACK receipt; null = never. */
  readonly serverAckMs: number | null;
  /** After a send: delay to the DELIVERY_ACK receipt; null = never. */
  readonly deliveryAckMs: number | null;
  /** After a send: delay to the READ receipt (when drawn, see readProbability); null = never. */
  readonly readMs: number | null;
  /** Chance that a message is read at all. */
  readonly readProbability: number;
}

/** How failed webhook POSTs are retried (Evolution: 10 attempts, 5 s doubling to 300 s). */
export interface WebhookRetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface EvolutionSandboxOptions extends Partial<SandboxSettings> {
  /** The server's global key (`apikey` header). Default `sandbox-global-key`. */
  readonly globalApiKey?: string;
  /**
   * When true, an unknown instance name used on any route springs into existence, connected
   * (`open`), and `/instance/create` makes instances `open` as well. A convenience for `npm start`;
   * Evolution itself answers 404. Default false.
   */
  readonly autoCreateInstances?: boolean;
  /** Drives the probabilistic choices only (faults, reads); ids always come from crypto. */
  readonly random?: () => number;
  /** Epoch milliseconds, for timestamps, the ledger and JWT `iat`. Timers still run on real time. */
  readonly now?: () => number;
  readonly logger?: SandboxLogger;
  readonly webhookRetry?: Partial<WebhookRetryPolicy>;
  /** Per webhook POST. Default 10 000. */
  readonly webhookTimeoutMs?: number;
  /** Reported as `server_url` in webhooks; defaults to the address `listen` bound. */
  readonly serverUrl?: string;
  /** Cap on the `delay` (typing) a send may ask for. Default 30 000. */
  readonly maxTypingDelayMs?: number;
  /** While an instance pairs, a new QR code (`qrcode.updated`) every this many ms. Default 20 000. */
  readonly qrRotationMs?: number;
  /** QR codes shown before the pairing gives up, as Evolution's `QRCODE.LIMIT`. Default 30. */
  readonly qrLimit?: number;
}

export const DEFAULT_SANDBOX_API_KEY = 'sandbox-global-key';

export const DEFAULT_SANDBOX_SETTINGS: SandboxSettings = Object.freeze({
  latencyMs: 0,
  serverAckMs: 100,
  deliveryAckMs: 500,
  readMs: 2_000,
  readProbability: 0.5,
});

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
});

export const NOOP_LOGGER: SandboxLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
