import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { pageSecurityHeaders } from '../http/page-security-headers';

export const CONSOLE_PATH = '/console';

/**
 * The console talks to this origin's API only; nothing inline, nothing framed. Styles and scripts
 * are the built files, so no 'unsafe-inline' is needed.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every built asset after its content hash, so a cached copy never goes stale. */
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';

export interface ConsoleRoutesOptions {
  /**
   * The built console (`packages/console/dist`); by default found through the `@telenexus/console`
   * package. Null: not installed.
   */
  readonly directory?: string | null;
}

/** Where `npm run build` puts the console, or null when the package is not installed. */
export function builtConsoleDirectory(): string | null {
  try {
    return join(dirname(require.resolve('@telenexus/console/package.json')), 'dist');
  } catch {
    return null;
  }
}

const securityHeaders = pageSecurityHeaders(CONTENT_SECURITY_POLICY);

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Telenexus console is not built</title></head>
<body>
<main>
<h1>The Telenexus console is not built</h1>
<p>Run <code>npm run build</code> (or <code>npm install</code>, which builds) in the Telenexus folder,
then reload this page. The HTTP API works without the console.</p>
</main>
</body>
</html>
`;

/**
 * The web console at {@link CONSOLE_PATH}: the built single-page app, with every other path under
 * it answered by its index.html so deep links work. Assets are cached for good (their names carry
 * their hash); index.html is revalidated every time so a new build is picked up at once. When the
 * console was not built, a page says how to build it.
 */
export function consoleRoutes(options: ConsoleRoutesOptions = {}): Router {
  const directory = options.directory === undefined ? builtConsoleDirectory() : options.directory;
  const indexFile = directory === null ? null : join(directory, 'index.html');
  // Checked per request until found, so building while ingress runs needs no restart.
  let built = false;
  const isBuilt = (): boolean => (built ||= indexFile !== null && existsSync(indexFile));

  const router = Router();
  router.use(securityHeaders);

  router.use((request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      next();
      return;
    }
    if (!isBuilt()) {
      response.status(503).setHeader('Cache-Control', 'no-store').type('html').send(NOT_BUILT_PAGE);
      return;
    }
    // Relative URLs in the app resolve against /console/, not /.
    if (request.path === '/' && !request.originalUrl.split('?')[0]!.endsWith('/')) {
      response.redirect(301, `${request.baseUrl}/`);
      return;
    }
    next();
  });

  if (directory !== null) {
    router.use(
      express.static(directory, {
        index: false,
        redirect: false,
        setHeaders: (response, path) => {
          response.setHeader(
            'Cache-Control',
            path.startsWith(join(directory, 'assets')) ? HASHED_ASSET_CACHE : 'no-cache',
          );
        },
      }),
    );
  }

  router.get('/{*path}', (request, response, next) => {
    // A missing asset is a 404, not the app: a stale page must not get HTML for its script.
    if (indexFile === null || request.path.startsWith('/assets/')) {
      next();
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(indexFile);
  });

  return router;
}
