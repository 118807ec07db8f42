import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { code as currencyByCode } from 'currency-codes';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import request from 'supertest';
import type { Message } from '@telenexus/core';
import { useIngress } from '../support/use-ingress';
import {
  ALL_PERMISSIONS,
  as,
  guideBody,
  listen,
  looksLikeStackTrace,
  pinnedResolver,
  problemBodyViolation,
  type ListeningApp,
} from './security-support';

/**
 * Property tests of the two send endpoints against hostile input. Whatever arrives: never a 5xx,
 * every refusal in the `{"detail": …}` shape without a stack trace, and a 200 only for input the
 * README's rules allow — checked again on the row stored.
 *
 * FC_SEED pins the generator (fast-check prints the seed of a failing run); FC_RUNS changes the
 * number of runs per property (default 200).
 */
const NUM_RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

/** Runs per property: FC_RUNS, capped for the slower properties. */
function runs(cap = NUM_RUNS): { numRuns: number; seed?: number } {
  return { numRuns: Math.min(NUM_RUNS, cap), ...(SEED === undefined ? {} : { seed: SEED }) };
}

const context = useIngress({
  // Natural dedupe off: every valid notification must be a new message, whatever came before.
  dedupeWindowMs: 0,
  resolveHost: pinnedResolver({ 'billing.example.com': ['93.184.216.34'] }),
  tenant: { permissions: ALL_PERMISSIONS, country: 'KE' },
});
let server: ListeningApp;

beforeAll(async () => {
  server = await listen(context.ingress.app);
});

afterAll(async () => {
  await server.close();
});

// ---------------------------------------------------------------------------------------------
// The README's rules as an oracle. Each field is judged valid, invalid, or — where the README leaves
// room (ISO 8601 forms it does not list, numeric strings, characters outside the BMP near a length
// limit) or a regression is tested on its own below — unknown: then either answer is allowed, and
// an accepted message must still satisfy every invariant.
// ---------------------------------------------------------------------------------------------

type Verdict = 'valid' | 'invalid' | 'unknown';

const MESSAGE_TYPES = ['payment_reminder', 'invoice', 'overdue', 'confirmation'];
const REQUIRED = ['phone_number', 'customer_name', 'amount', 'currency', 'invoice_id', 'message_type'];
const FIELDS = new Set([...REQUIRED, 'due_date', 'expires_at']);
/** Minor digits of the currencies the generators treat as valid. */
const KNOWN_CURRENCIES: Readonly<Record<string, number>> = { KES: 2, USD: 2, EUR: 2, JPY: 0, KWD: 3 };
/** Numbers libphonenumber's full metadata holds valid, as billing systems write them (instance in KE). */
const VALID_PHONES: readonly unknown[] = [
  '254712345678',
  '+254712345678',
  '+254 712 345 678',
  '0712345678',
  '0712-345-678',
  '(0712) 345.678',
  '00254712345678',
  254712345678,
  '+44 7911 123456',
  '447911123456',
];
const INVALID_PHONES: readonly unknown[] = [
  '',
  '   ',
  '+',
  '123',
  '0000000000',
  '254712345678901234567890',
  'abc',
  '254712345678\u0000',
  '+254-712-345-678x',
  -254712345678,
  0,
  1.5,
  null,
  true,
  {},
  ['254712345678'],
];

/**
 * The README's rule for any text in a request: no control characters, lone surrogates, line or
 * paragraph separators, or direction overrides — checked on the text as sent, before any trimming.
 */
const UNSAFE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u;
const CONTROL = UNSAFE;

/** True when any string (or key) anywhere in the value breaks the rule. */
function holdsUnsafeText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return UNSAFE.test(value);
  if (value === null || typeof value !== 'object' || depth > 40) return false;
  return Object.entries(value).some(([key, inner]) => UNSAFE.test(key) || holdsUnsafeText(inner, depth + 1));
}

const codePoints = (text: string): number => [...text].length;

function lengthVerdict(text: string, min: number, max: number): Verdict {
  const units = text.length;
  const points = codePoints(text);
  if (units >= min && units <= max && points >= min && points <= max) return 'valid';
  if ((units < min && points < min) || (units > max && points > max)) return 'invalid';
  return 'unknown';
}

const worst = (verdicts: readonly Verdict[]): Verdict =>
  verdicts.includes('invalid') ? 'invalid' : verdicts.includes('unknown') ? 'unknown' : 'valid';

