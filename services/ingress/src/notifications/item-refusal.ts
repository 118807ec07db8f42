import { DomainError } from '@telenexus/core';
import type { ItemResult } from './accept-notifications.use-case';

/**
 * A single send's refused item as the error its request answers with: 422 `would_expire`, 409
 * `conflict` naming the earlier message, or 400 naming the field.
 */
export function refusalError(
  result: Extract<ItemResult, { success: false }>,
  fieldFallback = 'body',
): DomainError {
  if (result.code === 'would_expire') return new DomainError('would_expire', result.detail);
  if (result.code === 'conflict') {
    return new DomainError('conflict', result.detail, {
      ...(result.conflictingMessageId ? { extra: { message_id: result.conflictingMessageId } } : {}),
    });
  }
  const field = result.field ?? fieldFallback;
  return new DomainError('validation_failed', result.detail, {
    fieldErrors: [{ field, message: result.detail.replace(`${field}: `, '') }],
  });
}
