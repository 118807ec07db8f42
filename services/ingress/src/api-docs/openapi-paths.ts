import {
  auditEventListQuerySchema,
  batchListQuerySchema,
  gatewaySendRequestSchema,
  messageListQuerySchema,
  templatePreviewQuerySchema,
  webhookDeliveryListQuerySchema,
} from '@telenexus/api-contract';
import type { ProblemCode } from '../http/problem-types';
import { GUIDE_SAMPLE } from '../templates/preview-templates.use-case';
import {
  GUIDE_ERROR_EXAMPLE,
  GUIDE_HEADERS_TABLE,
  GUIDE_INSTANCE_ID,
  GUIDE_REQUEST_EXAMPLE,
  GUIDE_SUCCESS_EXAMPLE,
  GUIDE_TEST_REQUEST_EXAMPLE,
  GUIDE_TEST_RESPONSE_EXAMPLE,
  guideStatusLine,
} from './integration-guide';
import {
  idParameter,
  JSON_MEDIA_TYPE,
  jsonRequestBody,
  jsonResponse,
  queryParameters,
  schemaRef,
  type ExampleObject,
  type HeaderObject,
  type OperationObject,
  type ParameterObject,
  type PathItemObject,
  type ResponseObject,
} from './openapi-objects';
import { errorResponses, RATE_LIMIT_HEADERS } from './problem-responses';

/** Tags, in the order the reference page shows them. */
export const TAGS = [
  { name: 'Billing notifications', description: 'The integration guide’s endpoint, and its batch sibling.' },
  {
    name: 'URL gateway',
    description:
      'For billing systems that can only fill a URL template and fetch it (phpnuxbill’s `wa_url`): a text to ' +
      'one number, with a `send_text` key in the URL.',
  },
  { name: 'Messages', description: 'Every message and its timeline: "did the customer get the reminder?"' },
  {
    name: 'Templates',
    description:
      'The four WhatsApp texts as they would be sent, and your own wording of them: per language, per instance.',
  },
  { name: 'API keys', description: 'The API Keys page, for admin keys.' },
  {
    name: 'Instances',
    description:
      'The Instances page and its API Integration, QR Code and Queue tabs, for admin keys; `support` keys ' +
      'may read instances, their connection, queue and batches, and change nothing.',
  },
  {
    name: 'Status webhooks',
    description:
      'Billing systems are told, not polled: endpoints that receive status events, and every delivery.',
  },
  {
    name: 'Audit',
    description:
      'Every management action, succeeded or refused, with who, when, from where, on what and what changed; ' +
      'append-only, and never a secret.',
  },
  { name: 'Evolution', description: 'Where each instance’s Evolution API posts its events (no API key).' },
  {
    name: 'Console',
    description:
      'The web console’s sign-in: `admin` keys get the whole console, `support` keys a read-only one.',
  },
  {
    name: 'Operations',
    description:
      'Health, this document and the error codes (no API key). Prometheus metrics are not on this port: ' +
      'see `METRICS_PORT`.',
  },
] as const;

type Tag = (typeof TAGS)[number]['name'];

/** Every API-key route can answer these: no or a bad key, our bug, Postgres down. */
const KEYED: readonly ProblemCode[] = ['unauthenticated', 'internal_error', 'dependency_unavailable'];
/** A path whose `{id}` does not percent-decode is refused before any route runs. */
const WITH_ID: readonly ProblemCode[] = ['bad_request'];
/** What reading a JSON body can refuse, before the route looks at its fields. */
const WITH_BODY: readonly ProblemCode[] = [
  'validation_failed',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'bad_request',
];
/** Management routes refuse keys without `admin`. */
const ADMIN: readonly ProblemCode[] = ['forbidden'];

const API_KEY_SECURITY = [{ apiKey: [] }] as const;

interface OperationSpec {
  readonly operationId: string;
  readonly tag: Tag;
  readonly summary: string;
  readonly description?: string;
  /** Default: an API key. */
  readonly security?: OperationObject['security'];
  readonly parameters?: readonly ParameterObject[];
  readonly requestBody?: OperationObject['requestBody'];
  readonly responses: Readonly<Record<string, ResponseObject>>;
  /** Every error code the operation can answer; the error responses are generated from them. */
  readonly errors: readonly ProblemCode[];
  /** Words put first in the description of an error status. */
  readonly errorDescriptions?: Readonly<Partial<Record<number, string>>>;
  /** Examples of error statuses, beside the one generated for each code. */
  readonly errorExamples?: Readonly<Partial<Record<number, Readonly<Record<string, ExampleObject>>>>>;
}

function operation(spec: OperationSpec, publicBaseUrl: string): OperationObject {
  return {
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: spec.security ?? API_KEY_SECURITY,
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses: {
      ...spec.responses,
      ...errorResponses(spec.errors, {
        publicBaseUrl,
        ...(spec.errorDescriptions ? { descriptions: spec.errorDescriptions } : {}),
        ...(spec.errorExamples ? { examples: spec.errorExamples } : {}),
      }),
    },
  };
}

/** The guide's error body, shown beside each status its heading names. */
const GUIDE_ERROR_EXAMPLES = Object.fromEntries(
  ([400, 401, 404, 500] as const).map((status) => [status, { guide: GUIDE_ERROR_EXAMPLE }]),
);

const instanceIdQuery: ParameterObject = {
  name: 'instance_id',
  in: 'query',
  required: true,
  description: `${GUIDE_INSTANCE_ID}\n\nThe Instance ID of the API Integration tab (a UUID).`,
  schema: { type: 'string', format: 'uuid' },
};

const idempotencyKeyHeader: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  description:
    'Makes retries safe: the first request with a key runs and its successful answer is stored (per account, ' +
    '25 h); the same key again replays it with `Idempotent-Replayed: true`; the same key with a different ' +
    'request answers 422; while the first is still running, 409 with `Retry-After: 1`. Failed requests are ' +
    'not stored, so the corrected request may reuse the key.',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,255}$' },
};

