import type { IncomingMessage, ServerResponse } from 'node:http';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/*
 * Every answer an API test receives is checked against the OpenAPI document: its status must be
 * documented for the operation, its Content-Type must be one the document gives for that status,
 * its required headers must be there, and its JSON body must validate (Ajv, JSON Schema 2020-12,
 * the dialect of OpenAPI 3.1) against the schema the document gives — whose objects admit no
 * undocumented member. A test that receives an answer the document does not describe fails.
 */

/** The part of an OpenAPI 3.1 document the checker reads. */
export interface CheckedDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components: { readonly responses?: Readonly<Record<string, unknown>> };
}

/** One answer, as the client received it. */
export interface ObservedExchange {
  readonly method: string;
  /** The request path, without the query. */
  readonly path: string;
  readonly status: number;
  /** Lower-case names, as Node keeps them. */
  readonly headers: Readonly<Record<string, number | string | readonly string[] | undefined>>;
  readonly body: Buffer;
}

interface HeaderSpec {
  readonly required?: boolean;
  readonly schema?: { readonly type?: string };
}

interface ResponseSpec {
  readonly $ref?: string;
  readonly headers?: Readonly<Record<string, HeaderSpec>>;
  readonly content?: Readonly<Record<string, unknown>>;
}

/** Where a response lives in the document, for compiling its schemas by JSON pointer. */
interface LocatedResponse {
  readonly pointer: readonly string[];
  readonly response: ResponseSpec;
  /** How the checker names it in a violation. */
  readonly label: string;
}

const DOCUMENT_ID = 'openapi.json';