function phoneVerdict(value: unknown): Verdict {
  if (VALID_PHONES.includes(value)) return 'valid';
  if (INVALID_PHONES.includes(value)) return 'invalid';
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '' || value.length > 32 || !/\d/.test(text)) return 'invalid';
    return 'unknown';
  }
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? 'unknown' : 'invalid';
  return 'invalid';
}

function nameVerdict(value: unknown): Verdict {
  if (typeof value !== 'string') return 'invalid';
  if (CONTROL.test(value)) return 'invalid';
  return lengthVerdict(value.trim(), 1, 100);
}

function invoiceVerdict(value: unknown): Verdict {
  if (typeof value !== 'string') return 'invalid';
  if (!/\S/.test(value) || CONTROL.test(value)) return 'invalid';
  return lengthVerdict(value, 1, 64);
}

function currencyDigits(value: unknown): number | 'invalid' | 'unknown' {
  if (typeof value !== 'string') return 'invalid';
  const code = value.trim().toUpperCase();
  const digits = KNOWN_CURRENCIES[code];
  if (digits !== undefined) return digits;
  return /^[A-Z]{3}$/.test(code) ? 'unknown' : 'invalid';
}

/** Decimals of a finite number as JSON writes it; exponent notation counts as too many. */
function decimalsOf(amount: number): number {
  const text = String(amount);
  if (/e/i.test(text)) return Infinity;
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

function amountVerdict(value: unknown, currency: unknown): Verdict {
  const digits = currencyDigits(currency);
  let amount: number;
  let decimals: number;
  if (typeof value === 'number') {
    amount = value;
    decimals = Number.isFinite(value) ? decimalsOf(value) : Infinity;
  } else if (typeof value === 'string') {
    if (!/\d/.test(value) || /^\s*[+-]?Infinity\s*$/.test(value)) return 'invalid';
    // A plain decimal without leading zeros or more digits than a double keeps is read as its number.
    const plain = /^(0|[1-9]\d*)(?:\.(\d+))?$/.exec(value);
    if (!plain || value.replace(/\D/g, '').length > 15) return 'unknown';
    amount = Number(value);
    decimals = (plain[2] ?? '').replace(/0+$/, '').length;
  } else {
    return 'invalid';
  }
  if (!Number.isFinite(amount) || amount <= 0 || amount > 1e12) return 'invalid';
  if (digits === 'invalid') return 'invalid';
  if (digits === 'unknown') return 'unknown';
  return decimals <= digits ? 'valid' : 'invalid';
}

function dueDateVerdict(value: unknown): Verdict {
  if (value === null || value === undefined) return 'valid';
  if (typeof value !== 'string') return 'invalid';
  const text = value.trim();
  if (text === '') return 'valid';
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const real = new Date(Date.UTC(year, month - 1, day));
    if (real.getUTCFullYear() !== year || real.getUTCMonth() !== month - 1 || real.getUTCDate() !== day) {
      return 'invalid';
    }
    // A past due date is allowed by the README, but what a reminder for it becomes is not its concern.
    return year >= 2030 ? 'valid' : 'unknown';
  }
  return /\d/.test(text) ? 'unknown' : 'invalid';
}

function expiresAtVerdict(value: unknown): Verdict {
  if (value === null || value === undefined) return 'valid';
  if (typeof value !== 'string') return 'invalid';
  if (/^20[3-9]\d-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return Number.isNaN(new Date(value).getTime()) ? 'unknown' : 'valid';
  }
  return /\d/.test(value) ? 'unknown' : 'invalid';
}

/** Whether the README's rules accept one notification (the body of a single send, or a batch item). */
function notificationVerdict(body: unknown): Verdict {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'invalid';
  const fields = body as Record<string, unknown>;
  if (holdsUnsafeText(fields)) return 'invalid';
  const keys = Object.keys(fields);
  const verdicts: Verdict[] = keys.filter((key) => !FIELDS.has(key)).map(() => 'invalid');
  for (const key of REQUIRED) if (!keys.includes(key)) verdicts.push('invalid');
  verdicts.push(
    phoneVerdict(fields.phone_number),
    nameVerdict(fields.customer_name),
    amountVerdict(fields.amount, fields.currency),
    currencyDigits(fields.currency) === 'invalid'
      ? 'invalid'
      : currencyDigits(fields.currency) === 'unknown'
        ? 'unknown'
        : 'valid',
    invoiceVerdict(fields.invoice_id),
    typeof fields.message_type === 'string' && MESSAGE_TYPES.includes(fields.message_type)
      ? 'valid'
      : 'invalid',
    dueDateVerdict(fields.due_date),
    expiresAtVerdict(fields.expires_at),
  );
  return worst(verdicts);
}

