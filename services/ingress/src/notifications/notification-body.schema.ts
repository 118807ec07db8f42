import {
  amountProblem,
  currencyMinorDigits,
  metadataProblem,
  NOTIFICATION_TYPES,
  type MessageMetadata,
  parseDueDate,
  scheduledSendTime,
  type NotificationType,
} from '@telenexus/core';
import Joi from 'joi';
import { languageTagSchema } from '../templates/language-tag.schema';

/** The guide's request body, after validation and conversion. */
export interface NotificationBody {
  /** As sent; normalised against the instance's country once the instance is known. */
  readonly phone_number: string;
  readonly customer_name: string;
  readonly amount: number;
  readonly currency: string;
  readonly invoice_id: string;
  /** `YYYY-MM-DD`, or null when absent, null or empty. */
  readonly due_date: string | null;
  readonly message_type: NotificationType;
  /** After this the message is `expired` rather than sent late; null: the type's default. */
  readonly expires_at: Date | null;
  /** When to send it, if ahead: it waits as `scheduled` until then; null: now. */
  readonly send_at: Date | null;
  /** The billing system's own references, kept with the message; null when none. */
  readonly metadata: MessageMetadata | null;
  /** BCP 47, canonical: the language of the account's texts to write it in; null: the instance's. */
  readonly language: string | null;
}

/** Limits: generous for any real name or invoice number, small enough to keep a WhatsApp text tidy. */
export const LIMITS = { customerName: 100, invoiceId: 64, phoneNumber: 32 } as const;

/** `phone_number` as billing systems send it: a string, or digits as a JSON number. */
export const phoneNumberField = Joi.alternatives()
  .try(Joi.string().max(LIMITS.phoneNumber), Joi.number().integer().positive())
  .custom((value: string | number) => {
    const text = String(value).trim();
    if (text.length === 0) throw new Error('must not be empty');
    return text;
  });

const currency = Joi.string()
  .trim()
  .uppercase()
  .custom((value: string) => {
    if (!/^[A-Z]{3}$/.test(value) || currencyMinorDigits(value) === undefined) {
      throw new Error('must be an ISO 4217 currency code, e.g. KES, USD, EUR');
    }
    return value;
  });

const dueDate = Joi.alternatives()
  .try(Joi.string().allow(''), Joi.valid(null))
  .custom((value: string | null) => {
    if (value === null || value.trim() === '') return null;
    const date = parseDueDate(value.trim());
    if (!date) throw new Error('must be a real date in ISO 8601 form, e.g. 2026-02-15');
    return date;
  });

/**
 * `metadata`: a flat object of the billing system's own references (see `metadataProblem`). As a
 * string it is read as JSON, for the URL gateway's query strings and forms, which carry only text.
 */
export const metadataField = Joi.any()
  .custom((value: unknown) => {
    if (value === null) return null;
    let parsed: unknown = value;
    if (typeof value === 'string') {
      try {
        parsed = JSON.parse(value) as unknown;
      } catch {
        throw new Error('must be a JSON object, e.g. {"customer_ref": "C-1042"}');
      }
    }
    const problem = metadataProblem(parsed);
    if (problem) throw new Error(problem);
    return parsed;
  })
  .default(null);

/** An ISO 8601 date-time with its offset, so the instant is never guessed from a server's zone. */
function instantOf(value: string): Date {
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? new Date(value)
    : undefined;
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new Error('must be an ISO 8601 date-time with offset, e.g. 2026-02-15T18:00:00+03:00');
  }
  return instant;
}

/** `expires_at`: an instant with its offset, in the future; null for the message type's default. */
export const expiresAtField = Joi.alternatives()
  .try(Joi.string(), Joi.valid(null))
  .custom((value: string | null) => {
    if (value === null) return null;
    const instant = instantOf(value);
    if (instant.getTime() <= Date.now()) throw new Error('must be in the future');
    return instant;
  });

/**
 * `send_at`: an instant with its offset, at most 30 days ahead; the message waits as `scheduled`
 * until then. A time already past means now (null), as does null or absence.
 */
export const sendAtField = Joi.alternatives()
  .try(Joi.string(), Joi.valid(null))
  .custom((value: string | null) => {
    if (value === null) return null;
    const when = scheduledSendTime(instantOf(value), Date.now());
    if ('problem' in when) throw new Error(when.problem);
    return when.waitsUntilMs === null ? null : new Date(when.waitsUntilMs);
  });

/**
 * The guide's request body table as a schema. Fields outside the table are refused by name, so a
 * misspelt `due_dat` is reported instead of silently dropped.
 */
export const notificationBodySchema = Joi.object<NotificationBody>({
  phone_number: phoneNumberField.required(),
  customer_name: Joi.string().trim().min(1).max(LIMITS.customerName).required(),
  amount: Joi.number()
    .custom((value: number, helpers) => {
      // Decimal places depend on the currency, a sibling field; it may not be converted yet here.
      const ancestors: unknown[] = helpers.state.ancestors as unknown[];
      const parent = ancestors[0];
      const raw =
        typeof parent === 'object' && parent !== null
          ? (parent as { currency?: unknown }).currency
          : undefined;
      const problem = amountProblem(value, typeof raw === 'string' ? raw.trim().toUpperCase() : '');
      if (problem) throw new Error(problem);
      return value;
    })
    .required(),
  currency: currency.required(),
  invoice_id: Joi.string().max(LIMITS.invoiceId).pattern(/\S/).message('must not be blank').required(),
  due_date: dueDate.default(null),
  message_type: Joi.string()
    .valid(...NOTIFICATION_TYPES)
    .required(),
  expires_at: expiresAtField.default(null),
  send_at: sendAtField.default(null),
  metadata: metadataField,
  language: languageTagSchema.allow(null).default(null),
})
  .messages({ 'object.base': 'must be a JSON object' })
  .prefs({ abortEarly: false });
