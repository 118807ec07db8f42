import type { RequestHandler } from 'express';

/**
 * Lets at most `limit` requests through at once; the others wait their turn, in order, before
 * their bodies are read. A request holds its turn until its response closes (sent, or the client
 * gone); one whose client left while waiting passes its turn on at once.
 */
export function concurrencyLimit(limit: number): RequestHandler {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return (_request, response, next) => {
    const start = (): void => {
      if (response.closed) {
        release();
        return;
      }
      response.once('close', release);
      next();
    };
    if (active < limit) {
      active += 1;
      start();
    } else waiting.push(start);
  };
}