// ---------------------------------------------------------------------------------------------
// Generators: valid values, hostile ones and wrong types for every field, mixed.
// ---------------------------------------------------------------------------------------------

const hostileString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 60, maxLength: 3000 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '{{customer_name}}',
    '${7*7}',
    '<script>alert(1)</script>',
    "'; DROP TABLE messages; --",
    '\u202eeoD nhoJ',
    '\u0000',
    'John\r\nDoe',
    '\ufeffJohn',
    'Wanjikũ Njeri',
    '🇰🇪💸'.repeat(30),
    'null',
    'NaN',
    ' '.repeat(101),
    'x'.repeat(101),
    'x'.repeat(65),
  ),
);

const wrongType = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 3 }),
);

const phone = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALID_PHONES) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_PHONES) },
  { weight: 1, arbitrary: fc.stringMatching(/^\+?[\d ()-]{1,20}$/) },
  { weight: 1, arbitrary: hostileString },
);

const customerName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('John Doe', 'Wanjikũ Njeri', "O'Brien-Ng", '  Padded  ', 'x'.repeat(100)),
  },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: wrongType },
);

const amount = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(1500, 0.01, 1, 1e12, 999999999999.99, 100.5, 2.5, 0.1 + 0.2, 1500.1),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      0,
      -0,
      -1,
      1e308,
      5e-324,
      1e-7,
      1e12 + 1,
      Number.MAX_SAFE_INTEGER,
      0.001,
      12.345,
    ),
  },
  { weight: 2, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -10, max: 10_000_000 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '1500',
      '1500.50',
      '1500.10',
      '0',
      '-1',
      'NaN',
      'Infinity',
      '-Infinity',
      '1e308',
      '1e3',
      '0x10',
      '',
      ' ',
      '1,500.00',
      '1_000',
      '١٢٣',
      '１２３',
      '12.345',
      '007',
      ' 12 ',
      '99999999999999999999',
    ),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: wrongType },
);

const currency = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('KES', 'USD', 'EUR', 'JPY', 'KWD', 'kes', ' usd ', 'Jpy') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'XAU',
      'XXX',
      'XTS',
      'ABC',
      'KE',
      'KESS',
      '',
      '   ',
      '123',
      'ＫＥＳ',
      'K€S',
      'kes\u0000',
    ),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: wrongType },
);

const invoiceId = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('INV-001', 'inv 2026/02 #7', '  padded  ', 'x'.repeat(64), '請求書-1'),
  },
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: wrongType },
);

const messageType = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...MESSAGE_TYPES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('PAYMENT_REMINDER', 'payment reminder', '', 'receipt', 'invoice '),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: wrongType },
);

const dueDate = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(null, '', '2099-02-15', '2030-12-31', '2096-02-29') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '2026-02-30',
      '2026-13-01',
      '2099-02-29',
      '15/02/2026',
      'tomorrow',
      '0001-01-01',
      20260215,
      '2026-02-15T25:00:00Z',
      '2099-02-15T09:00:00+03:00',
    ),
  },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: wrongType },
);

const expiresAt = fc.oneof(
  fc.constantFrom(null, '2099-01-01T00:00:00Z', '2099-01-01T00:00:00+03:00'),
  fc.constantFrom('2000-01-01T00:00:00Z', 'soon', '2099-01-01', 1e12, '2099-02-30T00:00:00Z'),
  hostileString,
);

const strangerKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'due_dat',
    'PHONE_NUMBER',
    'amount ',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }).filter((key) => !FIELDS.has(key)),
);

/** Builds the object key by key, so `__proto__` becomes an own property as JSON.parse would make it. */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return body;
}

