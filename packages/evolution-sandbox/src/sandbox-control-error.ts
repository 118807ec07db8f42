export type SandboxControlErrorCode = 'invalid' | 'not_found' | 'conflict';

/** A rejected control-API call (bad input, unknown instance, duplicate name). */
export class SandboxControlError extends Error {
  readonly code: SandboxControlErrorCode;

  constructor(code: SandboxControlErrorCode, message: string) {
    super(message);
    this.name = 'SandboxControlError';
    this.code = code;
  }
}
