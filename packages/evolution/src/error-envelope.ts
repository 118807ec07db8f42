/** One entry of Evolution's `response.message`, flattened out of whatever nesting it came in. */
export type ErrorEnvelopeItem =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'object'; readonly value: Readonly<Record<string, unknown>> };

/** Evolution's error body `{status, error, response: {message}}`, made readable. */
export interface ErrorEnvelope {
  /** The `status` field of the body (normally equal to the HTTP status). */
  readonly status?: number;
  /** The reason phrase, e.g. `Bad Request`. */
  readonly error?: string;
  /** Every message on one line, objects as JSON; empty when the body said nothing. */
  readonly text: string;
  /** The messages in order, arrays flattened, objects kept whole. */
  readonly items: readonly ErrorEnvelopeItem[];
}

// Proxies in front of Evolution may answer with a whole HTML page; keep errors log-sized.
const MAX_TEXT_LENGTH = 1000;
const MAX_DEPTH = 8;

/**
 * Parses an Evolution error body. `response.message` may be a string, an array of strings, a nested
 * array (schema validation) or an array of objects (`exists: false`); all come out as flat items.
 * Bodies that are not Evolution envelopes (a bare string, `{message}` from a proxy) still give text.
 */
export function parseErrorEnvelope(body: unknown): ErrorEnvelope {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    const items: ErrorEnvelopeItem[] = trimmed === '' ? [] : [{ kind: 'text', text: trimmed }];
    return { text: render(items), items };
  }
  if (!isRecord(body)) {
    return { text: '', items: [] };
  }
  const response = body.response;
  const message = isRecord(response) && 'message' in response ? response.message : body.message;
  const items: ErrorEnvelopeItem[] = [];
  flatten(message, items, 0);
  const envelope: { -readonly [K in keyof ErrorEnvelope]: ErrorEnvelope[K] } = {
    text: render(items),
    items,
  };
  if (typeof body.status === 'number' && Number.isFinite(body.status)) envelope.status = body.status;
  if (typeof body.error === 'string' && body.error !== '') envelope.error = body.error;
  return envelope;
}

function flatten(value: unknown, into: ErrorEnvelopeItem[], depth: number): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) {
      into.push({ kind: 'text', text: safeJson(value) });
      return;
    }
    for (const entry of value) flatten(entry, into, depth + 1);
    return;
  }
  if (isRecord(value)) {
    into.push({ kind: 'object', value });
    return;
  }
  const text = typeof value === 'string' ? value.trim() : safeJson(value);
  if (text !== '') into.push({ kind: 'text', text });
}

function render(items: readonly ErrorEnvelopeItem[]): string {
  const text = items.map((item) => (item.kind === 'text' ? item.text : safeJson(item.value))).join('; ');
  return text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH - 1)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // Cyclic or BigInt values cannot come from JSON.parse, but a caller may hand us anything.
    return String(value);
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
