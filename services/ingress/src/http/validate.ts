import { validationError, type FieldError } from '@telenexus/core';
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
  'object.base': 'must be an object',
  'array.base': 'must be an array',
  'array.max': 'must contain at most {{#limit}} item(s)',
  'array.min': 'must contain at least {{#limit}} item(s)',
  'array.unique': 'must not contain duplicates',
  'object.min': 'must change at least one field',
  'alternatives.types': 'must be a string',
};

function fieldName(path: readonly (string | number)[], fallback: string): string {
  return path.length === 0 ? fallback : path.map(String).join('.');
}

/**
 * Validates input against a Joi schema and returns the converted value, or throws a
 * `validation_failed` error naming every failing field (the first one in `detail`).
 *
 * @param what names the whole input in messages when the problem is not one field's (`body`).
 */
export function validate<T>(schema: Joi.Schema<T>, input: unknown, what: string): T {
  const result = schema.validate(input, {
    abortEarly: false,
    convert: true,
    messages: MESSAGES,
    errors: { wrap: { label: false, array: false } },
  });
  if (result.error) {
    const fieldErrors: FieldError[] = result.error.details.map((detail) => ({
      field: fieldName(detail.path, what),
      message: detail.message,
    }));
    throw validationError(fieldErrors);
  }
  return result.value;
}
