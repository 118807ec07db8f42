import type {
  ConnectionUpdateData,
  EvolutionMessageStatus,
  MessagesUpdateData,
  MessagesUpsertData,
  QrCodeUpdatedData,
  SendTextResponseBody,
} from '@telenexus/evolution';
import { EVOLUTION_MESSAGE_STATUSES, normalizeEventName, userJid } from '@telenexus/evolution';
import { EvolutionHttpError, evolutionErrorBody } from './evolution-http-error';
import {
  FaultInjector,
  isSandboxFaultKind,
  type SandboxFault,
  type SandboxFaultProbabilities,
} from './fault-injector';
import type { FindMessagesBody, FindStatusBody, SendTextBody, WebhookBody } from './request-validation';
import { SandboxControlError } from './sandbox-control-error';
import type {
  EvolutionSandboxControl,
  SandboxFaultState,
  SandboxIncomingInput,
  SandboxInstanceInput,
  SandboxReceiptInput,
} from './sandbox-control';
import type { SandboxLogger, SandboxSettings, WebhookRetryPolicy } from './sandbox-options';
import type {
  SandboxConnectionState,
  SandboxDelivery,
  SandboxDeliveryFilter,
  SandboxInstanceView,
  SandboxStatusRecord,
  SandboxWebhookAttempt,
  SandboxWebhookRow,
} from './sandbox-records';
import { SandboxEventEmitter } from './event-emitter';
import type { EvolutionEventName } from './evolution-event-names';
import {
  newIncomingMessageId,
  newInstanceId,
  newInstanceToken,
  newOutgoingMessageId,
  newOwnerNumber,
  newRowId,
  numberDigits,
} from './whatsapp-ids';
import { WorkTracker } from './work-tracker';
import {
  invalid,
  isConnectionState,
  normaliseNumbers,
  validateFault,
  validateOptionalStrings,
  validateSettings,
} from './control-input-validation';
import { CLOSED_STATUS_REASON, fetchInstanceRow, instanceCreatedBody } from './evolution-rows';
import type { InstanceRecord } from './instance-record';
import { PairingSessions, type PairingOptions, type SandboxQrCode } from './pairing-sessions';

