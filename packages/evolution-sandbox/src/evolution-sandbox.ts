import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { SANDBOX_CONTROL_PATH, controlRouter } from './control-routes';
import { evolutionRouter } from './evolution-routes';
import type { EvolutionSandboxControl } from './sandbox-control';
import { SandboxEngine } from './sandbox-engine';
import {
  DEFAULT_SANDBOX_API_KEY,
  DEFAULT_SANDBOX_SETTINGS,
  DEFAULT_WEBHOOK_RETRY,
  NOOP_LOGGER,
  type EvolutionSandboxOptions,
  type SandboxSettings,
} from './sandbox-options';

/** A listening sandbox. */
export interface SandboxServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops the sandbox's background work and this server, dropping open connections. */
  close(): Promise<void>;
}

/**
 * An imitation of Evolution API v2 (and of WhatsApp behind it) for local runs, tests, benchmarks
 * and fault drills. `app` serves Evolution's routes plus the control routes under `/__sandbox`;
 * the control API is also callable directly.
 */
export interface EvolutionSandbox extends EvolutionSandboxControl {
  /** The express app, for supertest; it never listens by itself. */
  readonly app: Express;
  readonly globalApiKey: string;
  /** Listens on `port` (0 = a free one) and `host` (default 127.0.0.1). */
  listen(port?: number, host?: string): Promise<SandboxServer>;
  /** Stops background work (receipts, webhooks) and every server `listen` started. */
  close(): Promise<void>;
}

const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_TYPING_DELAY_MS = 30_000;
const DEFAULT_QR_ROTATION_MS = 20_000;
const DEFAULT_QR_LIMIT = 30;

/** Builds a sandbox; nothing listens until `listen` is called. */
export function createEvolutionSandbox(options: EvolutionSandboxOptions = {}): EvolutionSandbox {
  const settings: SandboxSettings = Object.freeze({
    latencyMs: options.latencyMs ?? DEFAULT_SANDBOX_SETTINGS.latencyMs,
    serverAckMs:
      options.serverAckMs !== undefined ? options.serverAckMs : DEFAULT_SANDBOX_SETTINGS.serverAckMs,
    deliveryAckMs:
      options.deliveryAckMs !== undefined ? options.deliveryAckMs : DEFAULT_SANDBOX_SETTINGS.deliveryAckMs,
    readMs: options.readMs !== undefined ? options.readMs : DEFAULT_SANDBOX_SETTINGS.readMs,
    readProbability: options.readProbability ?? DEFAULT_SANDBOX_SETTINGS.readProbability,
  });
  const globalApiKey = options.globalApiKey ?? DEFAULT_SANDBOX_API_KEY;
  if (globalApiKey === '') throw new TypeError('globalApiKey must not be empty');
  const engine = new SandboxEngine({
    globalApiKey,
    autoCreateInstances: options.autoCreateInstances ?? false,
    settings,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    logger: options.logger ?? NOOP_LOGGER,
    webhookRetry: { ...DEFAULT_WEBHOOK_RETRY, ...options.webhookRetry },
    webhookTimeoutMs: options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    serverUrl: options.serverUrl,
    maxTypingDelayMs: options.maxTypingDelayMs ?? DEFAULT_MAX_TYPING_DELAY_MS,
    pairing: {
      rotationMs: options.qrRotationMs ?? DEFAULT_QR_ROTATION_MS,
      limit: options.qrLimit ?? DEFAULT_QR_LIMIT,
    },
  });
  // Validates the starting settings with the same rules as the control API.
  engine.updateSettings(settings);

  const app = express();
  app.disable('x-powered-by');
  app.use(SANDBOX_CONTROL_PATH, controlRouter(engine));
  app.use(evolutionRouter(engine));

  const servers = new Set<http.Server>();

  const closeServer = async (server: http.Server): Promise<void> => {
    if (!servers.delete(server)) return;
    // Hung requests (acceptThenHang) would otherwise keep close() waiting forever.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const close = async (): Promise<void> => {
    engine.close();
    await Promise.all([...servers].map(closeServer));
  };

  const listen = async (port = 0, host = '127.0.0.1'): Promise<SandboxServer> => {
    const server = http.createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    servers.add(server);
    const address = server.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    engine.setBoundUrl(url);
    return {
      url,
      port: address.port,
      close: async () => {
        engine.close();
        await closeServer(server);
      },
    };
  };

  return {
    app,
    globalApiKey,
    listen,
    close,
    createInstance: (input) => engine.createInstance(input),
    listInstances: () => engine.listInstances(),
    setConnectionState: (name, state, statusReason) => engine.setConnectionState(name, state, statusReason),
    disconnect: (name, statusReason) => engine.disconnect(name, statusReason),
    scanQrCode: (name) => engine.scanQrCode(name),
    markNotOnWhatsApp: (numbers) => engine.markNotOnWhatsApp(numbers),
    markOnWhatsApp: (numbers) => engine.markOnWhatsApp(numbers),
    notOnWhatsApp: () => engine.notOnWhatsApp(),
    settings: () => engine.settings(),
    updateSettings: (patch) => engine.updateSettings(patch),
    enqueueFaults: (faults) => engine.enqueueFaults(faults),
    setFaultProbabilities: (probabilities) => engine.setFaultProbabilities(probabilities),
    faults: () => engine.faults(),
    clearFaults: () => engine.clearFaults(),
    deliveries: (filter) => engine.deliveries(filter),
    deliveryCount: (filter) => engine.deliveryCount(filter),
    statusUpdates: (keyId) => engine.statusUpdates(keyId),
    emitReceipt: (input) => engine.emitReceipt(input),
    simulateIncoming: (input) => engine.simulateIncoming(input),
    webhookAttempts: () => engine.webhookAttempts(),
    whenIdle: () => engine.whenIdle(),
    reset: () => engine.reset(),
  };
}