/** The OpenAPI members beside the schemas: annotations to Ajv, so the document can be its root. */
const OPENAPI_MEMBERS = [
  'openapi',
  'info',
  'jsonSchemaDialect',
  'servers',
  'paths',
  'webhooks',
  'components',
  'security',
  'tags',
  'externalDocs',
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function headerValue(exchange: ObservedExchange, name: string): string | undefined {
  const value = exchange.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map((error) => {
      const where = error.instancePath || '(body)';
      const what =
        error.keyword === 'additionalProperties'
          ? `has the undocumented member "${String((error.params as { additionalProperty?: string }).additionalProperty)}"`
          : error.message;
      return `${where} ${what}`;
    })
    .join('; ');
}

/**
 * Paths outside the API, which the document does not describe: the console and the queue
 * dashboard (HTML apps), the reference page's files, and `/`, which redirects to the console.
 */
export const NON_API_PATHS: readonly RegExp[] = [
  /^\/$/,
  /^\/console(\/|$)/i,
  /^\/admin\/queues(\/|$)/i,
  /^\/docs\/./i,
];

/** The schemas of an OpenAPI document, compiled where they are (Ajv, JSON Schema 2020-12, strict). */
export interface DocumentSchemas {
  /**
   * The validator of the schema at a JSON pointer into the document (unescaped segments), with its
   * `$ref`s resolved against the document. Throws when the schema is not valid in strict mode.
   */
  compileAt(pointer: readonly string[]): ValidateFunction;
}

/** Compiles a document's schemas where they stand, so `#/components/schemas/…` resolve. */
export function createDocumentAjv(document: object): DocumentSchemas {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  for (const keyword of OPENAPI_MEMBERS) ajv.addKeyword({ keyword });
  ajv.addSchema(document, DOCUMENT_ID);
  const compiled = new Map<string, ValidateFunction>();
  return {
    compileAt(pointer) {
      const ref = `${DOCUMENT_ID}#/${pointer.map(escapePointer).join('/')}`;
      let validate = compiled.get(ref);
      if (!validate) {
        validate = ajv.getSchema(ref);
        if (!validate) throw new Error(`The document has no schema at ${ref}`);
        compiled.set(ref, validate);
      }
      return validate;
    },
  };
}

/** Checks answers against one OpenAPI document. */
export class OpenApiConformance {
  private readonly schemas: DocumentSchemas;
  private readonly templates: readonly {
    readonly path: string;
    readonly pattern: RegExp;
    readonly literals: number;
  }[];

  constructor(private readonly document: CheckedDocument) {
    this.schemas = createDocumentAjv(document);
    // Express matches paths case-insensitively and with or without a trailing slash; so does this.
    this.templates = Object.keys(document.paths)
      .map((path) => {
        const source = path
          .split('/')
          .map((segment) =>
            /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          )
          .join('/');
        return {
          path,
          pattern: new RegExp(`^${source}/?$`, 'i'),
          literals: path.split('/').filter((segment) => segment && !segment.startsWith('{')).length,
        };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  /** What is wrong with an answer, in words; empty when the document describes it. */
  violations(exchange: ObservedExchange): string[] {
    const method = exchange.method.toLowerCase();
    // OpenAPI has no place for OPTIONS answers (Express's, with `Allow`), nor for the non-API apps.
    if (method === 'options' || NON_API_PATHS.some((pattern) => pattern.test(exchange.path))) return [];
    const template = this.templates.find((candidate) => candidate.pattern.test(exchange.path));
    const pathItem = template ? this.document.paths[template.path] : undefined;
    const operationMethod = method === 'head' ? 'get' : method;
    const operation =
      pathItem && METHODS.includes(operationMethod)
        ? (pathItem[operationMethod] as { responses?: Record<string, ResponseSpec> } | undefined)
        : undefined;
    const title = `${exchange.method.toUpperCase()} ${exchange.path} → ${exchange.status}`;
    if (!template || !operation?.responses) return this.unroutedViolations(exchange, title);

    const responses = operation.responses;
    const status = String(exchange.status);
    const key = [status, `${status[0]}XX`, 'default'].find((candidate) => responses[candidate] !== undefined);
    if (key === undefined) {
      return [
        `${title}: status ${status} is not documented for ${operationMethod.toUpperCase()} ${template.path} ` +
          `(documented: ${Object.keys(responses).join(', ')})`,
      ];
    }
    const located = this.resolve({
      pointer: ['paths', template.path, operationMethod, 'responses', key],
      response: responses[key]!,
      label: `${operationMethod.toUpperCase()} ${template.path} ${key}`,
    });
    return this.responseViolations(exchange, title, located, method === 'head');
  }

  /**
   * A request no operation takes must get one of the document's reusable responses, which are the
   * answers to such requests (no route, another method, no key before routing).
   */
  private unroutedViolations(exchange: ObservedExchange, title: string): string[] {
    const candidates = Object.keys(this.document.components.responses ?? {}).map((name) =>
      this.resolve({
        pointer: ['components', 'responses', name],
        response: { $ref: `#/components/responses/${name}` },
        label: name,
      }),
    );
    const outcomes = candidates.map((candidate) =>
      this.responseViolations(exchange, title, candidate, exchange.method.toUpperCase() === 'HEAD'),
    );
    if (outcomes.some((found) => found.length === 0)) return [];
    return [
      `${title}: no operation of the document takes ${exchange.method.toUpperCase()} ${exchange.path}, and the ` +
        `answer is none of ${candidates.map((candidate) => candidate.label).join(', ')}: ` +
        outcomes.map((found) => found.join(' / ')).join(' | '),
    ];
  }

  /** Follows a response's `$ref` to the response it names. */
  private resolve(located: LocatedResponse): LocatedResponse {
    const ref = located.response.$ref;
    if (ref === undefined) return located;
    const pointer = ref
      .replace(/^#\//, '')
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    let target: unknown = this.document;
    for (const part of pointer) target = (target as Record<string, unknown>)[part];
    return { ...located, pointer, response: target as ResponseSpec };
  }

  private responseViolations(
    exchange: ObservedExchange,
    title: string,
    located: LocatedResponse,
    head: boolean,
  ): string[] {
    const problems: string[] = [];
    const { response } = located;
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = headerValue(exchange, name);
      if (value === undefined) {
        if (header.required) problems.push(`the required header ${name} is missing (${located.label})`);
      } else if (header.schema?.type === 'integer' && !/^\d+$/.test(value)) {
        problems.push(`the header ${name} is "${value}", not an integer (${located.label})`);
      }
    }
    const content = response.content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      if (exchange.body.length > 0) problems.push(`a body is sent where ${located.label} documents none`);
      return problems.map((problem) => `${title}: ${problem}`);
    }
    const contentType = headerValue(exchange, 'content-type');
    const mediaType = contentType === undefined ? undefined : mediaTypeOf(contentType);
    if (mediaType === undefined || !mediaTypes.includes(mediaType)) {
      problems.push(
        `Content-Type ${contentType ?? '(none)'} is not documented (${located.label}: ${mediaTypes.join(', ')})`,
      );
      return problems.map((problem) => `${title}: ${problem}`);
    }
    if (!head && isJson(mediaType)) {
      const text = exchange.body.toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`the body is not JSON: ${text.slice(0, 200)}`);
        return problems.map((problem) => `${title}: ${problem}`);
      }
      const validate = this.schemas.compileAt([...located.pointer, 'content', mediaType, 'schema']);
      if (!validate(body)) {
        problems.push(
          `the body does not match ${located.label}: ${describeErrors(validate.errors)} — ${text.slice(0, 300)}`,
        );
      }
    }
    return problems.map((problem) => `${title}: ${problem}`);
  }
}

/** An Express app, or anything that handles requests through `handle` the way one does. */
interface HandlingApp {
  handle(request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
}

/**
 * Checks every answer `app` gives, whoever calls it (supertest, `app.listen`), and hands each
 * violation to `report` before the answer leaves. The app is changed in place (its `handle`), so
 * it stays the same Express app to tests that read its router or listen with it.
 */
export function observeConformance<App extends object>(
  app: App,
  conformance: OpenApiConformance,
  report: (violation: string) => void,
): App {
  const handling = app as unknown as HandlingApp;
  const handle = handling.handle.bind(handling);
  handling.handle = (request, response, next) => {
    // Read now: routers rewrite `url` while they route.
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0]!;
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding?: unknown): void => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              chunk as string,
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            ),
      );
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((...args: unknown[]) => {
      collect(args[0], args[1]);
      return write(...args);
    }) as typeof response.write;
    response.end = ((...args: unknown[]) => {
      collect(args[0], args[1]);
      try {
        const exchange: ObservedExchange = {
          method,
          path,
          status: response.statusCode,
          headers: response.getHeaders(),
          body: Buffer.concat(chunks),
        };
        for (const violation of conformance.violations(exchange)) report(violation);
      } catch (error) {
        report(`The conformance check itself failed: ${String(error)}`);
      }
      return end(...args);
    }) as typeof response.end;
    handle(request, response, next);
  };
  return app;
}