/** What the route must do with a sendText request. */
export type SandboxSendAnswer =
  | {
      readonly action: 'respond';
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Destroy the socket with a TCP reset, answering nothing. */
  | { readonly action: 'reset' }
  /** Never answer. */
  | { readonly action: 'hang' };

export interface SandboxEngineConfig {
  readonly globalApiKey: string;
  readonly autoCreateInstances: boolean;
  readonly settings: SandboxSettings;
  readonly random: () => number;
  readonly now: () => number;
  readonly logger: SandboxLogger;
  readonly webhookRetry: WebhookRetryPolicy;
  readonly webhookTimeoutMs: number;
  readonly serverUrl: string | undefined;
  readonly maxTypingDelayMs: number;
  readonly pairing: PairingOptions;
}

interface SentMessage {
  readonly instance: string;
  readonly remoteJid: string;
  readonly messageId: string;
}

// WhatsApp numbers are 7–15 digits with country code (E.164); anything else cannot exist.
const MIN_NUMBER_DIGITS = 7;
const MAX_NUMBER_DIGITS = 15;
const NEVER_CONNECTED_MESSAGE = "Cannot read properties of undefined (reading 'onWhatsApp')";
/** Baileys' DisconnectReason.loggedOut: the number must be paired again with a QR code. */
const LOGGED_OUT_STATUS_REASON = 401;
/** Baileys' DisconnectReason.badSession, which Evolution reports when the QR code limit is reached. */
const BAD_SESSION_STATUS_REASON = 500;
const QR_LIMIT_MESSAGE = 'QR code limit reached, please login again';

/**
 * The imitation of Evolution and of WhatsApp behind it: instances, sends, the delivery ledger,
 * receipts and webhooks. HTTP-free, so both the Evolution routes and the control API drive it.
 */
export class SandboxEngine implements EvolutionSandboxControl {
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly missingNumbers = new Set<string>();
  private ledger: SandboxDelivery[] = [];
  private statuses: SandboxStatusRecord[] = [];
  private readonly sent = new Map<string, SentMessage>();
  private current: SandboxSettings;
  private readonly faultInjector: FaultInjector;
  private readonly work: WorkTracker;
  private readonly dispatcher: SandboxEventEmitter;
  private readonly pairings: PairingSessions;
  private boundUrl: string | undefined;

  constructor(private readonly config: SandboxEngineConfig) {
    this.current = config.settings;
    this.faultInjector = new FaultInjector(config.random);
    this.work = new WorkTracker((error) =>
      config.logger.error('sandbox background task failed', { error: errorMessage(error) }),
    );
    this.dispatcher = new SandboxEventEmitter({
      work: this.work,
      now: config.now,
      logger: config.logger,
      retry: config.webhookRetry,
      timeoutMs: config.webhookTimeoutMs,
    });
    this.pairings = new PairingSessions(
      config.pairing,
      {
        onQrCode: (name, qr) => this.announceQrCode(name, qr),
        onLimitReached: (name) => this.giveUpPairing(name),
      },
      config.logger,
    );
  }

  /** Waits the configured network latency (cut short when the sandbox closes). */
  async applyLatency(): Promise<void> {
    await this.work.sleep(this.current.latencyMs);
  }

  /** Where `listen` bound, for `server_url` unless the options fixed one. */
  setBoundUrl(url: string): void {
    this.boundUrl ??= url;
  }

  // ---- Evolution-side operations (called by the Evolution routes) ----

  /** The instance a route names; auto-created (connected) when the sandbox is in that mode. */
  resolveInstance(name: string): InstanceRecord | undefined {
    const existing = this.instances.get(name);
    if (existing || !this.config.autoCreateInstances) return existing;
    this.config.logger.info('instance auto-created', { instance: name });
    return this.addInstance({ name, state: 'open' }, 'WHATSAPP-BAILEYS');
  }

  isGlobalKey(apikey: string | undefined): boolean {
    return apikey !== undefined && apikey === this.config.globalApiKey;
  }

  /** Evolution accepts the global key or, for routes naming an instance, that instance's token. */
  isAuthorized(apikey: string | undefined, instance: InstanceRecord): boolean {
    return this.isGlobalKey(apikey) || (apikey !== undefined && apikey === instance.token);
  }

  instanceByToken(token: string | undefined): InstanceRecord | undefined {
    if (token === undefined) return undefined;
    for (const instance of this.instances.values()) if (instance.token === token) return instance;
    return undefined;
  }

  allInstances(): InstanceRecord[] {
    return [...this.instances.values()];
  }

  /** `POST /instance/create`: a real Evolution instance starts unpaired (`close`, never connected). */
  createFromEvolution(input: {
    instanceName: string;
    token?: string;
    integration: string;
    number?: string;
  }): object {
    if (this.instances.has(input.instanceName)) {
      throw new EvolutionHttpError(403, [`This name "${input.instanceName}" is already in use.`]);
    }
    const record = this.addInstance(
      {
        name: input.instanceName,
        state: this.config.autoCreateInstances ? 'open' : 'close',
        ...(input.token === undefined ? {} : { token: input.token }),
        ...(input.number === undefined ? {} : { number: input.number }),
      },
      input.integration,
    );
    return instanceCreatedBody(record);
  }

  /** One row of `GET /instance/fetchInstances`. */
  fetchInstanceRow(record: InstanceRecord): object {
    return fetchInstanceRow(record, this.ledger.filter((entry) => entry.instance === record.name).length);
  }

  setWebhook(record: InstanceRecord, body: WebhookBody): SandboxWebhookRow {
    const nowIso = new Date(this.config.now()).toISOString();
    const row: SandboxWebhookRow = {
      id: record.webhook?.id ?? newRowId(),
      url: body.url,
      headers: body.headers,
      enabled: body.enabled,
      events: body.events,
      webhookByEvents: body.byEvents,
      webhookBase64: body.base64,
      createdAt: record.webhook?.createdAt ?? nowIso,
      updatedAt: nowIso,
      instanceId: record.id,
    };
    record.webhook = row;
    return row;
  }

  /**
   * `POST /chat/findMessages/{name}`: the messages this instance sent (the only ones the sandbox
   * stores), newest first, a page at a time, shaped like Evolution's Message rows.
   */
  findMessages(record: InstanceRecord, query: FindMessagesBody): object {
    if (query.fromMe === false) return messagePage([], query);
    const rows = this.ledger
      .filter(
        (entry) =>
          entry.instance === record.name &&
          (query.remoteJid === undefined || userJid(entry.number) === query.remoteJid) &&
          (query.fromMs === undefined || entry.receivedAt >= query.fromMs) &&
          (query.toMs === undefined || entry.receivedAt <= query.toMs),
      )
      .sort((a, b) => b.receivedAt - a.receivedAt)
      .map((entry) => ({
        id: this.sent.get(entry.id)?.messageId ?? entry.id,
        key: { id: entry.id, remoteJid: userJid(entry.number), fromMe: true },
        pushName: record.profileName,
        messageType: 'conversation',
        message: { conversation: entry.text },
        messageTimestamp: Math.floor(entry.receivedAt / 1000),
        instanceId: record.id,
        source: 'web',
      }));
    return messagePage(rows, query);
  }

  findStatus(record: InstanceRecord, query: FindStatusBody): SandboxStatusRecord[] {
    const rows = this.statuses.filter(
      (row) =>
        row.instanceId === record.id &&
        (query.id === undefined || row.keyId === query.id) &&
        (query.remoteJid === undefined || row.remoteJid === query.remoteJid),
    );
    return query.limit === undefined ? rows : rows.slice(0, Math.max(0, query.limit));
  }

  /**
   * `GET /instance/connect/{name}`, as Evolution's `connectToWhatsapp` answers by state: `open` →
   * the connectionState body; `connecting` → the QR code shown now; `close` → a new session starts
   * (`connection.update` connecting) and its first QR code is answered. With `number`, every QR
   * code comes with a pairing code.
   */
  connect(record: InstanceRecord, number: string | undefined): object {
    if (record.state === 'open') return { instance: { instanceName: record.name, state: record.state } };
    if (record.state === 'close') {
      record.state = 'connecting';
      const data: ConnectionUpdateData = { instance: record.name, state: 'connecting', statusReason: 200 };
      this.emit(record, 'CONNECTION_UPDATE', data);
      const digits = number === undefined ? '' : numberDigits(number);
      this.pairings.start(record.name, digits === '' ? null : digits);
    }
    return qrCodeBody(this.pairings.current(record.name));
  }

  /**
   * `DELETE /instance/logout/{name}`: the number is logged out (`connection.update` close, 401), or
   * 400 when the instance is not connected.
   */
  logout(record: InstanceRecord): object {
    if (record.state === 'close') {
      throw new EvolutionHttpError(400, [`The "${record.name}" instance is not connected`]);
    }
    this.changeState(record, 'close', LOGGED_OUT_STATUS_REASON);
    return { status: 'SUCCESS', error: false, response: { message: 'Instance logged out' } };
  }

  /** sendText after the guards and schema: faults, connection, number check, delivery. */
  async send(record: InstanceRecord, body: SendTextBody): Promise<SandboxSendAnswer> {
    const fault = this.faultInjector.next(record.name);
    if (fault) this.config.logger.debug('fault injected', { instance: record.name, fault: fault.kind });
    switch (fault?.kind) {
      case 'resetBeforeAccept':
        return { action: 'reset' };
      case 'connectionClosed500':
        return respondError(500, 'Connection Closed');
      case 'rateLimit429':
        return {
          action: 'respond',
          status: 429,
          body: evolutionErrorBody(429, 'Too Many Requests'),
          headers: { 'Retry-After': String(fault.retryAfterSeconds ?? 1) },
        };
      case 'notOnWhatsApp':
        return this.notOnWhatsAppAnswer(body.number);
      case 'http500':
        if (!fault.delivered) return respondError(500, 'Internal Server Error');
        break;
      default:
        break;
    }

    if (record.state !== 'open') {
      // A never-paired instance has no Baileys socket at all; Evolution trips over it.
      return respondError(
        500,
        record.state === 'close' && !record.everConnected ? NEVER_CONNECTED_MESSAGE : 'Connection Closed',
      );
    }
    const digits = numberDigits(body.number);
    if (
      digits.length < MIN_NUMBER_DIGITS ||
      digits.length > MAX_NUMBER_DIGITS ||
      this.missingNumbers.has(digits)
    ) {
      return this.notOnWhatsAppAnswer(body.number);
    }
    if (body.delay !== undefined && body.delay > 0) {
      // Evolution holds the request open while "typing…" shows.
      const elapsed = await this.work.sleep(Math.min(body.delay, this.config.maxTypingDelayMs));
      if (!elapsed) return { action: 'reset' };
    }

    const response = this.deliver(record, digits, body.text);
    switch (fault?.kind) {
      case 'acceptThenReset':
        return { action: 'reset' };
      case 'acceptThenHang':
        return { action: 'hang' };
      case 'http500':
        return respondError(500, 'Internal Server Error');
      default:
        return { action: 'respond', status: 201, body: response };
    }
  }

  // ---- control API ----

  createInstance(input: SandboxInstanceInput): SandboxInstanceView {
    if (typeof input.name !== 'string' || input.name === '') throw invalid('name must be a non-empty string');
    if (this.instances.has(input.name)) {
      throw new SandboxControlError('conflict', `Instance "${input.name}" already exists`);
    }
    if (input.state !== undefined && !isConnectionState(input.state)) {
      throw invalid('state must be open, connecting or close');
    }
    validateOptionalStrings(input, ['token', 'number', 'profileName']);
    return this.view(this.addInstance(input, 'WHATSAPP-BAILEYS'));
  }

  listInstances(): SandboxInstanceView[] {
    return this.allInstances().map((record) => this.view(record));
  }

  setConnectionState(
    name: string,
    state: SandboxConnectionState,
    statusReason?: number,
  ): SandboxInstanceView {
    if (!isConnectionState(state)) throw invalid('state must be open, connecting or close');
    if (statusReason !== undefined && !Number.isInteger(statusReason)) {
      throw invalid('statusReason must be an integer');
    }
    const record = this.requireInstance(name);
    this.changeState(record, state, statusReason ?? (state === 'close' ? CLOSED_STATUS_REASON : 200));
    return this.view(record);
  }

  disconnect(name: string, statusReason: number = LOGGED_OUT_STATUS_REASON): SandboxInstanceView {
    return this.setConnectionState(name, 'close', statusReason);
  }

  scanQrCode(name: string): SandboxInstanceView {
    const record = this.requireInstance(name);
    if (!this.pairings.current(record.name)) {
      throw new SandboxControlError(
        'conflict',
        `The "${record.name}" instance shows no QR code to scan: connect it first (GET /instance/connect)`,
      );
    }
    this.changeState(record, 'open', 200);
    return this.view(record);
  }

  markNotOnWhatsApp(numbers: readonly string[]): string[] {
    for (const digits of normaliseNumbers(numbers)) this.missingNumbers.add(digits);
    return this.notOnWhatsApp();
  }

  markOnWhatsApp(numbers: readonly string[]): string[] {
    for (const digits of normaliseNumbers(numbers)) this.missingNumbers.delete(digits);
    return this.notOnWhatsApp();
  }

  notOnWhatsApp(): string[] {
    return [...this.missingNumbers];
  }

  settings(): SandboxSettings {
    return this.current;
  }

  updateSettings(patch: Partial<SandboxSettings>): SandboxSettings {
    if (typeof patch !== 'object' || patch === null) throw invalid('settings must be an object');
    const next: SandboxSettings = {
      latencyMs: patch.latencyMs ?? this.current.latencyMs,
      serverAckMs: patch.serverAckMs !== undefined ? patch.serverAckMs : this.current.serverAckMs,
      deliveryAckMs: patch.deliveryAckMs !== undefined ? patch.deliveryAckMs : this.current.deliveryAckMs,
      readMs: patch.readMs !== undefined ? patch.readMs : this.current.readMs,
      readProbability: patch.readProbability ?? this.current.readProbability,
    };
    validateSettings(next);
    this.current = Object.freeze(next);
    return this.current;
  }

  enqueueFaults(faults: readonly SandboxFault[]): number {
    const list: unknown = faults;
    if (!Array.isArray(list)) throw invalid('faults must be an array');
    faults.forEach(validateFault);
    return this.faultInjector.enqueue(faults.map((fault) => ({ ...fault })));
  }

  setFaultProbabilities(probabilities: SandboxFaultProbabilities): SandboxFaultState {
    if (typeof probabilities !== 'object' || probabilities === null) {
      throw invalid('probabilities must be an object');
    }
    for (const [kind, chance] of Object.entries(probabilities)) {
      if (!isSandboxFaultKind(kind)) throw invalid(`unknown fault kind "${kind}"`);
      if (typeof chance !== 'number' || !(chance >= 0 && chance <= 1)) {
        throw invalid(`probability of ${kind} must be between 0 and 1`);
      }
    }
    this.faultInjector.setProbabilities(probabilities);
    return this.faults();
  }

  faults(): SandboxFaultState {
    return this.faultInjector.snapshot();
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  deliveries(filter: SandboxDeliveryFilter = {}): SandboxDelivery[] {
    return this.ledger.filter(
      (entry) =>
        (filter.instance === undefined || entry.instance === filter.instance) &&
        (filter.since === undefined || entry.receivedAt >= filter.since),
    );
  }

  deliveryCount(filter: SandboxDeliveryFilter = {}): number {
    return filter.instance === undefined && filter.since === undefined
      ? this.ledger.length
      : this.deliveries(filter).length;
  }

  statusUpdates(keyId?: string): SandboxStatusRecord[] {
    return keyId === undefined ? [...this.statuses] : this.statuses.filter((row) => row.keyId === keyId);
  }

  emitReceipt(input: SandboxReceiptInput): SandboxStatusRecord {
    if (typeof input.keyId !== 'string' || input.keyId === '') {
      throw invalid('keyId must be a non-empty string');
    }
    if (!(EVOLUTION_MESSAGE_STATUSES as readonly string[]).includes(input.status)) {
      throw invalid(`status must be one of ${EVOLUTION_MESSAGE_STATUSES.join(', ')}`);
    }
    if (input.remoteJid !== undefined && typeof input.remoteJid !== 'string') {
      throw invalid('remoteJid must be a string');
    }
    const record = this.requireInstance(input.instance);
    const sent = this.sent.get(input.keyId);
    return this.recordStatus(record, input.keyId, input.status, {
      instance: record.name,
      remoteJid: input.remoteJid ?? sent?.remoteJid ?? '0@s.whatsapp.net',
      messageId: sent?.messageId ?? newRowId(),
    });
  }

  simulateIncoming(input: SandboxIncomingInput): MessagesUpsertData {
    if (typeof input.text !== 'string') throw invalid('text must be a string');
    const digits = typeof input.number === 'string' ? numberDigits(input.number) : '';
    if (digits === '') throw invalid('number must contain digits');
    validateOptionalStrings(input, ['pushName', 'id']);
    const record = this.requireInstance(input.instance);
    const data: MessagesUpsertData = {
      key: { remoteJid: userJid(digits), fromMe: false, id: input.id ?? newIncomingMessageId() },
      pushName: input.pushName ?? 'Customer',
      status: 'DELIVERY_ACK',
      message: { conversation: input.text },
      messageType: 'conversation',
      messageTimestamp: Math.floor(this.config.now() / 1000),
      instanceId: record.id,
      source: 'android',
    };
    this.emit(record, 'MESSAGES_UPSERT', data);
    return data;
  }

  webhookAttempts(): SandboxWebhookAttempt[] {
    return this.dispatcher.attemptLog();
  }

  whenIdle(): Promise<void> {
    return this.work.whenIdle();
  }

  reset(): void {
    this.pairings.stopAll();
    this.work.cancelAll();
    this.dispatcher.reset();
    this.instances.clear();
    this.missingNumbers.clear();
    this.ledger = [];
    this.statuses = [];
    this.sent.clear();
    this.faultInjector.clear();
    this.current = this.config.settings;
  }

  /** Stops background work for good (timers, in-flight webhook POSTs, keep-alive sockets). */
  close(): void {
    this.pairings.stopAll();
    this.work.cancelAll();
    this.dispatcher.close();
  }

  view(record: InstanceRecord): SandboxInstanceView {
    return {
      name: record.name,
      id: record.id,
      token: record.token,
      state: record.state,
      everConnected: record.everConnected,
      ownerJid: userJid(record.ownerNumber),
      profileName: record.profileName,
      integration: record.integration,
      createdAt: new Date(record.createdAt).toISOString(),
      webhook: record.webhook,
      qrCode: this.pairings.current(record.name) ?? null,
    };
  }

  // ---- internals ----

  private addInstance(input: SandboxInstanceInput, integration: string): InstanceRecord {
    const state = input.state ?? 'open';
    const ownerNumber = input.number !== undefined ? numberDigits(input.number) : '';
    const record: InstanceRecord = {
      name: input.name,
      id: newInstanceId(),
      token: input.token ?? newInstanceToken(),
      state,
      everConnected: state === 'open',
      ownerNumber: ownerNumber === '' ? newOwnerNumber() : ownerNumber,
      profileName: input.profileName ?? input.name,
      integration,
      createdAt: this.config.now(),
      webhook: null,
    };
    this.instances.set(record.name, record);
    return record;
  }

  /** Any state change but the connect route's: a pairing in progress ends; `connection.update` tells. */
  private changeState(record: InstanceRecord, state: SandboxConnectionState, statusReason: number): void {
    this.pairings.stop(record.name);
    record.state = state;
    if (state === 'open') record.everConnected = true;
    // Evolution's order: the owner's details first, then the state (open), or the state alone.
    const data: ConnectionUpdateData =
      state === 'open'
        ? {
            instance: record.name,
            wuid: userJid(record.ownerNumber),
            profileName: record.profileName,
            profilePictureUrl: null,
            state,
            statusReason,
          }
        : { instance: record.name, state, statusReason };
    this.emit(record, 'CONNECTION_UPDATE', data);
    this.config.logger.info('instance state changed', { instance: record.name, state, statusReason });
  }

  private announceQrCode(name: string, qr: SandboxQrCode): void {
    const record = this.instances.get(name);
    if (!record) return;
    const data: QrCodeUpdatedData = {
      qrcode: { instance: name, pairingCode: qr.pairingCode, code: qr.code, base64: qr.base64 },
    };
    this.emit(record, 'QRCODE_UPDATED', data);
  }

  /** Evolution after `QRCODE.LIMIT` codes: says so, reports `refused`, and ends the session (close). */
  private giveUpPairing(name: string): void {
    const record = this.instances.get(name);
    if (!record) return;
    const limit: QrCodeUpdatedData = { message: QR_LIMIT_MESSAGE, statusCode: BAD_SESSION_STATUS_REASON };
    this.emit(record, 'QRCODE_UPDATED', limit);
    const refused: ConnectionUpdateData = {
      instance: name,
      state: 'refused',
      statusReason: CLOSED_STATUS_REASON,
    };
    this.emit(record, 'CONNECTION_UPDATE', refused);
    record.state = 'close';
    this.config.logger.info('QR code limit reached', { instance: name });
  }

  private requireInstance(name: string): InstanceRecord {
    const record = typeof name === 'string' ? this.resolveInstance(name) : undefined;
    if (!record) throw new SandboxControlError('not_found', `The "${String(name)}" instance does not exist`);
    return record;
  }

  private notOnWhatsAppAnswer(number: string): SandboxSendAnswer {
    const digits = numberDigits(number);
    return respondError(400, [{ jid: userJid(digits), exists: false, number }]);
  }

  private deliver(record: InstanceRecord, digits: string, text: string): SendTextResponseBody {
    const keyId = newOutgoingMessageId();
    const remoteJid = userJid(digits);
    const receivedAt = this.config.now();
    this.ledger.push({ id: keyId, instance: record.name, number: digits, text, receivedAt });
    const sent: SentMessage = { instance: record.name, remoteJid, messageId: newRowId() };
    this.sent.set(keyId, sent);
    const response: SendTextResponseBody = {
      key: { remoteJid, fromMe: true, id: keyId },
      pushName: record.profileName,
      status: 'PENDING',
      message: { conversation: text },
      contextInfo: null,
      messageType: 'conversation',
      messageTimestamp: Math.floor(receivedAt / 1000),
      instanceId: record.id,
      source: 'web',
    };
    this.config.logger.debug('message delivered', { instance: record.name, keyId });
    this.emit(record, 'SEND_MESSAGE', response);
    this.scheduleReceipts(keyId, sent);
    return response;
  }

  private scheduleReceipts(keyId: string, sent: SentMessage): void {
    const { serverAckMs, deliveryAckMs, readMs, readProbability } = this.current;
    const plan: [EvolutionMessageStatus, number | null][] = [
      ['SERVER_ACK', serverAckMs],
      ['DELIVERY_ACK', deliveryAckMs],
    ];
    if (readMs !== null && readProbability > 0 && this.config.random() < readProbability) {
      plan.push(['READ', readMs]);
    }
    for (const [status, delayMs] of plan) {
      if (delayMs === null) continue;
      this.work.schedule(delayMs, () => {
        // The instance may have been reset away meanwhile; then WhatsApp's receipt has nowhere to go.
        const record = this.instances.get(sent.instance);
        if (record) this.recordStatus(record, keyId, status, sent);
      });
    }
  }

  private recordStatus(
    record: InstanceRecord,
    keyId: string,
    status: EvolutionMessageStatus,
    sent: SentMessage,
  ): SandboxStatusRecord {
    const row: SandboxStatusRecord = {
      id: newRowId(),
      keyId,
      remoteJid: sent.remoteJid,
      fromMe: true,
      participant: null,
      pollUpdates: null,
      status,
      messageId: sent.messageId,
      instanceId: record.id,
    };
    this.statuses.push(row);
    const data: MessagesUpdateData = {
      keyId,
      remoteJid: sent.remoteJid,
      fromMe: true,
      participant: null,
      status,
      instanceId: record.id,
      messageId: sent.messageId,
    };
    this.emit(record, 'MESSAGES_UPDATE', data);
    return row;
  }

  private emit(record: InstanceRecord, event: EvolutionEventName, data: unknown): void {
    const webhook = record.webhook;
    if (!webhook || !webhook.enabled || !webhook.events.includes(event)) return;
    this.dispatcher.dispatch(webhook, {
      // `MESSAGES_UPDATE` → `messages.update`, the name used inside webhook payloads.
      event: normalizeEventName(event),
      instance: record.name,
      data,
      destination: webhook.url,
      date_time: new Date(this.config.now()).toISOString(),
      sender: userJid(record.ownerNumber),
      server_url: this.config.serverUrl ?? this.boundUrl ?? 'http://127.0.0.1',
      apikey: record.token,
    });
  }
}

/** Evolution's `qrCode` getter: `{pairingCode, code, base64, count}`, or `{"count":0}` before the first. */
function qrCodeBody(qr: SandboxQrCode | undefined): object {
  return qr
    ? { pairingCode: qr.pairingCode, code: qr.code, base64: qr.base64, count: qr.count }
    : { count: 0 };
}

function respondError(status: number, message: unknown): SandboxSendAnswer {
  return { action: 'respond', status, body: evolutionErrorBody(status, message) };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Evolution's paged answer to `findMessages`. */
function messagePage(rows: readonly object[], query: FindMessagesBody): object {
  const start = (query.page - 1) * query.offset;
  return {
    messages: {
      total: rows.length,
      pages: Math.ceil(rows.length / query.offset),
      currentPage: query.page,
      records: rows.slice(start, start + query.offset),
    },
  };
}
