import express, { type RequestHandler } from 'express';
import { HttpProblem } from '../http/http-problem';
import { carriesBody, isReadAsJson } from '../http/json-body';

const FORM = 'application/x-www-form-urlencoded';

export const GATEWAY_BODY_DETAIL =
  'Request body must be a form (Content-Type: application/x-www-form-urlencoded) or JSON (application/json)';

/**
 * Reads a POST to the gateway: a form, as HTML forms and most "HTTP request" settings of billing
 * systems send it (`+` is a space, as PHP's `urlencode` writes it), or JSON; a body without a
 * Content-Type is read as JSON, as the rest of the API reads it. Anything else is refused with 415
 * naming both, rather than the route seeing no parameters and blaming each.
 */
export function gatewayBody(limitBytes: number): RequestHandler {
  const form = express.urlencoded({ extended: false, limit: limitBytes, type: FORM });
  const json = express.json({ limit: limitBytes, strict: true, type: () => true });
  return (request, response, next) => {
    if (request.headers['content-type'] && request.is(FORM)) form(request, response, next);
    else if (isReadAsJson(request)) json(request, response, next);
    else if (carriesBody(request)) throw new HttpProblem('unsupported_media_type', GATEWAY_BODY_DETAIL);
    else next();
  };
}
