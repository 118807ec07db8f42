import type { HttpErrorCode } from './problem-types';

/**
 * A refusal that only HTTP knows of (no route, a wrong method, a body that is not JSON), thrown so
 * that the error responder answers it like every other error.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';

  constructor(
    readonly code: HttpErrorCode,
    /** The answer's `detail`. */
    message: string,
    /** Headers the answer must carry, e.g. `Allow` on a 405. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
