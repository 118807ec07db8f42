import http from 'node:http';
import https from 'node:https';

// WeakSets, so settled requests are not kept alive by the bookkeeping.
const trackedRequests = new WeakSet<object>();
// Requests whose last byte reached the OS.
const writtenRequests = new WeakSet<object>();

/** The subset of an axios `transport` the HTTP adapter calls. */
export interface RequestTransport {
  request(
    options: http.RequestOptions,
    callback?: (response: http.IncomingMessage) => void,
  ): http.ClientRequest;
}

/**
 * An axios `transport` that creates plain Node requests (no redirect following) and remembers which
 * of them emitted 'finish'. Node emits 'finish' only after the final write callback succeeded, so a
 * request in the set had been fully handed to the kernel before any later error.
 */
export const writeTrackingTransport: RequestTransport = {
  request(options, callback) {
    const request =
      options.protocol === 'https:' ? https.request(options, callback) : http.request(options, callback);
    trackedRequests.add(request);
    request.once('finish', () => writtenRequests.add(request));
    return request;
  },
};

/**
 * Whether the native request axios attached to an error had been fully written. Requests the
 * tracker did not create fall back to `writableFinished`, which is less exact: once Node destroys a
 * socket it drops the unsent buffer, so the getter can report true for bytes that never left.
 */
export function wasRequestWritten(request: unknown): boolean {
  if (typeof request !== 'object' || request === null) return false;
  if (trackedRequests.has(request)) return writtenRequests.has(request);
  return (request as { writableFinished?: unknown }).writableFinished === true;
}
