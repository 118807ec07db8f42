import type { EvolutionTarget } from './evolution-gateway';
import { EvolutionRequestError } from './evolution-request-error';

/** Evolution's QR object (`/instance/connect` answers, `qrcode.updated` webhooks), read defensively. */
export interface EvolutionQrCode {
  /** What the QR encodes (`2@…`). */
  readonly code: string;
  /** `data:image/png;base64,…`. */
  readonly base64: string;
  /** 8 characters, only when connect was given a number. */
  readonly pairingCode: string | null;
  /** QR codes shown so far in this pairing; absent in webhooks. */
  readonly count?: number;
}

/** What `GET /instance/connect/{name}` says. */
export interface EvolutionConnectAnswer {
  /** `open` when already connected; `connecting` while a QR code is (about to be) shown. */
  readonly state: 'open' | 'connecting' | 'close';
  /** Null when open, or before the first QR code exists (some versions answer `{"count":0}`). */
  readonly qr: EvolutionQrCode | null;
}

/** What `DELETE /instance/logout/{name}` did. */
export type EvolutionLogoutResult = 'logged-out' | 'already-closed';

/**
 * Pairing a WhatsApp number again (the guide's QR Code tab): ask Evolution for a QR code, and log a
 * number out. Implemented by the HTTP client; both throw {@link EvolutionRequestError} on failure.
 */
export interface EvolutionPairingGateway {
  connect(target: EvolutionTarget, number?: string): Promise<EvolutionConnectAnswer>;
  logout(target: EvolutionTarget): Promise<EvolutionLogoutResult>;
}

/**
 * Reads an `/instance/connect` answer. By the instance's state Evolution answers the connectionState
 * body (`open`), the QR object (`connecting`, or `close` after starting a session), or — for
 * failures it catches itself — `{"error": true, "message": "…"}` with HTTP 200.
 */
export function parseConnectAnswer(body: unknown, httpStatus: number): EvolutionConnectAnswer {
  const record = asRecord(body);
  if (!record) throw unreadable(httpStatus);
  if (record.error === true) {
    const message =
      typeof record.message === 'string' && record.message !== '' ? record.message : 'no details';
    throw new EvolutionRequestError(`Evolution connect failed: ${message}`, {
      operation: 'connect',
      httpStatus,
    });
  }
  const instance = asRecord(record.instance);
  if (instance) {
    // `state` in the connectionState body; `status` in the fallback some versions answer.
    const state = instance.state ?? instance.status;
    if (state === 'open' || state === 'connecting' || state === 'close') {
      const qr = readQrCode(record.qrcode);
      return { state, qr: state === 'open' ? null : qr };
    }
    throw unreadable(httpStatus);
  }
  if ('count' in record || 'code' in record || 'base64' in record) {
    return { state: 'connecting', qr: readQrCode(record) };
  }
  throw unreadable(httpStatus);
}

/** A QR object with a code and an image, or null (`{"count":0}` before the first QR exists). */
export function readQrCode(value: unknown): EvolutionQrCode | null {
  const record = asRecord(value);
  if (!record) return null;
  const { code, base64, pairingCode, count } = record;
  if (typeof code !== 'string' || code === '' || typeof base64 !== 'string' || base64 === '') return null;
  return {
    code,
    base64,
    pairingCode: typeof pairingCode === 'string' && pairingCode !== '' ? pairingCode : null,
    ...(typeof count === 'number' && Number.isInteger(count) && count >= 0 ? { count } : {}),
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function unreadable(httpStatus: number): EvolutionRequestError {
  return new EvolutionRequestError(
    'Evolution connect answered with something other than a state or a QR code',
    {
      operation: 'connect',
      httpStatus,
    },
  );
}
