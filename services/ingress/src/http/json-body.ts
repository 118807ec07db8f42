import express, { type RequestHandler } from 'express';

/**
 * Parses JSON bodies up to a limit. A body sent without a Content-Type is read as JSON too: some
 * billing systems' HTTP clients omit it, and there is nothing else it could be.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({
    limit: limitBytes,
    strict: true,
    type: (request) => {
      const contentType = request.headers['content-type'];
      return !contentType || /^application\/([\w.+-]+\+)?json\b/i.test(contentType);
    },
  });
}