/** A notification: each field valid, hostile, of the wrong type or missing, and sometimes a stranger. */
const notification = fc
  .record(
    {
      phone_number: phone,
      customer_name: customerName,
      amount,
      currency,
      invoice_id: invoiceId,
      message_type: messageType,
      due_date: dueDate,
      expires_at: expiresAt,
      // Mostly nothing: one missing field or one stranger makes the whole notification invalid.
      missing: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, fc.constantFrom(...REQUIRED)),
      stranger: fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        fc.tuple(strangerKey, fc.jsonValue({ maxDepth: 2 })),
      ),
    },
    { requiredKeys: ['phone_number', 'customer_name', 'amount', 'currency', 'invoice_id', 'message_type'] },
  )
  .map(({ missing, stranger, ...fields }) => {
    const entries: [string, unknown][] = Object.entries(fields).filter(([key]) => key !== missing);
    if (stranger) entries.push(stranger);
    return objectOf(entries);
  });

/** Mostly-valid notifications, so the "valid → 200" side of the oracle is exercised often enough. */
const mostlyValidNotification = fc
  .record(
    {
      phone_number: fc.constantFrom(...VALID_PHONES),
      customer_name: customerName,
      amount: fc.constantFrom(1500, 0.01, '1500.50', 999999999999.99, 12.34),
      currency: fc.constantFrom('KES', 'USD', 'kes', ' EUR '),
      invoice_id: invoiceId,
      message_type: fc.constantFrom(...MESSAGE_TYPES),
      due_date: fc.constantFrom(null, '', '2099-02-15'),
    },
    { requiredKeys: ['phone_number', 'customer_name', 'amount', 'currency', 'invoice_id', 'message_type'] },
  )
  .map((fields) => objectOf(Object.entries(fields)));

const anyBody = fc.oneof(
  { weight: 4, arbitrary: notification },
  { weight: 3, arbitrary: mostlyValidNotification },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.object({ values: [fc.jsonValue({ maxDepth: 2 })] }) },
);

// ---------------------------------------------------------------------------------------------
// The invariants every stored notification keeps, however it got in.
// ---------------------------------------------------------------------------------------------

function invariantViolations(
  message: Message,
  sent: Record<string, unknown>,
  status: Message['status'] = 'queued',
): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(
    message.accountId === context.tenant.accountId && message.instanceId === context.tenant.instance.id,
    'owner',
  );
  check(message.direction === 'outgoing' && message.status === status, 'direction/status');
  const digits = message.phoneNumber;
  check(
    /^\d{7,15}$/.test(digits) && parsePhoneNumberFromString(`+${digits}`)?.isValid() === true,
    'E.164 phone',
  );
  const name = message.customerName ?? '';
  check(
    name.length >= 1 && name.length <= 100 && !CONTROL.test(name) && name === name.trim(),
    'customer_name',
  );
  check(
    typeof sent.customer_name === 'string' && name === sent.customer_name.trim(),
    'customer_name as sent',
  );
  const invoice = message.invoiceId ?? '';
  check(
    invoice === sent.invoice_id && invoice.length <= 64 && /\S/.test(invoice) && !CONTROL.test(invoice),
    'invoice_id',
  );
  const code = message.currency ?? '';
  const minor = /^[A-Z]{3}$/.test(code) ? currencyByCode(code)?.digits : undefined;
  check(minor !== undefined && Number.isInteger(minor), 'ISO 4217 currency');
  const storedAmount = message.amount ?? '';
  check(/^\d+(\.\d+)?$/.test(storedAmount), 'amount is plain decimal text');
  const value = Number(storedAmount);
  check(value > 0 && value <= 1e12, 'amount in (0, 10^12]');
  const decimals = (storedAmount.split('.')[1] ?? '').replace(/0+$/, '').length;
  check(minor !== undefined && decimals <= minor, 'amount decimals allowed by the currency');
  check(MESSAGE_TYPES.includes(message.messageType ?? ''), 'message_type');
  check(message.dueDate === null || /^\d{4}-\d{2}-\d{2}$/.test(message.dueDate), 'due_date');
  return problems;
}

// ---------------------------------------------------------------------------------------------

const sendUrl = () => `/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`;
const batchUrl = () => `/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`;

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
}

