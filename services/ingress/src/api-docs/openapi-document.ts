import { WIRE_SCHEMAS } from '@telenexus/api-contract';
import { GUIDE_OVERVIEW } from './integration-guide';
import {
  schemaRef,
  type OperationObject,
  type PathItemObject,
  type ResponseObject,
  type SchemaObject,
} from './openapi-objects';
import { openApiPaths, TAGS } from './openapi-paths';
import { eventWebhooks } from './openapi-webhooks';
import { errorResponses, problemSchemas } from './problem-responses';

/** The OpenAPI 3.1 document of ingress's API, as served at `/api/openapi.json`. */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: Readonly<Record<string, unknown>>;
  readonly servers: readonly { readonly url: string; readonly description: string }[];
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly paths: Readonly<Record<string, PathItemObject>>;
  readonly webhooks: Readonly<Record<string, PathItemObject>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, SchemaObject>>;
    readonly responses: Readonly<Record<string, ResponseObject>>;
    readonly securitySchemes: Readonly<Record<string, Readonly<Record<string, string>>>>;
  };
}

export interface OpenApiDocumentOptions {
  /** `PUBLIC_BASE_URL`: the server of the document, and the start of every problem `type`. */
  readonly publicBaseUrl: string;
}

/**
 * Answers to requests no operation takes (no route, another method, and — under `/api/v1` — no
 * valid key, checked before routing). Referenced by no operation, they apply to every path.
 */
const UNROUTED_RESPONSES = {
  RouteNotFound: 'route_not_found',
  MethodNotAllowed: 'method_not_allowed',
  Unauthenticated: 'unauthenticated',
} as const;

const DESCRIPTION = [
  GUIDE_OVERVIEW,
  'The contract billing systems integrate against is the *Billing System Integration Guide* ' +
    '(`docs/billing-integration-guide.md`); its endpoint, `POST /api/v1/billing/send-notification`, is ' +
    'described here in the guide’s own words. Every other route serves the web console, operators and ' +
    'billing systems that want more (batches, the Messages API, status webhooks).',
  '**Authentication.** Every `/api/v1` request carries `Authorization: Bearer YOUR_API_KEY` (API Keys page), ' +
    'except Evolution’s webhook calls. What a key may do depends on its permissions: `send_message`, ' +
    '`receive_message`, `admin`, `support` (read-only, for support staff). An id of another account answers 404 on every route, exactly like one that ' +
    'does not exist.',
  '**Errors.** Every error answers `application/problem+json` (RFC 9457): `type` (a URL that explains the ' +
    'problem), `title`, `status`, `detail` (the words to show; the guide’s clients read this member), and a ' +
    'stable `code` to branch on, plus `errors: [{field, message}]` when fields are at fault and `error_id` on ' +
    'a 500. A path not listed here answers 404 `route_not_found`; a listed path with another method answers ' +
    '405 `method_not_allowed` with `Allow`. Never a stack trace.',
  '**Formats.** Bodies are JSON (UTF-8), fields are snake_case like the guide, instants are ISO 8601 in UTC ' +
    '(`2026-02-01T10:00:00.000Z`), ids are UUIDs. Lists are paged newest first with an opaque `cursor`.',
].join('\n\n');

/**
 * The contract's wire schemas as components. A schema embedded in another (a message in a page, a
 * pacing in an instance) is the same object in the contract package; here it becomes a `$ref`.
 */
function wireSchemaComponents(): Record<string, SchemaObject> {
  const names = new Map<unknown, string>(
    Object.entries(WIRE_SCHEMAS).map(([name, schema]) => [schema, name]),
  );
  const withRefs = (value: unknown, top: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => withRefs(item, false));
    if (value === null || typeof value !== 'object') return value;
    const name = names.get(value);
    if (name !== undefined && !top) return schemaRef(name);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withRefs(inner, false)]));
  };
  return Object.fromEntries(
    Object.entries(WIRE_SCHEMAS).map(([name, schema]) => [name, withRefs(schema, true) as SchemaObject]),
  );
}

