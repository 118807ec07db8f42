import { randomBytes, randomInt } from 'node:crypto';
import { qrCodePngDataUrl } from './qr-png';
import type { SandboxLogger } from './sandbox-options';

/** A QR code as Evolution's `qrCode` getter shows it. */
export interface SandboxQrCode {
  /** 8 characters when the pairing was started with a number, else null. */
  readonly pairingCode: string | null;
  /** What the QR encodes, shaped like WhatsApp Web's `2@ref,noiseKey,identityKey,advSecret`. */
  readonly code: string;
  /** `data:image/png;base64,…`, drawn like Evolution draws it (margin 3, scale 4, error correction H). */
  readonly base64: string;
  /** 1 for the first QR code of the pairing. */
  readonly count: number;
}

export interface PairingOptions {
  /** Time between two QR codes (WhatsApp rotates them every 20–60 s). */
  readonly rotationMs: number;
  /** QR codes shown before giving up (Evolution's `QRCODE.LIMIT`, 30 by default). */
  readonly limit: number;
}

export interface PairingEvents {
  /** A QR code was shown (the first one included). */
  readonly onQrCode: (instance: string, qr: SandboxQrCode) => void;
  /** The limit was reached without a scan; the pairing is over. */
  readonly onLimitReached: (instance: string) => void;
}

interface Session {
  readonly number: string | null;
  qr: SandboxQrCode | undefined;
  timer: NodeJS.Timeout | undefined;
}

// Baileys' pairing-code alphabet: no 0, O, I or U, which read alike.
const PAIRING_CODE_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';
const PAIRING_CODE_LENGTH = 8;

/**
 * The QR codes of instances being paired: the first at once, a new one every `rotationMs` until
 * `limit` were shown. Its timers are its own rather than the work tracker's, so `whenIdle()` does
 * not wait for a pairing nobody scans; what they emit is tracked like any webhook.
 */
export class PairingSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly options: PairingOptions,
    private readonly events: PairingEvents,
    private readonly logger: SandboxLogger,
  ) {}

  /** Starts pairing `instance` (ending any pairing it had) and shows its first QR code. */
  start(instance: string, number: string | null): SandboxQrCode {
    this.stop(instance);
    const session: Session = { number, qr: undefined, timer: undefined };
    this.sessions.set(instance, session);
    const qr = nextQrCode(session, 1);
    this.show(instance, session, qr);
    return qr;
  }

  /** The QR code shown now, if `instance` is pairing. */
  current(instance: string): SandboxQrCode | undefined {
    return this.sessions.get(instance)?.qr;
  }

  isPairing(instance: string): boolean {
    return this.sessions.has(instance);
  }

  stop(instance: string): void {
    const session = this.sessions.get(instance);
    if (!session) return;
    clearTimeout(session.timer);
    this.sessions.delete(instance);
  }

  stopAll(): void {
    for (const instance of [...this.sessions.keys()]) this.stop(instance);
  }

  private show(instance: string, session: Session, qr: SandboxQrCode): void {
    session.qr = qr;
    this.events.onQrCode(instance, qr);
    session.timer = setTimeout(() => {
      try {
        this.rotate(instance, session);
      } catch (error) {
        this.logger.error('QR code rotation failed', {
          instance,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }, this.options.rotationMs);
    // A pairing nobody scans must not keep a process alive on its own.
    session.timer.unref();
  }

  private rotate(instance: string, session: Session): void {
    if (this.sessions.get(instance) !== session) return;
    const count = session.qr?.count ?? 0;
    if (count >= this.options.limit) {
      this.sessions.delete(instance);
      this.events.onLimitReached(instance);
      return;
    }
    this.show(instance, session, nextQrCode(session, count + 1));
  }
}

function nextQrCode(session: Session, count: number): SandboxQrCode {
  const code = `2@${[36, 32, 32, 32].map((bytes) => randomBytes(bytes).toString('base64')).join(',')}`;
  return {
    pairingCode: session.number === null ? null : newPairingCode(),
    code,
    base64: qrCodePngDataUrl(code),
    count,
  };
}

function newPairingCode(): string {
  let code = '';
  for (let index = 0; index < PAIRING_CODE_LENGTH; index += 1) {
    code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
  }
  return code;
}
