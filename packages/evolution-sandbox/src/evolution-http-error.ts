import { STATUS_CODES } from 'node:http';

/** Evolution's error body: `{status, error, response: {message}}`. */
export interface EvolutionErrorBody {
  readonly status: number;
  readonly error: string;
  readonly response: { readonly message: unknown };
}

/**
 * An error the sandbox answers exactly as Evolution would. Evolution's exception classes wrap their
 * arguments in an array (`BadRequestException('x')` → `["x"]`, schema errors → `[["…"]]`) while
 * errors escaping from Baileys keep a bare string; `message` is therefore stored as given.
 */
export class EvolutionHttpError extends Error {
  readonly status: number;
  readonly responseMessage: unknown;

  constructor(status: number, responseMessage: unknown) {
    super(typeof responseMessage === 'string' ? responseMessage : JSON.stringify(responseMessage));
    this.name = 'EvolutionHttpError';
    this.status = status;
    this.responseMessage = responseMessage;
  }

  toBody(): EvolutionErrorBody {
    return evolutionErrorBody(this.status, this.responseMessage);
  }
}

export function evolutionErrorBody(status: number, message: unknown): EvolutionErrorBody {
  return { status, error: STATUS_CODES[status] ?? 'Error', response: { message } };
}

/** 404 for a route naming an unknown instance (observed wording). */
export function instanceNotFound(name: string): EvolutionHttpError {
  return new EvolutionHttpError(404, [`The "${name}" instance does not exist`]);
}

/** 401 for a missing or wrong apikey (observed: a bare string). */
export function unauthorized(): EvolutionHttpError {
  return new EvolutionHttpError(401, 'Unauthorized');
}

/** 400 for JSON-schema failures: Evolution passes its list of messages as one argument. */
export function schemaViolation(messages: readonly string[]): EvolutionHttpError {
  return new EvolutionHttpError(400, [[...messages]]);
}

export function badRequest(message: unknown): EvolutionHttpError {
  return new EvolutionHttpError(400, [message]);
}