/** The headers of every status webhook POST: Standard Webhooks (standardwebhooks.com), plus two conveniences. */
const STATUS_WEBHOOK_HEADERS: NonNullable<OperationObject['parameters']> = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description:
      'The event id (the body’s `id`): the same for every endpoint, every retry and every replay. Dedupe on it.',
    schema: { type: 'string', format: 'uuid' },
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description:
      'When this attempt was signed, in unix seconds. Refuse it more than 5 minutes away from now.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`, keyed with the base64-decoded ' +
      'part of the secret after `whsec_`. After a rotation, two entries separated by a space (new secret, old ' +
      'secret) until the old one expires: accept if any matches.',
    schema: { type: 'string' },
  },
  {
    name: 'Telenexus-Event-Type',
    in: 'header',
    required: true,
    description: 'The body’s `type`, for routing before parsing. Not signed.',
    schema: { type: 'string' },
  },
  {
    name: 'Telenexus-Delivery-Id',
    in: 'header',
    required: true,
    description:
      'This delivery, as the deliveries log shows it (a replay is a new delivery of the same event). Not signed.',
    schema: { type: 'string', format: 'uuid' },
  },
];

/** How every event is delivered, retried and verified: the same for all of them. */
const WEBHOOK_DELIVERY_TERMS =
  'POSTed to every enabled endpoint subscribed to the event, **at least once**: any non-2xx answer, timeout ' +
  'or connection error is retried with exponential backoff (30 s doubling, at most 1 h apart; `Retry-After` ' +
  'on 429/503 honoured) for at least 24 hours. Redirects are not followed. Duplicates are possible and order ' +
  'is not guaranteed: dedupe on `webhook-id` (the event id) and keep the latest `data.status`. Answer any 2xx ' +
  'within 10 s and do the work afterwards.\n\n' +
  '**Verifying the signature.** Deliveries follow [Standard Webhooks](https://www.standardwebhooks.com): ' +
  'verify them with its official library for your language (PHP `standard-webhooks/standard-webhooks`, ' +
  'Python `standardwebhooks`, Node `standardwebhooks`, …) given the endpoint’s `whsec_…` secret, the ' +
  'headers and the **raw** body bytes.';

/**
 * Builds the OpenAPI 3.1 document of every public route: the wire shapes come from the contract
 * package (the same schemas that type the server's views and the console), the error answers from
 * the table of error codes.
 */
export function buildOpenApiDocument(options: OpenApiDocumentOptions): OpenApiDocument {
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  return {
    openapi: '3.1.0',
    info: {
      title: 'Telenexus API',
      version: '1.0',
      summary:
        'WhatsApp billing notifications: billing systems call one HTTP API, customers get WhatsApp messages.',
      description: DESCRIPTION,
    },
    servers: [{ url: publicBaseUrl, description: 'This Telenexus (PUBLIC_BASE_URL)' }],
    tags: TAGS,
    paths: openApiPaths(publicBaseUrl),
    webhooks: eventWebhooks({ headers: STATUS_WEBHOOK_HEADERS, delivery: WEBHOOK_DELIVERY_TERMS }),
    components: {
      schemas: { ...wireSchemaComponents(), ...problemSchemas(publicBaseUrl) },
      responses: Object.fromEntries(
        Object.entries(UNROUTED_RESPONSES).map(([name, code]) => [
          name,
          Object.values(errorResponses([code], { publicBaseUrl }))[0]!,
        ]),
      ),
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            '`Authorization: Bearer YOUR_API_KEY`, a key of the API Keys page (`tnx_…`). Missing, unknown or ' +
            'revoked keys answer 401.',
        },
        evolutionJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An HS256 JWT Evolution signs with the instance’s `jwt_key`, set by Telenexus.',
        },
        gatewayToken: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description:
            'The URL gateway only: a key with the `send_text` permission as the `token` parameter (or a form or ' +
            'JSON field of that name), for billing systems that cannot send headers. No other route takes it.',
        },
      },
    },
  };
}
