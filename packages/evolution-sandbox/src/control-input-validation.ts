import { SandboxControlError } from './sandbox-control-error';
import type { SandboxFault } from './fault-injector';
import { isSandboxFaultKind } from './fault-injector';
import type { SandboxSettings } from './sandbox-options';
import type { SandboxConnectionState } from './sandbox-records';
import { numberDigits } from './whatsapp-ids';

/*
 * Checks for control-API input. The control routes pass JSON through untyped, so the engine checks
 * every field it receives here rather than trusting the TypeScript signature.
 */

export function isConnectionState(value: unknown): value is SandboxConnectionState {
  return value === 'open' || value === 'connecting' || value === 'close';
}

export function normaliseNumbers(numbers: readonly string[]): string[] {
  if (!Array.isArray(numbers) || numbers.some((number) => typeof number !== 'string')) {
    throw invalid('numbers must be an array of strings');
  }
  const digits = numbers.map(numberDigits);
  if (digits.some((value) => value === '')) throw invalid('every number must contain digits');
  return digits;
}

export function validateSettings(settings: SandboxSettings): void {
  if (!isNonNegative(settings.latencyMs)) throw invalid('latencyMs must be a non-negative number');
  for (const name of ['serverAckMs', 'deliveryAckMs', 'readMs'] as const) {
    const value = settings[name];
    if (value !== null && !isNonNegative(value)) {
      throw invalid(`${name} must be a non-negative number or null`);
    }
  }
  const chance = settings.readProbability;
  if (typeof chance !== 'number' || !(chance >= 0 && chance <= 1)) {
    throw invalid('readProbability must be between 0 and 1');
  }
}

export function validateFault(fault: SandboxFault): void {
  if (typeof fault !== 'object' || fault === null || !isSandboxFaultKind(fault.kind)) {
    throw invalid(`fault kind must be one of the documented kinds`);
  }
  if (fault.instance !== undefined && (typeof fault.instance !== 'string' || fault.instance === '')) {
    throw invalid('fault instance must be a non-empty string');
  }
  if (fault.retryAfterSeconds !== undefined && !isNonNegative(fault.retryAfterSeconds)) {
    throw invalid('retryAfterSeconds must be a non-negative number');
  }
  if (fault.delivered !== undefined && typeof fault.delivered !== 'boolean') {
    throw invalid('delivered must be a boolean');
  }
}

/** Fields that, when present, must be non-empty strings. */
export function validateOptionalStrings<T extends object>(
  input: T,
  fields: readonly (keyof T & string)[],
): void {
  for (const field of fields) {
    const value: unknown = input[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw invalid(`${field} must be a non-empty string`);
    }
  }
}

export function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

export function invalid(message: string): SandboxControlError {
  return new SandboxControlError('invalid', message);
}
