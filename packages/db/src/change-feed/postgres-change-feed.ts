import { Client } from 'pg';

/** The channel `api_keys`' trigger announces changed lookup prefixes on (migration 1795881000000). */
export const API_KEY_CHANGES_CHANNEL = 'telenexus_api_key_changes';

/** The channel `instances`' trigger announces changed instance ids on (migration 1795882000000). */
export const INSTANCE_CHANGES_CHANNEL = 'telenexus_instance_changes';

/** The channel an account's wording changes are announced on, with its id (migration 1795887000000). */
export const WORDING_CHANGES_CHANNEL = 'telenexus_wording_changes';

/** Changes announced by the database, for caches that must forget what changed at once. */
export interface ChangeFeed {
  /** True while announcements are heard: a cache may trust what it holds only while this is so. */
  readonly listening: boolean;
  /** Called with each announcement's payload and the channel it came on. */
  onChange(listener: (payload: string, channel: string) => void): void;
  /** Called when listening stops or starts again: announcements may have been missed meanwhile. */
  onInterruption(listener: () => void): void;
}

export interface PostgresChangeFeedOptions {
  readonly url: string;
  readonly channels: readonly string[];
  readonly applicationName?: string;
  /** Told when the connection fails and when it is back. */
  readonly onConnectionChange?: (listening: boolean, error?: Error) => void;
  /** Wait before reconnecting, doubling to `maxReconnectMs`. Default 500 ms. */
  readonly reconnectMs?: number;
  readonly maxReconnectMs?: number;
}

/**
 * `LISTEN`s on its channels over one connection of its own (a pooled connection cannot hold a
 * `LISTEN`), and reconnects with growing gaps when it drops. Every stop or restart of listening is
 * reported as an interruption, since announcements made meanwhile were not heard.
 */
export class PostgresChangeFeed implements ChangeFeed {
  private client: Client | undefined;
  private isListening = false;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private readonly changeListeners: ((payload: string, channel: string) => void)[] = [];
  private readonly interruptionListeners: (() => void)[] = [];

  constructor(private readonly options: PostgresChangeFeedOptions) {}

  get listening(): boolean {
    return this.isListening;
  }

  onChange(listener: (payload: string, channel: string) => void): void {
    this.changeListeners.push(listener);
  }

  onInterruption(listener: () => void): void {
    this.interruptionListeners.push(listener);
  }

  /** Connects and listens; a failure is reported and retried in the background, never thrown. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    this.setListening(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName ?? 'telenexus-change-feed',
    });
    client.on('notification', (message) => {
      if (!this.options.channels.includes(message.channel)) return;
      for (const listener of this.changeListeners) listener(message.payload ?? '', message.channel);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // A channel is an identifier; quoted, so any name the caller picks is taken literally.
      for (const channel of this.options.channels)
        await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.lost(client, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    this.setListening(true);
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== undefined && this.client !== client) return;
    this.client = undefined;
    this.setListening(false, error);
    if (this.stopped || this.reconnectTimer) return;
    const base = this.options.reconnectMs ?? 500;
    const delay = Math.min(this.options.maxReconnectMs ?? 30_000, base * 2 ** Math.min(this.failures, 10));
    this.failures += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopped) void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private setListening(listening: boolean, error?: Error): void {
    const changed = this.isListening !== listening;
    this.isListening = listening;
    // Both ways: what was cached before a drop may be stale, and so may what was read during it.
    for (const listener of this.interruptionListeners) listener();
    if (changed || error) this.options.onConnectionChange?.(listening, error);
  }
}