const sendHeaders: Readonly<Record<string, HeaderObject>> = {
  'Idempotent-Replayed': {
    description:
      '`true` when this answer repeats an earlier one: the same `Idempotency-Key`, or (without a key) the same ' +
      'notification accepted within the dedupe window (24 h).',
    schema: { type: 'string', const: 'true' },
  },
  ...RATE_LIMIT_HEADERS,
};

/** What both send endpoints can refuse; a single notification can also be a dedupe `conflict`. */
const SEND_ERRORS: readonly ProblemCode[] = [
  ...KEYED,
  ...WITH_BODY,
  'instance_not_connected',
  'forbidden',
  'not_found',
  'in_flight',
  'idempotency_mismatch',
  'rate_limited',
  'queue_limit_reached',
];

const SEND_NOTIFICATION_DESCRIPTION = [
  'Exactly the integration guide’s endpoint. Configure your billing system with the endpoint URL, ' +
    '`instance_id` and API key of the instance’s API Integration tab. Headers, as the guide has them:',
  GUIDE_HEADERS_TABLE,
  'A body without a Content-Type is read as JSON too. A 200 means the message is durably stored: it is ' +
    'answered only after the database commit, then sent asynchronously (follow it with ' +
    '`GET /api/v1/messages/{id}`). Billing systems retry whenever they are unsure, and a retry never sends ' +
    'twice: without an `Idempotency-Key`, a notification matching one accepted in the last 24 h on account, ' +
    'instance, `invoice_id`, `message_type` and phone number answers the original `message_id` ' +
    '(`Idempotent-Replayed: true`) while that message is queued, sending, sent, delivered, read or `unknown`, ' +
    'or 409 naming it when the amount, due date or name differ; if it ended `failed`, `expired` or ' +
    '`canceled`, the notification is a new message, linked to the earlier one on both timelines. A ' +
    '`confirmation` cancels the invoice’s reminders still queued. Each key may send 6,000 notifications a ' +
    'minute (`RATE_LIMIT_PER_MINUTE`); an account may have 100,000 messages queued ' +
    '(`QUEUE_LIMIT_PER_ACCOUNT`), beyond which 429 `queue_limit_reached`.',
  'The answer is the guide’s three fields when the message goes out at once. When it will wait (the ' +
    'instance’s pace behind its backlog, quiet hours, the daily cap), `scheduled_for` is added: the ' +
    'estimated send time, not a promise. A notification that could only go out after its `expires_at` is ' +
    'refused: 422 `would_expire`, naming both times.',
].join('\n\n');

function billingPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  return {
    '/api/v1/billing/send-notification': {
      post: operation(
        {
          operationId: 'sendNotification',
          tag: 'Billing notifications',
          summary: 'Send a billing notification',
          description: SEND_NOTIFICATION_DESCRIPTION,
          parameters: [instanceIdQuery, idempotencyKeyHeader],
          requestBody: jsonRequestBody('SendNotificationRequest', {
            examples: { guide: GUIDE_REQUEST_EXAMPLE, test: GUIDE_TEST_REQUEST_EXAMPLE },
          }),
          responses: {
            200: jsonResponse(
              `${guideStatusLine(200)}\n\nAccepted: the message is stored and queued; it is sent asynchronously.`,
              'SendNotificationResponse',
              {
                examples: {
                  guide: GUIDE_SUCCESS_EXAMPLE,
                  test: GUIDE_TEST_RESPONSE_EXAMPLE,
                  waiting: {
                    summary: 'A message that waits for its turn: the estimated send time is added',
                    value: {
                      ...(GUIDE_SUCCESS_EXAMPLE.value as object),
                      scheduled_for: '2026-02-15T09:41:12.300Z',
                    },
                  },
                },
                headers: sendHeaders,
              },
            ),
          },
          errors: [...SEND_ERRORS, 'conflict', 'would_expire'],
          errorExamples: GUIDE_ERROR_EXAMPLES,
          errorDescriptions: {
            400: `${guideStatusLine(400)}\n\nAlso \`Instance is not connected\` when the instance's WhatsApp is known to be disconnected (the guide's Troubleshooting).`,
            401: guideStatusLine(401),
            404: guideStatusLine(404),
            409:
              'The same notification (invoice, type, number) was accepted within 24 h with a different amount, ' +
              'due date or name (`message_id` names it), or a request with this Idempotency-Key is still running.',
            500:
              `${guideStatusLine(500)}\n\nIn Telenexus, sending is asynchronous: a disconnected instance answers ` +
              '400 and Evolution API errors show in the message’s status, never here. A 500 is a bug of ours; ' +
              '`error_id` finds it in our logs.',
          },
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/billing/send-notifications': {
      post: operation(
        {
          operationId: 'sendNotifications',
          tag: 'Billing notifications',
          summary: 'Send a batch of billing notifications',
          description:
            'A monthly run in batches of up to 1,000 notifications (body limit `BATCH_BODY_LIMIT_KB`, 1 MB). ' +
            'Each notification is accepted or refused on its own; valid ones are stored even when others are ' +
            'not. A batch costs a constant number of database round trips, whatever its size. Idempotency, ' +
            'dedupe and the rate limit work as for a single notification (each notification counts once). ' +
            'Each message stored carries `scheduled_for`, its estimated send time, and the answer ' +
            '`estimated_finish_at`, the latest of them; a notification that could only go out after its ' +
            '`expires_at` is refused in `results` (`code: would_expire`) while the others are accepted. A ' +
            'batch whose new messages would take the account over its queue limit is refused whole: 429 ' +
            '`queue_limit_reached`, nothing stored. A `confirmation` also cancels the reminders of its invoice ' +
            'in the same batch: they are stored `canceled` (`superseded_by` names it) and never sent.',
          parameters: [instanceIdQuery, idempotencyKeyHeader],
          requestBody: jsonRequestBody('SendNotificationsRequest', {
            examples: {
              run: {
                summary: 'Two notifications',
                value: {
                  notifications: [
                    GUIDE_REQUEST_EXAMPLE.value,
                    {
                      ...(GUIDE_REQUEST_EXAMPLE.value as object),
                      invoice_id: 'INV-002',
                      phone_number: '254722000111',
                    },
                  ],
                },
              },
            },
          }),
          responses: {
            200: jsonResponse(
              'Every notification answered, accepted or refused, in the order sent.',
              'SendNotificationsResponse',
              {
                headers: sendHeaders,
              },
            ),
          },
          errors: SEND_ERRORS,
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/billing/batches/{id}': {
      get: operation(
        {
          operationId: 'getBatch',
          tag: 'Billing notifications',
          summary: 'Read a batch',
          description:
            'Its counts, and how many of its messages are in each status now (needs `send_message`, `admin` ' +
            'or `support`).',
          parameters: [idParameter('batch')],
          responses: { 200: jsonResponse('The batch.', 'BatchSummary') },
          errors: [...KEYED, ...WITH_ID, 'forbidden', 'not_found'],
        },
        publicBaseUrl,
      ),
    },
  };
}

const GATEWAY_DESCRIPTION = [
  'A text to one number, for billing systems that can only fill a URL template and fetch it. In ' +
    'phpnuxbill, paste the instance’s URL template (API Integration tab) as the WhatsApp server URL ' +
    '(`wa_url`): it replaces `[number]` and `[text]` with the customer’s number and the text, URL-encoded ' +
    '(`+` for a space, as PHP’s `urlencode` writes it), and fetches it with GET.',
  'The key may come as the `token` parameter, because such systems can send nothing else; it must have ' +
    'the `send_text` permission, which no other route accepts, so a key that leaks from a URL can only send ' +
    'texts. Or send it as `Authorization: Bearer`. Request logs never hold the URL.',
  'The message is a `message_type: text` message: the same pacing, quiet hours, expiry (24 h unless ' +
    '`expires_at`), queue limit, rate limit, status events and Messages API as every message. The same text ' +
    'to the same number from the same instance within the dedupe window (24 h) answers the first message ' +
    '(`replayed: true`) and sends nothing new. A POST may carry the parameters as a form or JSON; a parameter ' +
    'given both in the query string and the body is refused. HEAD is refused, so a link checker never sends.',
].join('\n\n');

/** What the gateway can refuse: the send routes' refusals, and a text that could not be stored. */
const GATEWAY_ERRORS: readonly ProblemCode[] = [...SEND_ERRORS, 'conflict', 'would_expire'];

function gatewayOperation(method: 'get' | 'post', publicBaseUrl: string): OperationObject {
  const parameters = queryParameters(gatewaySendRequestSchema);
  return operation(
    {
      operationId: method === 'get' ? 'gatewaySend' : 'gatewaySendPost',
      tag: 'URL gateway',
      summary: method === 'get' ? 'Send a text (URL template, GET)' : 'Send a text (form or JSON, POST)',
      description: GATEWAY_DESCRIPTION,
      security: [{ gatewayToken: [] }, { apiKey: [] }],
      parameters: method === 'get' ? [...parameters, idempotencyKeyHeader] : [idempotencyKeyHeader],
      ...(method === 'post'
        ? {
            requestBody: {
              required: true,
              content: {
                'application/x-www-form-urlencoded': { schema: schemaRef('GatewaySendRequest') },
                [JSON_MEDIA_TYPE]: { schema: schemaRef('GatewaySendRequest') },
              },
            },
          }
        : {}),
      responses: {
        200: jsonResponse(
          'Accepted: the text is stored and queued; it is sent asynchronously.',
          'GatewaySendResponse',
          {
            examples: {
              sent: {
                summary: 'A text that goes out at once',
                value: { success: true, message_id: '3f0b6c1e-8a4d-4f7e-9c2b-5d1e7a9b0c4f' },
              },
            },
            headers: sendHeaders,
          },
        ),
      },
      errors: method === 'get' ? [...GATEWAY_ERRORS, 'method_not_allowed'] : GATEWAY_ERRORS,
      ...(method === 'get'
        ? {
            errorDescriptions: {
              405: 'HEAD: refused, so a link checker or prefetcher never sends a message.',
            },
          }
        : {}),
    },
    publicBaseUrl,
  );
}

function gatewayPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  return {
    '/api/v1/gateway/send': {
      get: gatewayOperation('get', publicBaseUrl),
      post: gatewayOperation('post', publicBaseUrl),
    },
  };
}

function messagePaths(publicBaseUrl: string): Record<string, PathItemObject> {
  return {
    '/api/v1/messages/{id}': {
      get: operation(
        {
          operationId: 'getMessage',
          tag: 'Messages',
          summary: 'Read a message and its timeline',
          description:
            'A message of the caller’s account: its status, attempts, last error, timestamps, the text as sent, ' +
            'and its timeline. What a key sees depends on its permissions: `send_message` outgoing messages, ' +
            '`receive_message` incoming ones, `admin` and `support` all; any other message answers 404.',
          parameters: [idParameter('message')],
          responses: { 200: jsonResponse('The message.', 'MessageWithTimeline') },
          errors: [...KEYED, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
      delete: operation(
        {
          operationId: 'cancelMessage',
          tag: 'Messages',
          summary: 'Cancel a message not sent yet',
          description:
            'Takes back a `queued` message (waiting for its turn, quiet hours or its number): it becomes ' +
            '`canceled` and is never sent; its timeline names the key that canceled it and `message.canceled` ' +
            'is announced to subscribed endpoints. For `send_message` keys (their outgoing messages) and ' +
            '`admin` keys; `support` keys answer 403. A message already being sent, or sent, answers 409 ' +
            'naming its status: what reached WhatsApp cannot be taken back.',
          parameters: [idParameter('message')],
          responses: { 200: jsonResponse('The message, now canceled.', 'MessageWithTimeline') },
          errors: [...KEYED, ...WITH_ID, 'forbidden', 'not_found', 'conflict'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/instances/{id}/messages': {
      get: operation(
        {
          operationId: 'listInstanceMessages',
          tag: 'Messages',
          summary: 'List an instance’s messages',
          description:
            'The Messages tab: one instance’s messages, newest first, filtered and paged. Asking for a ' +
            'direction the key may not read answers 403.',
          parameters: [idParameter('instance'), ...queryParameters(messageListQuerySchema)],
          responses: { 200: jsonResponse('One page.', 'MessagePage') },
          errors: [...KEYED, ...WITH_ID, 'validation_failed', 'forbidden', 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/templates/preview': {
      get: operation(
        {
          operationId: 'previewTemplates',
          tag: 'Templates',
          summary: 'Preview the four WhatsApp texts',
          description:
            'Rendered with the guide’s sample data unless the query overrides it; each value is checked exactly ' +
            'as the send endpoint checks it.',
          parameters: queryParameters(templatePreviewQuerySchema).map((parameter) => ({
            ...parameter,
            schema: { ...parameter.schema, default: sampleDefault(parameter.name) },
          })),
          responses: { 200: jsonResponse('The four texts.', 'TemplatePreviews') },
          errors: [...KEYED, 'validation_failed'],
        },
        publicBaseUrl,
      ),
      post: operation(
        {
          operationId: 'previewAccountTemplate',
          tag: 'Templates',
          summary: 'Check and preview a template of your own',
          description:
            'Your own wording of a notification, in any language: checked as it will be when it is saved (only ' +
            'the placeholders listed, the due-date condition only, a text of 1–4,096 characters without control ' +
            'characters), and rendered with the guide’s sample data (or `sample`), with and without a due date. ' +
            'Amounts and dates are written for `language` (`KES 1,500.00`, `15 Februari 2026`).',
          requestBody: jsonRequestBody('TemplateDraftPreviewRequest', {
            examples: {
              swahili: {
                summary: 'A Swahili invoice with a paybill',
                value: {
                  language: 'sw-KE',
                  company_name: 'Mawingu Net',
                  payment_instructions: 'Lipa kwa M-Pesa: Paybill 247247',
                  text:
                    'Habari {{customer_name}},\nAnkara yako ya {{company_name}} ya {{amount}} iko tayari.\n' +
                    '{{#due_date}}Tarehe ya mwisho: {{due_date}}\n{{/due_date}}{{payment_instructions}}',
                },
              },
            },
          }),
          responses: { 200: jsonResponse('The template as it would be sent.', 'TemplateDraftPreview') },
          errors: [...KEYED, ...WITH_BODY],
        },
        publicBaseUrl,
      ),
    },
  };
}

/** `{message_type}/{language}` and `?instance_id`: which saved text. */
const templateKeyParameters: readonly ParameterObject[] = [
  {
    name: 'message_type',
    in: 'path',
    required: true,
    schema: { type: 'string', enum: ['payment_reminder', 'invoice', 'overdue', 'confirmation'] },
  },
  {
    name: 'language',
    in: 'path',
    required: true,
    description: 'A BCP 47 tag (`sw-KE`, `fr`, `en`); stored in canonical form.',
    schema: { type: 'string' },
  },
  {
    name: 'instance_id',
    in: 'query',
    description: "One instance's own text, used for it instead of the account's. Absent: the account's.",
    schema: { type: 'string', format: 'uuid' },
  },
];

function accountWordingPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  return {
    '/api/v1/templates': {
      get: operation(
        {
          operationId: 'getAccountWording',
          tag: 'Templates',
          summary: 'Read your own wording',
          description:
            'Your saved texts, and the `company_name` and `payment_instructions` they may name. For `admin` and ' +
            '`support` keys.',
          responses: { 200: jsonResponse('Your wording.', 'AccountWording') },
          errors: [...KEYED, 'forbidden'],
        },
        publicBaseUrl,
      ),
      patch: operation(
        {
          operationId: 'updateAccountWordingFields',
          tag: 'Templates',
          summary: 'Set your company name and payment instructions',
          description:
            'What `{{company_name}}` and `{{payment_instructions}}` say in every saved text. Refused (400 naming ' +
            'the field) when a saved text would then render something it may not send. For `admin` keys.',
          requestBody: jsonRequestBody('AccountWordingFieldsRequest'),
          responses: { 200: jsonResponse('Your wording.', 'AccountWording') },
          errors: [...KEYED, ...WITH_BODY, ...ADMIN],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/templates/{message_type}/{language}': {
      put: operation(
        {
          operationId: 'saveTemplate',
          tag: 'Templates',
          summary: 'Save your own text of a message type in a language',
          description:
            'Checked as the preview checks it (with your company name and payment instructions): an unknown ' +
            'placeholder, an empty result, more than 4,096 characters or unsafe text answers 400 naming `text`. ' +
            'Notifications accepted from then on are written in it (see `language`); those accepted before keep ' +
            'their text. For `admin` keys; recorded in the audit log.',
          parameters: templateKeyParameters,
          requestBody: jsonRequestBody('SaveTemplateRequest'),
          responses: {
            200: jsonResponse('Replaced.', 'SavedTemplate'),
            201: jsonResponse('Saved: there was none.', 'SavedTemplate'),
          },
          errors: [...KEYED, ...WITH_BODY, ...ADMIN, 'not_found'],
        },
        publicBaseUrl,
      ),
      delete: operation(
        {
          operationId: 'deleteTemplate',
          tag: 'Templates',
          summary: 'Delete your own text of a message type in a language',
          description:
            'Notifications that would have been written in it fall back as if it never was: another language, ' +
            'the account’s text, or the guide’s English. For `admin` keys; recorded in the audit log.',
          parameters: templateKeyParameters,
          responses: { 204: { description: 'Deleted.' } },
          errors: [...KEYED, ...ADMIN, 'validation_failed', 'bad_request', 'not_found'],
        },
        publicBaseUrl,
      ),
    },
  };
}

function sampleDefault(name: string): string | number {
  const byName: Record<string, string | number | null> = {
    customer_name: GUIDE_SAMPLE.customerName,
    amount: GUIDE_SAMPLE.amount,
    currency: GUIDE_SAMPLE.currency,
    invoice_id: GUIDE_SAMPLE.invoiceId,
    due_date: GUIDE_SAMPLE.dueDate,
  };
  return byName[name] ?? '';
}

function apiKeyPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  const keyed = [...KEYED, ...ADMIN];
  return {
    '/api/v1/api-keys': {
      post: operation(
        {
          operationId: 'createApiKey',
          tag: 'API keys',
          summary: 'Create an API key',
          description: 'The key is in this answer only: store it now.',
          requestBody: jsonRequestBody('CreateApiKeyRequest'),
          responses: { 201: jsonResponse('Created.', 'CreatedApiKey') },
          errors: [...keyed, ...WITH_BODY],
        },
        publicBaseUrl,
      ),
      get: operation(
        {
          operationId: 'listApiKeys',
          tag: 'API keys',
          summary: 'List the account’s API keys',
          description: 'Never the keys themselves.',
          responses: { 200: jsonResponse('Every key, revoked ones included.', 'ApiKeyList') },
          errors: keyed,
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/api-keys/{id}': {
      delete: operation(
        {
          operationId: 'revokeApiKey',
          tag: 'API keys',
          summary: 'Revoke an API key',
          description:
            'At once: its next request answers 401. The account’s last admin key cannot be revoked (409).',
          parameters: [idParameter('API key')],
          responses: { 200: jsonResponse('The revoked key.', 'ApiKey') },
          errors: [...keyed, ...WITH_ID, 'not_found', 'conflict'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/api-keys/{id}/rotate': {
      post: operation(
        {
          operationId: 'rotateApiKey',
          tag: 'API keys',
          summary: 'Rotate an API key',
          description:
            'A new key of the same name and permissions; the old one stops at once, or after the grace period ' +
            '(up to 7 days).',
          parameters: [idParameter('API key')],
          requestBody: jsonRequestBody('RotateApiKeyRequest', { required: false }),
          responses: { 201: jsonResponse('The new key, shown once.', 'RotatedApiKey') },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
  };
}

function instancePaths(publicBaseUrl: string): Record<string, PathItemObject> {
  const keyed = [...KEYED, ...ADMIN];
  return {
    '/api/v1/instances': {
      post: operation(
        {
          operationId: 'createInstance',
          tag: 'Instances',
          summary: 'Create an instance',
          description:
            'A WhatsApp number belongs to whoever proves it: send the Evolution instance’s own token as ' +
            '`evolution_token`, which Telenexus checks with Evolution (a call naming the instance, with the ' +
            'token as its `apikey`) before it looks at the name. Only the operator (an admin key of ' +
            '`OPERATOR_ACCOUNT_ID`, or the CLI) may link without one. Also points the Evolution instance’s ' +
            'webhook at Telenexus; `evolution_webhook.error` says why when Evolution refused.',
          requestBody: jsonRequestBody('CreateInstanceRequest'),
          responses: { 201: jsonResponse('Created.', 'Instance') },
          errors: [...keyed, ...WITH_BODY, 'not_found', 'conflict', 'evolution_unavailable'],
          errorDescriptions: {
            404:
              'One answer, always with the same words, for every name this account cannot link: the token is ' +
              'not that instance’s own (or is Evolution’s global key), Evolution has no such instance, or ' +
              'another account has it, linked or deleted.',
            409: 'The name is already linked to one of this account’s own instances.',
            503: 'Evolution could not say whether the token is the instance’s own; nothing was linked.',
          },
        },
        publicBaseUrl,
      ),
      get: operation(
        {
          operationId: 'listInstances',
          tag: 'Instances',
          summary: 'List the account’s instances',
          description: 'For `admin` and `support` keys.',
          responses: { 200: jsonResponse('Every instance.', 'InstanceList') },
          errors: keyed,
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/instances/{id}': {
      get: operation(
        {
          operationId: 'getInstance',
          tag: 'Instances',
          summary: 'Read an instance',
          description: 'For `admin` and `support` keys. No secret is shown: only whether a token is stored.',
          parameters: [idParameter('instance')],
          responses: { 200: jsonResponse('The instance.', 'Instance') },
          errors: [...keyed, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
      patch: operation(
        {
          operationId: 'updateInstance',
          tag: 'Instances',
          summary: 'Change an instance',
          parameters: [idParameter('instance')],
          description:
            'A new `evolution_token` must be the instance’s own, checked with Evolution as on create (404 ' +
            'otherwise); clearing it (which would fall back to Evolution’s global key) is for the operator alone.',
          requestBody: jsonRequestBody('UpdateInstanceRequest'),
          responses: { 200: jsonResponse('The instance as changed.', 'Instance') },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found', 'evolution_unavailable'],
        },
        publicBaseUrl,
      ),
      delete: operation(
        {
          operationId: 'deleteInstance',
          tag: 'Instances',
          summary: 'Delete an instance',
          description: 'It stops taking and sending messages; its history stays.',
          parameters: [idParameter('instance')],
          responses: { 204: { description: 'Deleted.' } },
          errors: [...keyed, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/instances/{id}/integration': {
      get: operation(
        {
          operationId: 'getInstanceIntegration',
          tag: 'Instances',
          summary: 'The API Integration tab',
          description: 'Everything a billing system needs but the key, built from `PUBLIC_BASE_URL`.',
          parameters: [idParameter('instance')],
          responses: { 200: jsonResponse('The integration details.', 'Integration') },
          errors: [...keyed, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    ...connectionPaths(publicBaseUrl),
    '/api/v1/instances/{id}/evolution-webhook': {
      post: operation(
        {
          operationId: 'reapplyEvolutionWebhook',
          tag: 'Instances',
          summary: 'Point Evolution’s webhook at Telenexus again',
          description:
            'After Evolution was reinstalled, say. The credentials are kept, so calls in flight still pass.',
          parameters: [idParameter('instance')],
          responses: {
            200: jsonResponse('The instance, with the outcome in `evolution_webhook`.', 'Instance'),
          },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
  };
}

/** The guide's QR Code tab: the connection, Reconnect and logout, through Evolution. */
function connectionPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  const keyed = [...KEYED, ...ADMIN];
  const evolution: readonly ProblemCode[] = ['evolution_rejected', 'evolution_unavailable'];
  return {
    '/api/v1/instances/{id}/connection': {
      get: operation(
        {
          operationId: 'getInstanceConnection',
          tag: 'Instances',
          summary: 'The WhatsApp connection (the QR Code tab)',
          description:
            'The state as last recorded (from Evolution’s `connection.update` webhooks, "Connection Closed" ' +
            'answers to sends and connection polling), the latest QR code of a pairing in progress (kept from ' +
            '`qrcode.updated` webhooks) and the latest changes with their reasons. Evolution is not called: ' +
            'poll it every couple of seconds while pairing. `support` keys may read it too, with `qr` null: ' +
            'pairing a phone is a change only admins make.',
          parameters: [idParameter('instance')],
          responses: { 200: jsonResponse('The connection.', 'InstanceConnection') },
          errors: [...keyed, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/instances/{id}/connect': {
      post: operation(
        {
          operationId: 'connectInstance',
          tag: 'Instances',
          summary: 'Reconnect: get a QR code to pair the number',
          description:
            'Calls Evolution’s `GET /instance/connect/{name}`. A closed instance starts a WhatsApp Web session ' +
            'and answers `connecting` with its QR code (scan it in WhatsApp → Linked devices; with `number`, a ' +
            '`pairing_code` to type instead); a pairing in progress answers its current QR code; an open ' +
            'instance answers `open`. New QR codes follow every 20–60 s: read them with ' +
            '`GET /api/v1/instances/{id}/connection` until the state is `open`.',
          parameters: [idParameter('instance')],
          requestBody: jsonRequestBody('ConnectInstanceRequest', { required: false }),
          responses: { 200: jsonResponse('What Evolution answered.', 'InstanceConnection') },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found', ...evolution],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/instances/{id}/logout': {
      post: operation(
        {
          operationId: 'logoutInstance',
          tag: 'Instances',
          summary: 'Log the WhatsApp number out',
          description:
            'Calls Evolution’s `DELETE /instance/logout/{name}`; an instance already closed counts as logged ' +
            'out. The instance is then `close` (nothing is accepted for it) until it is paired again.',
          parameters: [idParameter('instance')],
          responses: { 200: jsonResponse('The connection, now closed.', 'InstanceConnection') },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found', ...evolution],
        },
        publicBaseUrl,
      ),
    },
  };
}

function webhookPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  const keyed = [...KEYED, ...ADMIN];
  const endpointId = idParameter('webhook endpoint');
  return {
    '/api/v1/webhook-endpoints': {
      post: operation(
        {
          operationId: 'createWebhookEndpoint',
          tag: 'Status webhooks',
          summary: 'Register a webhook endpoint',
          description:
            'Telenexus POSTs `message.sent`, `message.delivered`, `message.read` and `message.failed` events to ' +
            'it, signed with the secret of this answer (see `webhooks`, one per event). At most 20 per account.',
          requestBody: jsonRequestBody('CreateWebhookEndpointRequest'),
          responses: {
            201: jsonResponse('Registered; the secret is shown now only.', 'WebhookEndpointWithSecret'),
          },
          errors: [...keyed, ...WITH_BODY, 'conflict'],
        },
        publicBaseUrl,
      ),
      get: operation(
        {
          operationId: 'listWebhookEndpoints',
          tag: 'Status webhooks',
          summary: 'List webhook endpoints',
          responses: { 200: jsonResponse('Every endpoint.', 'WebhookEndpointList') },
          errors: keyed,
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/webhook-endpoints/{id}': {
      get: operation(
        {
          operationId: 'getWebhookEndpoint',
          tag: 'Status webhooks',
          summary: 'Read a webhook endpoint',
          parameters: [endpointId],
          responses: { 200: jsonResponse('The endpoint.', 'WebhookEndpoint') },
          errors: [...keyed, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
      patch: operation(
        {
          operationId: 'updateWebhookEndpoint',
          tag: 'Status webhooks',
          summary: 'Change a webhook endpoint',
          parameters: [endpointId],
          requestBody: jsonRequestBody('UpdateWebhookEndpointRequest'),
          responses: { 200: jsonResponse('The endpoint as changed.', 'WebhookEndpoint') },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found'],
        },
        publicBaseUrl,
      ),
      delete: operation(
        {
          operationId: 'deleteWebhookEndpoint',
          tag: 'Status webhooks',
          summary: 'Delete a webhook endpoint',
          description: 'Its pending deliveries are given up.',
          parameters: [endpointId],
          responses: { 204: { description: 'Deleted.' } },
          errors: [...keyed, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/webhook-endpoints/{id}/rotate-secret': {
      post: operation(
        {
          operationId: 'rotateWebhookSecret',
          tag: 'Status webhooks',
          summary: 'Rotate a webhook endpoint’s secret',
          description:
            'Every delivery from now on is signed with the new secret and, until `previous_secret_expires_at` ' +
            '(`WEBHOOK_SECRET_OVERLAP_HOURS`, default 24 h; 0: at once), also with the old one: `webhook-signature` ' +
            'holds both entries, so receivers keep verifying while the new secret is rolled out. Then the old ' +
            'secret is erased. Rotating again within the overlap drops the older secret.',
          parameters: [endpointId],
          responses: {
            200: jsonResponse(
              'The endpoint with its new secret, shown now only.',
              'WebhookEndpointWithSecret',
            ),
          },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/webhook-endpoints/{id}/replay': {
      post: operation(
        {
          operationId: 'replayWebhookEvents',
          tag: 'Status webhooks',
          summary: 'Send an endpoint the events of a window again',
          description:
            'After an outage of the receiver: every event addressed to the endpoint from `since` to `until` ' +
            '(delivered, failed or still pending; optionally of some `types` only) is queued again as a new ' +
            'delivery with a new delivery id and the **same event id**, type and payload, so a receiver that ' +
            'dedupes on the event id takes each event once. At most 30 days and 10,000 deliveries per call ' +
            '(400 naming `since` otherwise: replay in shorter windows). A disabled endpoint answers 409.',
          parameters: [endpointId],
          requestBody: jsonRequestBody('ReplayWebhookEventsRequest'),
          responses: { 202: jsonResponse('Queued for redelivery.', 'WebhookReplay') },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found', 'conflict'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/webhook-endpoints/{id}/test': {
      post: operation(
        {
          operationId: 'testWebhookEndpoint',
          tag: 'Status webhooks',
          summary: 'Send an endpoint a test event',
          description:
            'Queues an `endpoint.test` event for the endpoint (whatever events it subscribes to) and waits up to ' +
            '10 s for a dispatcher to POST it — signed, address-checked, logged and retried exactly like every ' +
            'event. 200 tells what the receiver answered and how long it took; 202 means no dispatcher sent it ' +
            'in time (it stays queued, see the deliveries). A disabled endpoint answers 409.',
          parameters: [endpointId],
          responses: {
            200: jsonResponse('The first POST of the test event.', 'WebhookEndpointTestResult'),
            202: jsonResponse('Queued; no dispatcher sent it within the wait.', 'WebhookEndpointTestQueued'),
          },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found', 'conflict'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/webhook-endpoints/{id}/deliveries': {
      get: operation(
        {
          operationId: 'listWebhookDeliveries',
          tag: 'Status webhooks',
          summary: 'List an endpoint’s deliveries',
          description: 'Every delivery to the endpoint, newest first.',
          parameters: [endpointId, ...queryParameters(webhookDeliveryListQuerySchema)],
          responses: { 200: jsonResponse('One page.', 'WebhookDeliveryPage') },
          errors: [...keyed, ...WITH_ID, 'validation_failed', 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/webhook-deliveries/{id}': {
      get: operation(
        {
          operationId: 'getWebhookDelivery',
          tag: 'Status webhooks',
          summary: 'Read a delivery and its attempts',
          parameters: [idParameter('delivery')],
          responses: { 200: jsonResponse('The delivery.', 'WebhookDeliveryWithAttempts') },
          errors: [...keyed, ...WITH_ID, 'not_found'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/webhook-deliveries/{id}/retry': {
      post: operation(
        {
          operationId: 'retryWebhookDelivery',
          tag: 'Status webhooks',
          summary: 'Send a failed delivery again now',
          parameters: [idParameter('delivery')],
          responses: { 202: jsonResponse('Queued for another attempt.', 'WebhookDeliveryWithAttempts') },
          errors: [...keyed, ...WITH_ID, ...WITH_BODY, 'not_found', 'conflict'],
        },
        publicBaseUrl,
      ),
    },
  };
}

function evolutionPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  return {
    '/api/v1/webhooks/evolution/{instance_id}/{token}': {
      post: operation(
        {
          operationId: 'receiveEvolutionEvent',
          tag: 'Evolution',
          summary: 'Receive an Evolution API event',
          description:
            'Set on each Evolution instance by Telenexus (`POST /webhook/set/{name}`), for `MESSAGES_UPDATE`, ' +
            '`SEND_MESSAGE`, `CONNECTION_UPDATE`, `MESSAGES_UPSERT` and `QRCODE_UPDATED`. Evolution signs each ' +
            'call with an HS256 JWT. `connection.update` records the connection state and its Baileys reason ' +
            'in the instance’s timeline; `qrcode.updated` keeps the latest QR code of a pairing for the QR Code ' +
            'tab. Receipts move a message forward only; duplicates and late receipts answer 200 and change ' +
            'nothing. Unknown instance → 404; a wrong path token or a missing, wrongly signed or expired JWT → ' +
            '401. Evolution retries neither; only our own transient faults answer 5xx.\n\n' +
            'The path token and the JWT are checked before a byte of the body is read: a refused call never ' +
            'has its body parsed. Then each instance may make `EVOLUTION_WEBHOOK_RATE_LIMIT_PER_MINUTE` calls ' +
            'a minute (default 1,200; counted in Redis across replicas); beyond it 429 with `Retry-After`, ' +
            'which Evolution retries (it gives up only on 400, 401, 403, 404 and 422), so a receipt is delayed, ' +
            'not lost. Only then is the body read, up to 1 MB (larger → 413).',
          security: [{ evolutionJwt: [] }],
          parameters: [
            {
              name: 'instance_id',
              in: 'path',
              required: true,
              description: 'The Telenexus instance.',
              schema: { type: 'string' },
            },
            {
              name: 'token',
              in: 'path',
              required: true,
              description: 'The instance’s secret path token, compared in constant time.',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            description: 'Evolution’s event envelope (`event`, `instance`, `data`, …).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['event'],
                  properties: { event: { type: 'string' }, instance: { type: 'string' } },
                },
              },
            },
          },
          responses: { 200: jsonResponse('Understood or deliberately ignored.', 'EvolutionWebhookResult') },
          errors: [
            'unauthenticated',
            'not_found',
            ...WITH_ID,
            'rate_limited',
            ...WITH_BODY,
            'internal_error',
            'dependency_unavailable',
          ],
        },
        publicBaseUrl,
      ),
    },
  };
}

/** A conditional GET whose ETag still matches: the client's copy is current. */
const NOT_MODIFIED: ResponseObject = { description: 'Not modified: the copy with this ETag is current.' };

function operationsPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  const open = [] as const;
  return {
    '/healthz': {
      get: operation(
        {
          operationId: 'health',
          tag: 'Operations',
          summary: 'Liveness',
          description: 'The process is alive; no dependency is checked.',
          security: open,
          responses: { 200: jsonResponse('Alive.', 'Health') },
          errors: [],
        },
        publicBaseUrl,
      ),
    },
    '/readyz': {
      get: operation(
        {
          operationId: 'readiness',
          tag: 'Operations',
          summary: 'Readiness',
          description:
            'Ready when Postgres answers. It stays ready while Redis is down: accepted messages are stored, and ' +
            'the sweeper enqueues them later.',
          security: open,
          responses: {
            200: jsonResponse('Ready.', 'Readiness'),
            503: jsonResponse('Not ready: a dependency does not answer.', 'Readiness'),
          },
          errors: [],
        },
        publicBaseUrl,
      ),
    },
    '/api/problems/{code}': {
      get: operation(
        {
          operationId: 'getProblemType',
          tag: 'Operations',
          summary: 'What an error code means',
          description: 'Every error answer’s `type` is this URL for its `code`.',
          security: open,
          parameters: [
            {
              name: 'code',
              in: 'path',
              required: true,
              description: 'An error `code`.',
              schema: { type: 'string' },
            },
          ],
          responses: { 200: jsonResponse('The code’s status, title and description.', 'ProblemType') },
          errors: ['not_found', ...WITH_ID],
        },
        publicBaseUrl,
      ),
    },
    '/api/openapi.json': {
      get: operation(
        {
          operationId: 'openApiDocument',
          tag: 'Operations',
          summary: 'This document',
          description: 'OpenAPI 3.1; the reference page at `/docs` renders it.',
          security: open,
          responses: {
            200: {
              description: 'The OpenAPI document.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['openapi', 'info', 'paths'],
                    properties: {
                      openapi: { const: '3.1.0' },
                      info: { type: 'object' },
                      paths: { type: 'object' },
                    },
                  },
                },
              },
            },
            304: NOT_MODIFIED,
          },
          errors: [],
        },
        publicBaseUrl,
      ),
    },
    '/docs': {
      get: operation(
        {
          operationId: 'referencePage',
          tag: 'Operations',
          summary: 'The API reference page',
          description: 'This document, rendered for people.',
          security: open,
          responses: {
            200: { description: 'An HTML page.', content: { 'text/html': { schema: { type: 'string' } } } },
            304: NOT_MODIFIED,
          },
          errors: [],
        },
        publicBaseUrl,
      ),
    },
  };
}

/** What support staff read beside the Instances page (the Queue tab), and the console's sign-in. */
function supportPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  const reader = [...KEYED, ...WITH_ID, 'forbidden', 'not_found'] as const;
  return {
    '/api/v1/instances/{id}/queue': {
      get: operation(
        {
          operationId: 'getInstanceQueue',
          tag: 'Instances',
          summary: 'The instance’s queue (the Queue tab)',
          description:
            'From its messages’ statuses in Postgres, now: how many are ready, scheduled (a paced slot or the ' +
            'daily cap, quiet hours, a retry after an error), held (the number is disconnected), in flight and ' +
            'failed in the last 24 h, and the message that has waited longest with why. For `admin` and ' +
            '`support` keys.',
          parameters: [idParameter('instance')],
          responses: { 200: jsonResponse('The queue.', 'InstanceQueue') },
          errors: reader,
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/instances/{id}/batches': {
      get: operation(
        {
          operationId: 'listInstanceBatches',
          tag: 'Instances',
          summary: 'List the instance’s batches',
          description:
            'Its batches, newest first, each as `GET /api/v1/billing/batches/{id}` shows it. For `admin` and ' +
            '`support` keys.',
          parameters: [idParameter('instance'), ...queryParameters(batchListQuerySchema)],
          responses: { 200: jsonResponse('One page.', 'BatchPage') },
          errors: [...reader, 'validation_failed'],
        },
        publicBaseUrl,
      ),
    },
    '/api/v1/console/sign-in': {
      post: operation(
        {
          operationId: 'consoleSignIn',
          tag: 'Console',
          summary: 'Sign in to the web console',
          description:
            'No body: the key is the Bearer token. Answers which console it gets (`role`): a key with `admin` ' +
            'the whole console, one with `support` (and not `admin`) the read-only one; any other key 403. ' +
            'Every attempt, refused ones too, reaches this route.',
          responses: { 200: jsonResponse('Signed in.', 'ConsoleSignIn') },
          errors: [...KEYED, 'forbidden'],
        },
        publicBaseUrl,
      ),
    },
  };
}

/** Every path ingress serves to API clients, and each path's operations. */
function auditPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  return {
    '/api/v1/audit-events': {
      get: operation(
        {
          operationId: 'listAuditEvents',
          tag: 'Audit',
          summary: 'List the account’s audit events',
          description:
            'Newest first. Recorded: API key create, revoke and rotate; instance create, update, delete, connect, ' +
            'logout and Evolution webhook re-pointing; webhook endpoint create, update, delete and secret ' +
            'rotation; delivery retries; console sign-ins. Refusals (a key without the right, a target not ' +
            'found, a rule that refused) are recorded as `refused`. `changes` holds the public settings that ' +
            'changed, never a secret. The log is append-only: no route changes or deletes an event.',
          parameters: queryParameters(auditEventListQuerySchema),
          responses: { 200: jsonResponse('One page.', 'AuditEventPage') },
          errors: [...KEYED, ...ADMIN, 'validation_failed'],
        },
        publicBaseUrl,
      ),
    },
  };
}

export function openApiPaths(publicBaseUrl: string): Record<string, PathItemObject> {
  return {
    ...billingPaths(publicBaseUrl),
    ...gatewayPaths(publicBaseUrl),
    ...messagePaths(publicBaseUrl),
    ...accountWordingPaths(publicBaseUrl),
    ...apiKeyPaths(publicBaseUrl),
    ...instancePaths(publicBaseUrl),
    ...supportPaths(publicBaseUrl),
    ...webhookPaths(publicBaseUrl),
    ...auditPaths(publicBaseUrl),
    ...evolutionPaths(publicBaseUrl),
    ...operationsPaths(publicBaseUrl),
  };
}
