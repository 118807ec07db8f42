import type { RequestHandler } from 'express';

/**
 * The headers every page we serve to a browser carries (the console, the API reference): its own
 * Content-Security-Policy, no framing, no referrer, no sniffing, its own browsing context.
 */
export function pageSecurityHeaders(
  contentSecurityPolicy: string,
  extra: Readonly<Record<string, string>> = {},
): RequestHandler {
  return (_request, response, next) => {
    response.setHeader('Content-Security-Policy', contentSecurityPolicy);
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    for (const [name, value] of Object.entries(extra)) response.setHeader(name, value);
    next();
  };
}
