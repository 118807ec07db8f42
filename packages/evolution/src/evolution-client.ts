import http from 'node:http';
import https from 'node:https';
import axios, { isAxiosError, type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { ConnectionState } from '@telenexus/core';
import { classifySendResponse } from './classify-send-response';
import { classifyTransportFailure, type TransportFailure } from './classify-transport-failure';
import { parseErrorEnvelope } from './error-envelope';
import { EvolutionRequestError } from './evolution-request-error';
import { keepAliveAgentOptions } from './keep-alive-agent-options';
import type {
  EvolutionGateway,
  EvolutionInstanceSummary,
  EvolutionTokenVerifier,
  FoundMessage,
  InstanceTokenProof,
  SentMessageQuery,
  EvolutionTarget,
  SendTextRequest,
  StatusUpdate,
  WebhookSettings,
} from './evolution-gateway';
import {
  parseConnectAnswer,
  type EvolutionConnectAnswer,
  type EvolutionLogoutResult,
  type EvolutionPairingGateway,
} from './evolution-pairing';
import type { SendOutcome } from './send-outcome';
import { wasRequestWritten, writeTrackingTransport } from './written-request-tracker';

export interface EvolutionHttpClientOptions {
  /** Evolution's base URL, e.g. `https://evolution.internal:8080` (a path prefix is kept). */
  readonly baseUrl: string;
  /** The server's global key; used when a target has no instance token. */
  readonly globalApiKey: string;
  /** Hard deadline per call, connect included. Must exceed any `delay` Evolution is asked to wait. */
  readonly timeoutMs?: number;
  /** Agents to use instead of the client's own keep-alive agents (which `close()` destroys). */
  readonly httpAgent?: http.Agent;
  readonly httpsAgent?: https.Agent;
}

export const DEFAULT_EVOLUTION_TIMEOUT_MS = 15_000;

// Evolution's replies are small; a cap keeps a misbehaving proxy from filling memory.
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
// Node http servers (Evolution included) close idle keep-alive sockets after 5 s. Dropping ours
// sooner avoids writing a request onto a socket the server is closing, which would make the send
// ambiguous for no reason.
const FREE_SOCKET_TIMEOUT_MS = 4_000;

/** `chat/findMessages` pages: 100 messages each, at most 10 read for one search. */
const FIND_MESSAGES_PAGE_SIZE = 100;
const FIND_MESSAGES_MAX_PAGES = 10;

const BAILEYS_STATUS_NAMES = ['ERROR', 'PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED'] as const;

type Exchange =
  | { readonly ok: true; readonly response: AxiosResponse<unknown> }
  | { readonly ok: false; readonly failure: TransportFailure };

/**
 * Evolution API v2 over HTTP. `sendText` classifies every outcome and never throws for HTTP or
 * network failures; the other calls throw {@link EvolutionRequestError}. Nothing is retried here:
 * the queue is the one retry layer.
 */
export class EvolutionHttpClient
  implements EvolutionGateway, EvolutionPairingGateway, EvolutionTokenVerifier
{
  private readonly http: AxiosInstance;
  private readonly globalApiKey: string;
  private readonly timeoutMs: number;
  private readonly ownAgents: readonly (http.Agent | https.Agent)[];

  constructor(options: EvolutionHttpClientOptions) {
    if (options.globalApiKey === '') throw new TypeError('globalApiKey must not be empty');
    this.globalApiKey = options.globalApiKey;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_EVOLUTION_TIMEOUT_MS;
    if (!Number.isFinite(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new TypeError('timeoutMs must be a positive number');
    }
    const httpAgent = options.httpAgent ?? new http.Agent(keepAliveAgentOptions(FREE_SOCKET_TIMEOUT_MS));
    const httpsAgent = options.httpsAgent ?? new https.Agent(keepAliveAgentOptions(FREE_SOCKET_TIMEOUT_MS));
    this.ownAgents = [...(options.httpAgent ? [] : [httpAgent]), ...(options.httpsAgent ? [] : [httpsAgent])];
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: this.timeoutMs,
      // A redirected POST could be replayed elsewhere; and the plain transport is what lets us see
      // whether the request was written (see written-request-tracker).
      maxRedirects: 0,
      transport: writeTrackingTransport,
      httpAgent,
      httpsAgent,
      validateStatus: () => true,
      maxContentLength: MAX_RESPONSE_BYTES,
      responseType: 'json',
      headers: { Accept: 'application/json' },
    });
  }

  /** Sends one text; see {@link classifySendResponse} and {@link classifyTransportFailure}. */
  async sendText(request: SendTextRequest): Promise<SendOutcome> {
    const path = instancePath('/message/sendText/', request.instanceName);
    if (path === undefined) return invalidInstanceName(request.instanceName);
    try {
      const exchange = await this.exchange('POST', path, request, {
        number: request.number,
        text: request.text,
        linkPreview: false,
      });
      if (!exchange.ok) return classifyTransportFailure(exchange.failure);
      const { response } = exchange;
      return classifySendResponse({
        status: response.status,
        body: response.data,
        headers: { ...response.headers },
        number: request.number,
      });
    } catch (error) {
      // Only a bug of ours lands here, after the request may have been made.
      return { kind: 'ambiguous', reason: `Unexpected client error: ${errorMessage(error)}` };
    }
  }

  /** `GET /instance/connectionState/{name}`; states other than open/connecting/close read as `unknown`. */
  async connectionState(target: EvolutionTarget): Promise<ConnectionState> {
    const response = await this.expectSuccess(
      'connectionState',
      'GET',
      '/instance/connectionState/',
      target,
      undefined,
    );
    const state = field(field(response.data, 'instance'), 'state');
    return state === 'open' || state === 'connecting' || state === 'close' ? state : 'unknown';
  }

  /**
   * `GET /instance/connectionState/{name}` with `token` as the `apikey`: Evolution checks that the
   * instance exists, then accepts only the global key or that instance's own token. The global key
   * would pass for every instance, so it proves nothing and is never sent as a proof.
   */
  async proveInstanceToken(instanceName: string, token: string): Promise<InstanceTokenProof> {
    if (token === '' || token === this.globalApiKey) return 'not-proven';
    const path = instancePath('/instance/connectionState/', instanceName);
    if (path === undefined) return 'not-proven';
    const exchange = await this.exchange('GET', path, { instanceName, token }, undefined);
    if (exchange.ok && [401, 403, 404].includes(exchange.response.status)) return 'not-proven';
    const response = this.checkSuccess('proveInstanceToken', exchange, [200]);
    // A proxy answering 200 to anything must not pass as Evolution vouching for the token.
    if (field(field(response.data, 'instance'), 'instanceName') !== instanceName) {
      throw new EvolutionRequestError('Evolution connectionState answered without the instance', {
        operation: 'proveInstanceToken',
        httpStatus: response.status,
      });
    }
    return 'proven';
  }

  /** `POST /webhook/set/{name}`; Evolution signs webhooks with `jwtKey` when one is given. */
  async setWebhook(target: EvolutionTarget, settings: WebhookSettings): Promise<void> {
    const webhook = {
      enabled: true,
      url: settings.url,
      ...(settings.jwtKey === undefined ? {} : { headers: { jwt_key: settings.jwtKey } }),
      byEvents: false,
      base64: false,
      events: [...settings.events],
    };
    await this.expectSuccess('setWebhook', 'POST', '/webhook/set/', target, { webhook }, [200, 201]);
  }

  /**
   * `POST /chat/findStatusMessage/{name}`. Rows for other key ids are dropped, in case an Evolution
   * version ignores the filter; numeric Baileys statuses are named.
   */
  async findStatusMessage(target: EvolutionTarget, providerMessageId: string): Promise<StatusUpdate[]> {
    const response = await this.expectSuccess(
      'findStatusMessage',
      'POST',
      '/chat/findStatusMessage/',
      target,
      { where: { id: providerMessageId } },
    );
    if (!Array.isArray(response.data)) {
      throw new EvolutionRequestError(
        'Evolution findStatusMessage answered with something other than a list',
        {
          operation: 'findStatusMessage',
          httpStatus: response.status,
        },
      );
    }
    const updates: StatusUpdate[] = [];
    for (const row of response.data as unknown[]) {
      const keyId =
        stringOrUndefined(field(row, 'keyId')) ?? stringOrUndefined(field(field(row, 'key'), 'id'));
      const status = statusName(field(row, 'status'));
      if (status !== undefined && (keyId ?? providerMessageId) === providerMessageId) {
        updates.push({ keyId: providerMessageId, status });
      }
    }
    return updates;
  }

  /**
   * `GET /instance/connect/{name}[?number=]`: starts a WhatsApp Web session when the instance is
   * closed and answers its QR code (Evolution waits about 2 s for it); answers `open` when connected.
   */
  async connect(target: EvolutionTarget, number?: string): Promise<EvolutionConnectAnswer> {
    const query = number === undefined ? '' : `?number=${encodeURIComponent(number)}`;
    const path = instancePath('/instance/connect/', target.instanceName);
    if (path === undefined) {
      throw new EvolutionRequestError('Invalid Evolution instance name for connect', {
        operation: 'connect',
      });
    }
    const response = this.checkSuccess(
      'connect',
      await this.exchange('GET', path + query, target, undefined),
    );
    return parseConnectAnswer(response.data, response.status);
  }

  /**
   * `DELETE /instance/logout/{name}`. An instance that is already closed answers 400 "… is not
   * connected": the number is logged out either way.
   */
  async logout(target: EvolutionTarget): Promise<EvolutionLogoutResult> {
    const path = instancePath('/instance/logout/', target.instanceName);
    if (path === undefined) {
      throw new EvolutionRequestError('Invalid Evolution instance name for logout', { operation: 'logout' });
    }
    const exchange = await this.exchange('DELETE', path, target, undefined);
    if (
      exchange.ok &&
      exchange.response.status === 400 &&
      /is not connected/i.test(parseErrorEnvelope(exchange.response.data).text)
    ) {
      return 'already-closed';
    }
    this.checkSuccess('logout', exchange);
    return 'logged-out';
  }

  /**
   * `POST /chat/findMessages/{name}`: the messages the instance sent to a number within a time
   * window, as Evolution stored them (only when it saves new messages: not finding one proves
   * nothing), page by page, at most `FIND_MESSAGES_MAX_PAGES` pages of 100.
   */
  async findSentMessages(target: EvolutionTarget, query: SentMessageQuery): Promise<FoundMessage[]> {
    const found: FoundMessage[] = [];
    for (let page = 1; page <= FIND_MESSAGES_MAX_PAGES; page += 1) {
      const response = await this.expectSuccess('findMessages', 'POST', '/chat/findMessages/', target, {
        where: {
          key: { remoteJid: `${query.number}@s.whatsapp.net`, fromMe: true },
          messageTimestamp: {
            gte: new Date(query.fromMs).toISOString(),
            lte: new Date(query.toMs).toISOString(),
          },
        },
        page,
        offset: FIND_MESSAGES_PAGE_SIZE,
      });
      const messages = field(response.data, 'messages');
      const records = field(messages, 'records');
      if (!Array.isArray(records)) {
        throw new EvolutionRequestError('Evolution findMessages answered without messages.records', {
          operation: 'findMessages',
          httpStatus: response.status,
        });
      }
      found.push(...foundMessages(records as unknown[]));
      const pages = field(messages, 'pages');
      if (typeof pages !== 'number' || page >= pages || records.length < FIND_MESSAGES_PAGE_SIZE) break;
    }
    return found;
  }

  /**
   * `GET /instance/fetchInstances` with the global key: every instance's name and connection state.
   * It only reads, so it is safe against an Evolution whose numbers we have not been asked to touch.
   */
  async listInstances(): Promise<EvolutionInstanceSummary[]> {
    const response = this.checkSuccess(
      'fetchInstances',
      await this.exchange('GET', '/instance/fetchInstances', { instanceName: '' }, undefined),
    );
    if (!Array.isArray(response.data)) {
      throw new EvolutionRequestError('Evolution fetchInstances answered with something other than a list', {
        operation: 'fetchInstances',
        httpStatus: response.status,
      });
    }
    return (response.data as unknown[]).flatMap((row) => {
      const name = stringOrUndefined(field(row, 'name'));
      const status = field(row, 'connectionStatus');
      const connectionState =
        status === 'open' || status === 'connecting' || status === 'close' ? status : 'unknown';
      return name === undefined ? [] : [{ name, connectionState }];
    });
  }

  /** Destroys the keep-alive agents the client created itself (not agents passed in). */
  close(): void {
    for (const agent of this.ownAgents) agent.destroy();
  }

  private async expectSuccess(
    operation: string,
    method: Method,
    prefix: string,
    target: EvolutionTarget,
    body: unknown,
    accepted?: readonly number[],
  ): Promise<AxiosResponse<unknown>> {
    const path = instancePath(prefix, target.instanceName);
    if (path === undefined) {
      throw new EvolutionRequestError(`Invalid Evolution instance name for ${operation}`, { operation });
    }
    return this.checkSuccess(operation, await this.exchange(method, path, target, body), accepted);
  }

  private checkSuccess(
    operation: string,
    exchange: Exchange,
    accepted?: readonly number[],
  ): AxiosResponse<unknown> {
    if (!exchange.ok) {
      const { failure } = exchange;
      throw new EvolutionRequestError(
        `Evolution ${operation} failed: ${failure.timedOut ? 'timed out' : failure.message}`,
        { operation, ...(failure.code === undefined ? {} : { code: failure.code }) },
      );
    }
    const { response } = exchange;
    const ok = accepted
      ? accepted.includes(response.status)
      : response.status >= 200 && response.status < 300;
    if (!ok) {
      const envelope = parseErrorEnvelope(response.data);
      const detail = envelope.text !== '' ? envelope.text : (envelope.error ?? 'no details');
      throw new EvolutionRequestError(
        `Evolution ${operation} failed with HTTP ${response.status}: ${detail}`,
        {
          operation,
          httpStatus: response.status,
        },
      );
    }
    return response;
  }

  private async exchange(
    method: Method,
    path: string,
    target: EvolutionTarget,
    body: unknown,
  ): Promise<Exchange> {
    // axios' own timeout is a socket idle timer that may not run while TCP connect is pending;
    // this wall-clock deadline bounds the whole call.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
    try {
      const response = await this.http.request<unknown>({
        method,
        url: path,
        data: body,
        headers: { apikey: target.token || this.globalApiKey },
        signal: deadline.signal,
      });
      return { ok: true, response };
    } catch (error) {
      return { ok: false, failure: describeFailure(error, deadline.signal.aborted) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function describeFailure(error: unknown, deadlineHit: boolean): TransportFailure {
  if (!isAxiosError(error)) {
    // Not knowing how far the call got, assume it was sent: ambiguous never double-sends.
    return { message: errorMessage(error), requestWritten: true, timedOut: deadlineHit };
  }
  const timedOut = deadlineHit || error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
  const code = deadlineHit ? 'ETIMEDOUT' : error.code;
  return {
    ...(code === undefined ? {} : { code }),
    message: error.message,
    requestWritten: wasRequestWritten(error.request),
    timedOut,
    responseStarted: error.response !== undefined,
  };
}

function instancePath(prefix: string, instanceName: string): string | undefined {
  if (instanceName === '') return undefined;
  try {
    return prefix + encodeURIComponent(instanceName);
  } catch {
    // Lone surrogates cannot be percent-encoded.
    return undefined;
  }
}

function invalidInstanceName(instanceName: string): SendOutcome {
  return {
    kind: 'permanent',
    configuration: true,
    reason: `Invalid Evolution instance name ${JSON.stringify(instanceName)}`,
  };
}

function statusName(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return BAILEYS_STATUS_NAMES[value];
  return undefined;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Key id and text of each stored message a `findMessages` page holds. */
function foundMessages(records: readonly unknown[]): FoundMessage[] {
  return records.flatMap((record) => {
    const keyId = stringOrUndefined(field(field(record, 'key'), 'id'));
    const message = field(record, 'message');
    const text =
      stringOrUndefined(field(message, 'conversation')) ??
      stringOrUndefined(field(field(message, 'extendedTextMessage'), 'text'));
    return keyId === undefined || text === undefined ? [] : [{ keyId, text }];
  });
}
