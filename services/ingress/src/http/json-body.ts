import express, { type Request, type RequestHandler } from 'express';
import { HttpProblem } from './http-problem';

const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/** Methods whose body a route of ours reads; a body sent with another method is ignored. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export const NOT_JSON_DETAIL = 'Request body must be JSON: send the header Content-Type: application/json';

/** A body without a Content-Type is read as JSON: some billing systems' HTTP clients omit it. */
export function isReadAsJson(request: Request): boolean {
  return !request.headers['content-type'] || request.is(JSON_MEDIA_TYPES) !== false;
}

/** Zero bytes are no body, whatever the Content-Type (PHP's curl labels an empty POST as a form). */
export function carriesBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}

/**
 * Parses JSON bodies up to a limit, and refuses with 415 a body of POST, PUT or PATCH labelled as
 * anything else (a form, text), naming the header to send, rather than letting the route see no
 * body and blame its fields.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, strict: true, type: () => true });
  return (request, response, next) => {
    if (isReadAsJson(request)) {
      parse(request, response, next);
      return;
    }
    if (BODY_METHODS.has(request.method) && carriesBody(request)) {
      throw new HttpProblem('unsupported_media_type', NOT_JSON_DETAIL);
    }
    next();
  };
}
