import { dirname, join } from 'node:path';
import { Router } from 'express';
import { HttpProblem } from '../http/http-problem';
import { pageSecurityHeaders } from '../http/page-security-headers';
import { pathParam } from '../http/path-param';
import { buildOpenApiDocument } from './openapi-document';

export const OPENAPI_DOCUMENT_PATH = '/api/openapi.json';
export const REFERENCE_PAGE_PATH = '/docs';
const ASSETS_PATH = `${REFERENCE_PAGE_PATH}/assets`;

/**
 * Swagger UI keeps to this: its scripts and styles are files of ours, it fetches the document from
 * this origin, and its icons are `data:` images inside its stylesheet. Nothing inline runs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The renderer's files that the page loads, and nothing else of its package (no demo page). */
const RENDERER_FILES: Readonly<Record<string, string>> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** Starts Swagger UI on the page; a file, not an inline script, so the policy needs no exception. */
const INITIALIZER_FILE = 'reference-page.js';
const INITIALIZER = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '${OPENAPI_DOCUMENT_PATH}',
    dom_id: '#reference',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // A reference to read: no request is sent from the page, so no key is ever typed into it.
    supportedSubmitMethods: [],
    plugins: [function () {
      return { wrapComponents: { authorizeBtn: function () { return function () { return null; }; } } };
    }],
    // Swagger UI would otherwise send the document to its public validator.
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Telenexus API reference</title>
<link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<noscript><p>This page needs JavaScript. The OpenAPI document it renders is at
<a href="${OPENAPI_DOCUMENT_PATH}">${OPENAPI_DOCUMENT_PATH}</a>.</p></noscript>
<div id="reference"></div>
<script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="${ASSETS_PATH}/${INITIALIZER_FILE}"></script>
</body>
</html>
`;

// Revalidated every time (cheaply, by ETag), so an upgrade is seen at once.
const securityHeaders = pageSecurityHeaders(CONTENT_SECURITY_POLICY, { 'Cache-Control': 'no-cache' });

/** Where swagger-ui-dist's files are: a production dependency, so the image has them. */
function rendererDirectory(): string {
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

export interface ApiDocsRoutesOptions {
  /** `PUBLIC_BASE_URL`: the document's server and the start of every problem `type`. */
  readonly publicBaseUrl: string;
}

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document of the API, no key needed. `GET /docs`: a
 * reference page that renders it with Swagger UI, served from node_modules (no CDN), under a
 * strict Content-Security-Policy.
 */
export function apiDocsRoutes(options: ApiDocsRoutesOptions): Router {
  const document = buildOpenApiDocument({ publicBaseUrl: options.publicBaseUrl });
  const directory = rendererDirectory();
  const router = Router();

  router.get(OPENAPI_DOCUMENT_PATH, (_request, response) => {
    response.setHeader('Cache-Control', 'no-cache');
    response.json(document);
  });

  router.get(REFERENCE_PAGE_PATH, securityHeaders, (_request, response) => {
    response.type('html').send(PAGE);
  });

  router.get(`${ASSETS_PATH}/:file`, securityHeaders, (request, response, next) => {
    const file = pathParam(request, 'file');
    if (file === INITIALIZER_FILE) {
      response.type('js').send(INITIALIZER);
      return;
    }
    const contentType = RENDERER_FILES[file];
    if (contentType === undefined)
      throw new HttpProblem('route_not_found', `No route for GET ${request.path}`);
    response.sendFile(join(directory, file), { headers: { 'Content-Type': contentType } }, (error) => {
      if (error) next(error);
    });
  });

  return router;
}
