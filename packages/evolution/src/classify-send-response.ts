import { parseErrorEnvelope, type ErrorEnvelope } from './error-envelope';
import { parseRetryAfter } from './retry-after';
import type { SendOutcome } from './send-outcome';

/** What Evolution answered to `POST /message/sendText/{instance}`. */
export interface SendResponseFacts {
  readonly status: number;
  /** The parsed JSON body (or the raw text when it was not JSON). */
  readonly body: unknown;
  /** Response headers; names are matched case-insensitively. */
  readonly headers?: Readonly<Record<string, unknown>>;
  /** The number the request addressed, for the "not on WhatsApp" reason when the body lacks it. */
  readonly number?: string;
  /** For a `Retry-After` HTTP-date; defaults to `Date.now()`. */
  readonly nowMs?: number;
}

const CONNECTION_CLOSED = /connection closed/i;
// Evolution dereferences the Baileys socket before checking it: this is what an instance that was
// created but never paired answers.
const NEVER_CONNECTED = /reading 'onWhatsApp'/;

/**
 * Classifies an HTTP answer to sendText (see docs: "Error envelope" in evolution-api.md).
 * Pure: no I/O, so every row of the protocol table has a unit test.
 */
export function classifySendResponse(facts: SendResponseFacts): SendOutcome {
  const { status } = facts;
  if (status >= 200 && status < 300) return classifySuccess(facts);

  const envelope = parseErrorEnvelope(facts.body);
  const detail = describe(envelope, status);

  if (status === 400) {
    const missing = findNotOnWhatsApp(envelope);
    if (missing) {
      const number = stringField(missing, 'number') ?? jidUser(missing) ?? facts.number ?? 'unknown';
      return {
        kind: 'permanent',
        httpStatus: status,
        notOnWhatsApp: true,
        reason: `number ${number} is not on WhatsApp`,
      };
    }
    if (CONNECTION_CLOSED.test(envelope.text)) {
      return disconnected(status, `Evolution lost the WhatsApp connection while sending: ${detail}`);
    }
    return { kind: 'permanent', httpStatus: status, reason: `Evolution rejected the request: ${detail}` };
  }
  if (status === 401 || status === 403) {
    return {
      kind: 'permanent',
      httpStatus: status,
      configuration: true,
      reason: 'Evolution rejected the API key',
    };
  }
  if (status === 404) {
    return {
      kind: 'permanent',
      httpStatus: status,
      configuration: true,
      reason: `Evolution instance does not exist: ${detail}`,
    };
  }
  if (status === 408) {
    // The server gave up waiting for our request, so it never acted on it.
    return { kind: 'transient', httpStatus: status, reason: `Evolution timed out reading the request` };
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(header(facts.headers, 'retry-after'), facts.nowMs ?? Date.now());
    return {
      kind: 'transient',
      httpStatus: status,
      reason: 'Evolution is rate limiting requests',
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (status >= 400 && status < 500) {
    return { kind: 'permanent', httpStatus: status, reason: `Evolution rejected the request: ${detail}` };
  }
  if (status >= 500 && status < 600) {
    if (CONNECTION_CLOSED.test(envelope.text)) {
      return disconnected(status, 'Evolution instance is not connected to WhatsApp (Connection Closed)');
    }
    if (NEVER_CONNECTED.test(envelope.text)) {
      return disconnected(status, 'Evolution instance has never been connected to WhatsApp');
    }
    return { kind: 'ambiguous', httpStatus: status, reason: `Evolution failed unexpectedly: ${detail}` };
  }
  if (status >= 300 && status < 400) {
    // Redirects are not followed (a POST must not be replayed blindly): the base URL is wrong.
    return {
      kind: 'permanent',
      httpStatus: status,
      configuration: true,
      reason: `Evolution answered with a redirect (HTTP ${status}); check the base URL`,
    };
  }
  return { kind: 'ambiguous', httpStatus: status, reason: `Evolution answered HTTP ${status}` };
}

function classifySuccess(facts: SendResponseFacts): SendOutcome {
  const body = isRecord(facts.body) ? facts.body : undefined;
  const key = body && isRecord(body.key) ? body.key : undefined;
  const id = key ? key.id : undefined;
  if (typeof id !== 'string' || id.trim() === '') {
    // Something answered 2xx but not with a sent message: we cannot tell whether it went out.
    return {
      kind: 'ambiguous',
      httpStatus: facts.status,
      reason: `Evolution answered HTTP ${facts.status} without a message id`,
    };
  }
  const timestamp = body ? toSeconds(body.messageTimestamp) : undefined;
  return {
    kind: 'sent',
    providerMessageId: id,
    ...(timestamp === undefined ? {} : { providerTimestamp: timestamp }),
  };
}

function disconnected(httpStatus: number, reason: string): SendOutcome {
  return { kind: 'transient', httpStatus, reason, instanceDisconnected: true };
}

function findNotOnWhatsApp(envelope: ErrorEnvelope): Readonly<Record<string, unknown>> | undefined {
  for (const item of envelope.items) {
    if (item.kind === 'object' && item.value.exists === false) return item.value;
  }
  return undefined;
}

function describe(envelope: ErrorEnvelope, status: number): string {
  if (envelope.text !== '') return envelope.text;
  return envelope.error ?? `HTTP ${status}`;
}

function toSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.trunc(value);
  // Baileys' Long timestamps serialise as digit strings.
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function stringField(record: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function jidUser(record: Readonly<Record<string, unknown>>): string | undefined {
  const jid = stringField(record, 'jid');
  const user = jid?.split('@')[0];
  return user === undefined || user === '' ? undefined : user;
}

function header(headers: Readonly<Record<string, unknown>> | undefined, name: string): unknown {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
