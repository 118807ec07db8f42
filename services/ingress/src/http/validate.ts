import {
  isSafeMessageText,
  isSafeText,
  UNSAFE_MESSAGE_TEXT_MESSAGE,
  UNSAFE_TEXT_MESSAGE,
  validationError,
  type FieldError,
} from '@telenexus/core';
import type Joi from 'joi';

/**
 * Plain-English messages, without the field name: the field is put in front as `field: …`, which is
 * the form every 400 of ours takes.
 */
const MESSAGES: Joi.LanguageMessages = {
  'any.required': 'is required',
  'any.only': 'must be one of: {{#valids}}',
  'any.invalid': 'is not allowed',
  'any.custom': '{{#error.message}}',
  'string.base': 'must be a string',
  'string.empty': 'must not be empty',
  'string.min': 'must be at least {{#limit}} characters',
  'string.max': 'must be at most {{#limit}} characters',
  'string.length': 'must be exactly {{#limit}} characters',
  'string.guid': 'must be a UUID',
  'string.pattern.base': 'has an invalid format',
  'number.base': 'must be a number',
  'number.infinity': 'must be a finite number',
  'number.unsafe': 'must be a finite number',
  'number.min': 'must be at least {{#limit}}',
  'number.max': 'must be at most {{#limit}}',
  'number.integer': 'must be a whole number',
  'object.unknown': 'is not a recognised field',
  'object.base': 'must be a JSON object',
  'array.base': 'must be an array',
  'array.max': 'must contain at most {{#limit}} item(s)',
  'array.min': 'must contain at least {{#limit}} item(s)',
  'array.unique': 'must not contain duplicates',
  'object.min': 'must change at least one field',
  'alternatives.types': 'must be a string',
};

/**
 * Schemas with our messages and options compiled in, once each. They are validated with no options
 * of their own: Joi caches a schema's merged preferences only then, and otherwise merges them (and
 * compiles the messages again) on every call.
 */
const preparedSchemas = new WeakMap<Joi.Schema, Joi.Schema>();

function prepared<T>(schema: Joi.Schema<T>): Joi.Schema<T> {
  let ready = preparedSchemas.get(schema) as Joi.Schema<T> | undefined;
  if (!ready) {
    ready = schema.prefs({
      abortEarly: false,
      convert: true,
      messages: MESSAGES,
      errors: { wrap: { label: false, array: false } },
    });
    preparedSchemas.set(schema, ready);
  }
  return ready;
}

/** A parameter given under two of its names is the problem of the name it is known by (Joi's `rename`). */
function renamedTo(detail: Joi.ValidationErrorItem): string | undefined {
  const to: unknown = detail.context?.['to'];
  return detail.type.startsWith('object.rename.') && typeof to === 'string'
    ? fieldName([...detail.path, to], to)
    : undefined;
}

function fieldName(path: readonly (string | number)[], fallback: string): string {
  return path.length === 0 ? fallback : path.map(String).join('.');
}

/** Deeper than any of our inputs goes; a body nested further is refused before anything walks it. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Problems no schema should have to repeat: text that is unsafe anywhere in the input (NUL breaks
 * Postgres, a lone surrogate breaks jsonb, a line separator breaks a WhatsApp text), a `__proto__`
 * key (which Joi would silently skip), and nesting deeper than any real request.
 */
function inputProblems(
  value: unknown,
  path: string[],
  what: string,
  problems: FieldError[],
  messageTextFields: ReadonlySet<string>,
): void {
  const field = path.length === 0 ? what : path.join('.');
  if (path.length > MAX_INPUT_DEPTH) {
    problems.push({ field: what, message: `nests deeper than ${MAX_INPUT_DEPTH} levels` });
    return;
  }
  if (typeof value === 'string') {
    if (path.length === 1 && messageTextFields.has(field)) {
      if (!isSafeMessageText(value)) problems.push({ field, message: UNSAFE_MESSAGE_TEXT_MESSAGE });
    } else if (!isSafeText(value)) problems.push({ field, message: UNSAFE_TEXT_MESSAGE });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '__proto__' || !isSafeText(key)) {
      problems.push({ field: [...path, key].join('.'), message: 'is not a recognised field' });
      continue;
    }
    inputProblems(inner, [...path, key], what, problems, messageTextFields);
    if (problems.length >= 20) return;
  }
}

const NO_FIELDS: ReadonlySet<string> = new Set();

function messageTextFieldSet(fields: readonly string[] | undefined): ReadonlySet<string> {
  return fields ? new Set(fields) : NO_FIELDS;
}

/**
 * Validates input against a Joi schema and returns the converted value, or throws a
 * `validation_failed` error naming every failing field (the first one in `detail`).
 *
 * @param what names the whole input in messages when the problem is not one field's (`body`).
 * @param options.scanContent false for an envelope whose items are validated one by one (a batch),
 *   so one bad item refuses only itself.
 * @param options.messageTextFields top-level fields holding a whole message's text, in which line
 *   breaks and tabs are the message's own layout (`isSafeMessageText`).
 */
export function validate<T>(
  schema: Joi.Schema<T>,
  input: unknown,
  what: string,
  options: { readonly scanContent?: boolean; readonly messageTextFields?: readonly string[] } = {},
): T {
  const problems: FieldError[] = [];
  if (options.scanContent ?? true)
    inputProblems(input, [], what, problems, messageTextFieldSet(options.messageTextFields));
  if (problems.length > 0) throw validationError(problems);
  const result = prepared(schema).validate(input);
  if (result.error) {
    const fieldErrors: FieldError[] = result.error.details.map((detail) => ({
      field: renamedTo(detail) ?? fieldName(detail.path, what),
      message: detail.message,
    }));
    throw validationError(fieldErrors);
  }
  return result.value;
}