/** A POST of raw bytes over a real socket: what arrives is exactly what a client sent. */
function postRaw(
  path: string,
  payload: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    const call = http.request(
      `${server.url}${path}`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${context.tenant.apiKey}`,
          'Content-Length': String(bytes.length),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, text, body });
        });
      },
    );
    call.on('error', reject);
    call.end(bytes);
  });
}

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  postRaw(path, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });

/** The contract every answer keeps, whatever the input: no 5xx, refusals in the documented shape. */
function expectWellFormed(answer: Answer, context: unknown): void {
  if (answer.status >= 500)
    throw new Error(`answered ${answer.status} ${answer.text} for ${JSON.stringify(context)}`);
  if (answer.status >= 300) {
    const violation = problemBodyViolation(answer.body, answer.text, answer.status);
    if (violation) throw new Error(`${violation}: ${answer.status} ${answer.text}`);
    const { detail, errors } = answer.body as {
      detail: string;
      errors?: { field: string; message: string }[];
    };
    if (answer.status === 400 && errors?.[0] && detail !== `${errors[0].field}: ${errors[0].message}`) {
      throw new Error(`detail does not name the first field error: ${answer.text}`);
    }
  }
}

/** `status`: `canceled` for a batch item its batch's confirmation superseded (`superseded_by`). */
async function expectStoredAsValid(
  messageId: unknown,
  sent: Record<string, unknown>,
  status: Message['status'] = 'queued',
): Promise<void> {
  expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
  const message = await context.db.messages.queries.findById(String(messageId));
  expect(message).not.toBeNull();
  const problems = invariantViolations(message!, sent, status);
  if (problems.length > 0) {
    throw new Error(`accepted a message breaking ${problems.join(', ')}: ${JSON.stringify(sent)}`);
  }
}

describe('POST /api/v1/billing/send-notification under fuzzing', () => {
  it('When any JSON body is sent, then it never answers 5xx, refuses in the documented shape, and answers 200 only for a valid notification', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const answer = await postJson(sendUrl(), body);
        expectWellFormed(answer, body);
        const verdict = notificationVerdict(body);
        if (verdict === 'valid' && answer.status !== 200) {
          throw new Error(
            `refused a valid notification: ${answer.status} ${answer.text} for ${JSON.stringify(body)}`,
          );
        }
        if (verdict === 'invalid' && answer.status !== 400) {
          throw new Error(`answered ${answer.status} to an invalid notification: ${JSON.stringify(body)}`);
        }
        if (answer.status === 200) {
          const fields = body as Record<string, unknown>;
          expect(answer.body).toEqual({
            success: true,
            message_id: expect.any(String),
            invoice_id: fields.invoice_id,
          });
          await expectStoredAsValid((answer.body as { message_id: unknown }).message_id, fields);
        } else {
          expect([400]).toContain(answer.status);
        }
      }),
      runs(),
    );
  });

  it('When numbers are written as raw JSON in odd forms, then amounts are judged by the value read', async () => {
    const literals = fc.constantFrom(
      '1e308',
      '1e400',
      '-1e400',
      '-0',
      '0.0',
      '1E2',
      '100.00',
      '1500.000000000000001',
      '5e-324',
      '0.1e1',
      '1e-400',
      '123456789012.34',
      '1000000000000.01',
      '"1500"',
      '"NaN"',
      '"1e3"',
      'null',
      'true',
    );
    await fc.assert(
      fc.asyncProperty(literals, fc.constantFrom('KES', 'JPY', 'KWD'), async (literal, code) => {
        const invoice = `RAW-${randomUUID()}`;
        const text = JSON.stringify(guideBody({ invoice_id: invoice, currency: code, amount: 0 })).replace(
          '"amount":0',
          `"amount":${literal}`,
        );
        const answer = await postRaw(sendUrl(), text, { 'Content-Type': 'application/json' });
        expectWellFormed(answer, text);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const verdict = notificationVerdict(parsed);
        if (verdict === 'valid') expect(answer.status).toBe(200);
        if (verdict === 'invalid') expect(answer.status).toBe(400);
        if (answer.status === 200)
          await expectStoredAsValid((answer.body as { message_id: unknown }).message_id, parsed);
      }),
      runs(60),
    );
  });

  it('When the Content-Type is anything, then only JSON (or none) is read, and nothing answers 5xx', async () => {
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=UTF-8',
        'application/merge-patch+json',
        'APPLICATION/JSON',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/json; charset=bogus',
        'application/jsonx',
        'text/json',
        'text/plain',
        'text/html',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=xyz',
        'application/xml',
        'application/octet-stream',
        '*/*',
        ';;;',
        'application/json; charset="utf-8"',
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
    );
    await fc.assert(
      fc.asyncProperty(contentType, async (type) => {
        const body = guideBody({ invoice_id: `CT-${randomUUID()}` });
        const answer = await postRaw(sendUrl(), JSON.stringify(body), { 'Content-Type': type });
        expectWellFormed(answer, type);
        // An empty Content-Type is no Content-Type, which the README reads as JSON.
        const isJson = /^\s*(application\/([\w.+-]+\+)?json\s*(;|$)|$)/i.test(type);
        if (answer.status === 200) {
          expect(isJson).toBe(true);
          await expectStoredAsValid((answer.body as { message_id: unknown }).message_id, body);
        } else {
          expect([400, 415]).toContain(answer.status);
        }
      }),
      runs(100),
    );
  });

  it('When the body is arbitrary bytes, invalid UTF-8 included, then nothing answers 5xx', async () => {
    const valid = Buffer.from(JSON.stringify(guideBody({ customer_name: 'NAME' })), 'utf8');
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)),
      // Invalid UTF-8 (lone continuation bytes, overlongs, surrogates encoded, 0xFF) inside a valid body.
      fc
        .array(fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xed, 0xa0, 0xf5, 0xfe, 0xff, 0xe2, 0x28), {
          minLength: 1,
          maxLength: 8,
        })
        .map((junk) => {
          const at = valid.indexOf('NAME');
          return Buffer.concat([valid.subarray(0, at), Buffer.from(junk), valid.subarray(at + 4)]);
        }),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (payload) => {
        const answer = await postRaw(sendUrl(), payload, { 'Content-Type': 'application/json' });
        expectWellFormed(answer, payload.toString('hex'));
        expect([200, 400, 415]).toContain(answer.status);
        if (answer.status === 200) {
          const parsed = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
          await expectStoredAsValid((answer.body as { message_id: unknown }).message_id, parsed);
        }
      }),
      runs(100),
    );
  });

  it('When JSON is nested deeply (up to the body limit) anywhere, then it answers 400 or 413, never 5xx', async () => {
    const nesting = fc.record({
      depth: fc.integer({ min: 1, max: 30_000 }),
      shape: fc.constantFrom('array', 'object'),
      place: fc.constantFrom('body', 'field'),
    });
    await fc.assert(
      fc.asyncProperty(nesting, async ({ depth, shape, place }) => {
        const [open, close] = shape === 'array' ? ['[', ']'] : ['{"a":', '}'];
        const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const text = place === 'body' ? deep : JSON.stringify(guideBody()).replace('"INV-001"', deep);
        const answer = await postRaw(sendUrl(), text, { 'Content-Type': 'application/json' });
        expectWellFormed(answer, { depth, shape, place });
        expect([400, 413]).toContain(answer.status);
      }),
      runs(40),
    );
  });

  it('When instance_id is any text, then it answers 400 or 404, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (instanceId) => {
        const answer = await postJson(
          `/api/v1/billing/send-notification?instance_id=${encodeURIComponent(instanceId)}`,
          guideBody(),
        );
        expectWellFormed(answer, instanceId);
        expect([400, 404]).toContain(answer.status);
      }),
      runs(100),
    );
  });
});

describe('POST /api/v1/billing/send-notifications under fuzzing', () => {
  it('When a batch mixes any notifications, then each is judged on its own, valid ones stored, and nothing answers 5xx', async () => {
    // One notification per invoice and type, so the oracle can match answers to items; two of the
    // same in one batch have their own regression test below.
    const items = fc.uniqueArray(
      fc.oneof(notification, mostlyValidNotification, fc.jsonValue({ maxDepth: 2 })),
      {
        minLength: 1,
        maxLength: 12,
        selector: (item) => {
          const fields = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
          return JSON.stringify([fields.invoice_id, fields.message_type]);
        },
      },
    );
    await fc.assert(
      fc.asyncProperty(items, async (notifications) => {
        const answer = await postJson(batchUrl(), { notifications });
        expectWellFormed(answer, notifications);
        expect(answer.status).toBe(200);
        const result = answer.body as {
          success: boolean;
          batch_id: string | null;
          accepted: number;
          rejected: number;
          results: {
            index: number;
            success: boolean;
            message_id?: string;
            invoice_id?: unknown;
            detail?: string;
            superseded_by?: string;
          }[];
        };
        expect(result.results.map((item) => item.index)).toEqual(notifications.map((_item, index) => index));
        expect(result.accepted + result.rejected).toBe(notifications.length);
        expect(result.results.filter((item) => item.success)).toHaveLength(result.accepted);
        for (const [index, item] of result.results.entries()) {
          const sent = notifications[index];
          const verdict = notificationVerdict(sent);
          if (verdict === 'valid' && !item.success) {
            throw new Error(`refused a valid item: ${item.detail ?? ''} for ${JSON.stringify(sent)}`);
          }
          if (verdict === 'invalid' && item.success)
            throw new Error(`accepted an invalid item: ${JSON.stringify(sent)}`);
          if (item.success) {
            expect(item.invoice_id).toEqual((sent as Record<string, unknown>).invoice_id);
            await expectStoredAsValid(
              item.message_id,
              sent as Record<string, unknown>,
              item.superseded_by ? 'canceled' : 'queued',
            );
            expect((await context.db.messages.queries.findById(item.message_id!))?.batchId).toBe(
              result.batch_id,
            );
          } else {
            expect(typeof item.detail).toBe('string');
            expect(looksLikeStackTrace(item.detail!)).toBe(false);
          }
        }
      }),
      runs(120),
    );
  });

  it('When the batch envelope is any JSON, then only {"notifications": [≥1 item]} is read, and nothing answers 5xx', async () => {
    const envelope = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ notifications: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({ notifications: fc.constant([]) }),
      fc.tuple(strangerKey, fc.jsonValue({ maxDepth: 1 })).map(([key, value]) =>
        objectOf([
          ['notifications', [guideBody({ invoice_id: `ENV-${randomUUID()}` })]],
          [key, value],
        ]),
      ),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async (body) => {
        const answer = await postJson(batchUrl(), body);
        expectWellFormed(answer, body);
        const keys =
          typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
        const notifications = (body as { notifications?: unknown } | null)?.notifications;
        const wellShaped =
          keys.length === 1 &&
          keys[0] === 'notifications' &&
          Array.isArray(notifications) &&
          notifications.length > 0;
        if (answer.status === 200) expect(wellShaped || keys.includes('__proto__')).toBe(true);
        else expect(answer.status).toBe(400);
        if (wellShaped) expect(answer.status).toBe(200);
      }),
      runs(100),
    );
  });
});

describe('Hostile input the properties above leave out: regressions', () => {
  // Each test below pins a bug this suite once found; the comment says what used to go wrong.

  // With natural dedupe off (DEDUPE_WINDOW_HOURS=0), two equal items in one batch used to pair up
  // crosswise on their shared dedupe key, inserting each id twice: the whole batch failed with 500.
  it('When natural dedupe is off and a batch holds the same notification twice, then both are stored', async () => {
    const item = guideBody({ invoice_id: `TWICE-${randomUUID()}` });
    const answer = await postJson(batchUrl(), { notifications: [item, item] });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 2, rejected: 0 });
  });

  // A lone UTF-16 surrogate (valid JSON: "\ud800") used to pass the schema and break the jsonb
  // parameter of the insert: 500, and a whole batch failed for one item.
  it('When customer_name holds a lone surrogate, then it answers 400 naming the field', async () => {
    const answer = await postRaw(
      sendUrl(),
      JSON.stringify(guideBody({ invoice_id: 'LONE-1' })).replace('John Doe', 'John \\ud800Doe'),
      {
        'Content-Type': 'application/json',
      },
    );
    expect(answer.status).toBe(400);
    expect((answer.body as { detail: string }).detail).toMatch(/^customer_name: /);
  });

  it('When one batch item has a lone surrogate in invoice_id, then that item alone is refused', async () => {
    const text = JSON.stringify({
      notifications: [guideBody({ invoice_id: 'LONE-OK' }), guideBody({ invoice_id: 'LONE-BAD' })],
    }).replace('LONE-BAD', 'LONE-\\udfff');
    const answer = await postRaw(batchUrl(), text, { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: 1, rejected: 1 });
  });

  // U+2028/U+2029 (LINE/PARAGRAPH SEPARATOR) are not \p{Cc}; they used to pass and put a line
  // break into the WhatsApp text the customer reads.
  it('When customer_name holds U+2028, then it answers 400 like any other line break', async () => {
    const answer = await postJson(
      sendUrl(),
      guideBody({ invoice_id: 'LS-1', customer_name: 'John\u2028Pay to till 123456 instead' }),
    );
    expect(answer.status).toBe(400);
  });

  // An Idempotency-Key request hashes its body as canonical JSON; a deeply nested body (still
  // under 64 KB) used to overflow that recursion's stack: 500 instead of 400.
  it('When a deeply nested body comes with an Idempotency-Key, then it answers 400', async () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const answer = await postRaw(sendUrl(), `{"phone_number":${deep}}`, {
      'Content-Type': 'application/json',
      'Idempotency-Key': `deep-${randomUUID()}`,
    });
    expect(answer.status).toBe(400);
  });

  // A Content-Encoding the parser knows (gzip, deflate, br) over bytes not so encoded makes
  // body-parser fail with a 400-status error the error responder used to turn into a 500.
  it('When the body claims gzip but is not, then it answers 400', async () => {
    const answer = await postJson(sendUrl(), guideBody({ invoice_id: 'GZ-1' }), {
      'Content-Encoding': 'gzip',
    });
    expect(answer.status).toBe(400);
  });

  // A malformed percent-escape in a path parameter (`%E0%A4%A`, `%zz`) makes the router throw a
  // URIError (status 400) that the error responder used to turn into a 500.
  it('When a path id is malformed percent-encoding, then it answers 400 or 404', async () => {
    const response = await request(context.ingress.app)
      .get('/api/v1/messages/%E0%A4%A')
      .set(as(context.tenant));
    expect(response.status).toBeLessThan(500);
  });

  // A NUL character used to pass the list filters and management bodies and reach Postgres, which
  // refuses it ("invalid byte sequence for encoding UTF8: 0x00"): 500.
  it('When the messages list is filtered by an invoice_id holding NUL, then it answers 400', async () => {
    const response = await request(context.ingress.app)
      .get(`/api/v1/instances/${context.tenant.instance.id}/messages?invoice_id=%00`)
      .set(as(context.tenant));
    expect(response.status).toBe(400);
  });

  it('When management text fields hold NUL, then each answers 400, never 500', async () => {
    const statuses = [
      (
        await request(context.ingress.app)
          .post('/api/v1/api-keys')
          .set(as(context.tenant))
          .send({ name: 'a\u0000b', permissions: ['admin'] })
      ).status,
      (
        await request(context.ingress.app)
          .patch(`/api/v1/instances/${context.tenant.instance.id}`)
          .set(as(context.tenant))
          .send({ name: 'a\u0000b' })
      ).status,
      (
        await request(context.ingress.app)
          .patch(`/api/v1/instances/${context.tenant.instance.id}`)
          .set(as(context.tenant))
          .send({ evolution_token: 'a\u0000b' })
      ).status,
      (
        await request(context.ingress.app)
          .post('/api/v1/webhook-endpoints')
          .set(as(context.tenant))
          .send({ url: 'https://billing.example.com/x', description: 'a\u0000b' })
      ).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 400]);
  });

  // Minor: `__proto__` is the one stranger field not refused by name (Joi skips it), contrary to
  // "fields outside this table are refused by name". It pollutes nothing (checked next).
  it('When the body has a "__proto__" field, then it is refused by name like any other', async () => {
    const text = JSON.stringify(guideBody({ invoice_id: 'PROTO-1' })).replace(
      '{',
      '{"__proto__":{"polluted":1},',
    );
    const answer = await postRaw(sendUrl(), text, { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(400);
  });

  it('When bodies carry "__proto__" and "constructor" keys, then no prototype is polluted and "constructor" is refused by name', async () => {
    const proto = await postRaw(
      sendUrl(),
      JSON.stringify(guideBody({ invoice_id: 'PROTO-2' })).replace(
        '{',
        '{"__proto__":{"polluted":1,"isAdmin":true},',
      ),
      { 'Content-Type': 'application/json' },
    );
    expect(proto.status).toBeLessThan(500);
    const constructor = await postRaw(
      sendUrl(),
      JSON.stringify(guideBody({ invoice_id: 'PROTO-3' })).replace(
        '{',
        '{"constructor":{"prototype":{"polluted":1}},',
      ),
      { 'Content-Type': 'application/json' },
    );
    expect(constructor.status).toBe(400);
    expect((constructor.body as { detail: string }).detail).toBe('constructor: is not a recognised field');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
