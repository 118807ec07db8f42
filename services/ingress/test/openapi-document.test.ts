import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  createApiKeyRequestSchema,
  createInstanceRequestSchema,
  createWebhookEndpointRequestSchema,
  messageListQuerySchema,
  rotateApiKeyRequestSchema,
  sendNotificationRequestSchema,
  sendNotificationsRequestSchema,
  templatePreviewQuerySchema,
  updateInstanceRequestSchema,
  updateWebhookEndpointRequestSchema,
  webhookDeliveryListQuerySchema,
} from '@telenexus/api-contract';
import type Joi from 'joi';
import { createDocumentAjv } from '../../../test/support/openapi-conformance';
import { createApiKeyBodySchema, rotateApiKeyBodySchema } from '../src/api-keys/api-keys.routes';
import { createInstanceBodySchema, updateInstanceBodySchema } from '../src/instances/instances.routes';
import { listMessagesQuerySchema } from '../src/messages/messages.routes';
import { batchBodySchema } from '../src/notifications/batch-body.schema';
import { notificationBodySchema } from '../src/notifications/notification-body.schema';
import { sendQuerySchema } from '../src/notifications/send-notification.routes';
import { previewQuerySchema } from '../src/templates/templates.routes';
import {
  createWebhookEndpointBodySchema,
  deliveryListQuerySchema,
  updateWebhookEndpointBodySchema,
} from '../src/status-webhooks/webhook-endpoints.routes';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';
import { useIngress } from '../../../test/support/use-ingress';
import { servedDocument } from '../../../test/support/openapi-checked-app';

/*
 * The OpenAPI document itself: valid OpenAPI 3.1, every schema a valid JSON Schema, every example
 * an instance of its schema, the integration guide's words and examples in it as the guide has
 * them, every route of the app in it, and its request schemas in agreement with the Joi schemas
 * that really validate requests.
 */

const document = servedDocument(TEST_PUBLIC_BASE_URL);
const GUIDE = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'billing-integration-guide.md'), 'utf8');

type Json = Record<string, unknown>;

const SEND_PATH = '/api/v1/billing/send-notification';
const sendOperation = document.paths[SEND_PATH]!.post! as unknown as {
  description: string;
  parameters: { name: string; required?: boolean; description?: string }[];
  requestBody: { content: Record<string, { examples: Record<string, { value: unknown }> }> };
  responses: Record<string, { description: string }>;
};

/** Every value of the document (or of a part of it) with the JSON pointer that reaches it. */
function* walk(value: unknown, pointer: string[] = []): Generator<{ value: unknown; pointer: string[] }> {
  yield { value, pointer };
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) yield* walk(inner, [...pointer, key]);
  }
}

/** The rows of the guide's table under a heading, as trimmed cells. */
function guideTable(heading: string): string[][] {
  const lines = GUIDE.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|'))
      rows.push(
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    else if (rows.length > 0) break;
  }
  // Header and separator rows.
  return rows.slice(2);
}

function guideTableLines(heading: string): string[] {
  const lines = GUIDE.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  const table: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) table.push(line);
    else if (table.length > 0) break;
  }
  return table;
}

const unquote = (cell: string): string => cell.replace(/^`|`$/g, '');

/** The JSON bodies the guide shows: its JSON blocks and the bodies of its cURL examples. */
function guideBodies(): unknown[] {
  const blocks = [...GUIDE.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const curlBodies = [...GUIDE.matchAll(/-d '(\{[\s\S]*?\})'/g)].map((match) => match[1]!);
  return [...blocks, ...curlBodies].map((text) => JSON.parse(text) as unknown);
}

describe('The OpenAPI document', () => {
  it('When it is validated against the OpenAPI 3.1 schema, then it is valid', () => {
    // The validator is an ES module; Node (not Jest's module system) loads it.
    const script = `
      import { Validator } from '@seriousme/openapi-schema-validator';
      import { readFileSync } from 'node:fs';
      const result = await new Validator().validate(JSON.parse(readFileSync(0, 'utf8')));
      process.stdout.write(JSON.stringify(result));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      input: JSON.stringify(document),
      encoding: 'utf8',
      cwd: __dirname,
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { valid: boolean; errors?: unknown };
    expect(result).toEqual({ valid: true });
    expect(document.openapi).toBe('3.1.0');
  });

  it('When every schema in it is compiled as JSON Schema 2020-12 in strict mode, then each one compiles', () => {
    const ajv = createDocumentAjv(document);
    const schemas = [...walk(document)].filter(
      ({ pointer }) =>
        (pointer.at(-1) === 'schema' && pointer.at(-2) !== 'properties') ||
        (pointer.length === 3 && pointer[0] === 'components' && pointer[1] === 'schemas'),
    );
    expect(schemas.length).toBeGreaterThan(100);
    const failures = schemas.flatMap(({ pointer }) => {
      try {
        ajv.compileAt(pointer);
        return [];
      } catch (error) {
        return [`${pointer.join('/')}: ${String(error)}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it('When its examples are checked, then each is an instance of its schema, and those from the guide are the guide’s', () => {
    const ajv = createDocumentAjv(document);
    const guide = guideBodies();
    let checked = 0;
    for (const { value, pointer } of walk(document)) {
      if (pointer.at(-2) !== 'examples' || pointer.at(-4) !== 'content') continue;
      const example = value as { value: unknown; 'x-source'?: string };
      if (example['x-source'] === 'billing-integration-guide') {
        // The guide's own (some hold placeholders, like `"uuid-here"`): exactly as the guide shows them.
        expect(guide.some((body) => isDeepStrictEqual(body, example.value))).toBe(true);
        continue;
      }
      const validate = ajv.compileAt([...pointer.slice(0, -2), 'schema']);
      expect({ at: pointer.join('/'), valid: validate(example.value), errors: validate.errors }).toEqual({
        at: pointer.join('/'),
        valid: true,
        errors: null,
      });
      checked += 1;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('When the examples inside its schemas are checked, then each is an instance of the schema that holds it', () => {
    const ajv = createDocumentAjv(document);
    const held = [...walk(document.components.schemas)].filter(
      ({ pointer, value }) => pointer.at(-1) === 'examples' && Array.isArray(value),
    );
    expect(held.length).toBeGreaterThan(10);
    for (const { pointer, value } of held) {
      const validate = ajv.compileAt(['components', 'schemas', ...pointer.slice(0, -1)]);
      for (const example of value as unknown[])
        expect({ at: pointer.join('/'), example, valid: validate(example) }).toEqual({
          at: pointer.join('/'),
          example,
          valid: true,
        });
    }
  });

  it('When the tags are read, then every operation has one of them and a unique operationId', () => {
    const ids = [...walk(document.paths)]
      .filter(({ pointer }) => pointer.length === 3 && pointer[2] === 'operationId')
      .map(({ value }) => value);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(document.tags.map((tag) => tag.name));
    for (const item of Object.values(document.paths)) {
      for (const operation of Object.values(item)) expect(tags.has(operation.tags[0]!)).toBe(true);
    }
  });
});

describe("The integration guide's contract, word for word", () => {
  it('When the guide is read, then its endpoint, overview and headers table are in the document as written', () => {
    expect(document.paths[SEND_PATH]?.post).toBeDefined();
    expect(GUIDE).toContain(`POST ${SEND_PATH}`);
    expect(GUIDE).toContain(String(document.info.description).split('\n\n')[0]);
    expect(sendOperation.description).toContain(guideTableLines('### Headers').join('\n'));
  });

  it("When the guide's query parameter table is read, then instance_id is described and required as the guide says", () => {
    const rows = guideTable('### Query Parameters');
    expect(rows).toHaveLength(1);
    for (const [name, type, required, description] of rows) {
      const parameter = sendOperation.parameters.find((candidate) => candidate.name === unquote(name!));
      expect(parameter).toBeDefined();
      expect(type).toBe('string');
      expect(parameter!.required === true).toBe(required === 'Yes');
      expect(parameter!.description!.startsWith(description!)).toBe(true);
    }
  });

  it("When the guide's request body table is read, then every field has the guide's description, type, presence and examples", () => {
    const rows = guideTable('### Request Body');
    expect(rows.map(([field]) => unquote(field!))).toEqual(
      // Ours beyond the guide's table: expires_at, send_at, metadata and language.
      Object.keys(sendNotificationRequestSchema.properties).filter(
        (field) => !['expires_at', 'send_at', 'metadata', 'language'].includes(field),
      ),
    );
    for (const [field, type, required, description, example] of rows) {
      const name = unquote(field!) as keyof typeof sendNotificationRequestSchema.properties;
      const schema = sendNotificationRequestSchema.properties[name] as Json & {
        type: string | readonly string[];
        description: string;
        examples?: readonly unknown[];
      };
      expect({ name, starts: schema.description.startsWith(description!) }).toEqual({ name, starts: true });
      expect([schema.type].flat()).toContain(type);
      expect((sendNotificationRequestSchema.required as readonly string[]).includes(name)).toBe(
        required === 'Yes',
      );
      if (example !== 'See below') {
        const values = example!.split(', ').map((cell) => JSON.parse(unquote(cell)) as unknown);
        expect(schema.examples).toEqual(values);
      }
    }
  });

  it("When the guide's message types table is read, then each row is in the message_type description as written", () => {
    const description = sendNotificationRequestSchema.properties.message_type.description;
    const rows = guideTableLines('### Message Types').slice(2);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(description).toContain(row);
    expect(guideTable('### Message Types').map(([type]) => unquote(type!))).toEqual(
      sendNotificationRequestSchema.properties.message_type.enum,
    );
  });

  it("When the guide's status codes table is read, then each status of the endpoint is described in the guide's words", () => {
    const rows = guideTable('### HTTP Status Codes');
    expect(rows.map(([code]) => code)).toEqual(['200', '400', '401', '404', '500']);
    for (const [code, meaning, causes] of rows) {
      const response = sendOperation.responses[code!];
      expect(response?.description).toContain(`**${meaning}** — ${causes}`);
    }
  });

  it("When the guide's examples are read, then each request and answer it shows is an example of the endpoint", () => {
    const examples = [...walk(document.paths[SEND_PATH])]
      .filter(
        ({ pointer, value }) => pointer.at(-2) === 'examples' && (value as Json)['x-source'] !== undefined,
      )
      .map(({ value }) => (value as { value: unknown }).value);
    for (const body of guideBodies()) {
      expect({ body, shown: examples.some((example) => isDeepStrictEqual(example, body)) }).toEqual({
        body,
        shown: true,
      });
    }
  });
});

interface ListedRoute {
  readonly path: string | RegExp;
  readonly methods: readonly string[] | undefined;
  readonly router: { listRoutes(): ListedRoute[] } | undefined;
}

/** Paths the app serves that are not the API: the console and the reference page's files. */
const NOT_API = /^(\/|\/console\/.*|\/docs\/assets\/:file)$/;

describe('Coverage of the app', () => {
  const context = useIngress();

  it('When the app’s routes are walked, then every one is documented and every operation is a route', () => {
    const walkRoutes = (router: { listRoutes(): ListedRoute[] }, prefix = ''): string[] =>
      router.listRoutes().flatMap((entry) => {
        const path = `${prefix}${entry.path === '/' ? '' : String(entry.path)}`;
        if (entry.router) return walkRoutes(entry.router, path);
        if (NOT_API.test(path || '/')) return [];
        return (entry.methods ?? [])
          .filter((method) => method !== 'HEAD')
          .map((method) => `${method} ${path.replace(/:\w+/g, ':param').replace(/\{\*\w+\}/g, '*')}`);
      });
    const served = walkRoutes(
      (context.ingress.app as unknown as { router: { listRoutes(): ListedRoute[] } }).router,
    );
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path.replace(/\{\w+\}/g, ':param')}`),
    );
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
  });
});

interface JoiDescription {
  readonly type: string;
  readonly flags?: { readonly presence?: string; readonly only?: boolean; readonly unknown?: boolean };
  readonly allow?: readonly unknown[];
  readonly rules?: readonly { readonly name: string; readonly args?: { readonly limit?: number } }[];
  readonly keys?: Readonly<Record<string, JoiDescription>>;
  readonly items?: readonly JoiDescription[];
}

interface JsonSchemaShape {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchemaShape>>;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly items?: JsonSchemaShape;
  readonly anyOf?: readonly JsonSchemaShape[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly additionalProperties?: unknown;
}

const rule = (joi: JoiDescription, name: string): number | undefined =>
  joi.rules?.find((candidate) => candidate.name === name)?.args?.limit;

/**
 * Where a Joi schema and a document schema disagree: members, required ones, accepted values,
 * null, types and limits. Joi's own messages stay the contract's; the document must say the same.
 */
function disagreements(joi: JoiDescription, json: JsonSchemaShape, at: string): string[] {
  const found: string[] = [];
  const differ = (what: string, joiValue: unknown, jsonValue: unknown): void => {
    if (!isDeepStrictEqual(joiValue, jsonValue))
      found.push(
        `${at}: ${what} is ${JSON.stringify(joiValue)} in Joi, ${JSON.stringify(jsonValue)} in the document`,
      );
  };
  const objectJson = json.anyOf?.find((branch) => branch.properties) ?? json;
  const types = [json.type ?? json.anyOf?.map((branch) => branch.type)].flat().filter(Boolean);
  if (joi.type !== 'alternatives' && joi.type !== 'any') {
    const integer = joi.rules?.some((candidate) => candidate.name === 'integer');
    differ(
      'the type',
      integer ? 'integer' : joi.type,
      types.find((type) => type !== 'null'),
    );
    differ('null allowed', joi.allow?.includes(null) ?? false, types.includes('null'));
  }
  if (joi.flags?.only) differ('the accepted values', joi.allow, json.enum);
  // A custom rule may hold limits Joi cannot describe (an amount's, a currency's): those only if stated.
  const custom = joi.rules?.some((candidate) => candidate.name === 'custom') ?? false;
  const limit = (what: string, joiValue: number | undefined, jsonValue: number | undefined): void => {
    if (!(custom && joiValue === undefined)) differ(what, joiValue, jsonValue);
  };
  if (joi.type === 'string' && !joi.flags?.only) {
    const empty = joi.allow?.includes('') ?? false;
    // Joi refuses an empty string unless it is allowed.
    limit('the minimum length', rule(joi, 'min') ?? (empty || custom ? undefined : 1), json.minLength);
    limit('the maximum length', rule(joi, 'max'), json.maxLength);
  }
  if (joi.type === 'number') {
    limit('the minimum', rule(joi, 'min'), json.minimum);
    limit('the maximum', rule(joi, 'max'), json.maximum);
  }
  if (joi.type === 'array') {
    differ('the minimum of items', rule(joi, 'min'), json.minItems);
    differ('the maximum of items', rule(joi, 'max'), json.maxItems);
    differ(
      'unique items',
      joi.rules?.some((candidate) => candidate.name === 'unique') ?? false,
      json.uniqueItems ?? false,
    );
    const items = joi.items?.[0];
    if (items && json.items) found.push(...disagreements(items, json.items, `${at}[]`));
  }
  if (joi.type === 'object' && joi.keys) {
    const properties = objectJson.properties ?? {};
    differ('the members', Object.keys(joi.keys).sort(), Object.keys(properties).sort());
    differ(
      'the required members',
      Object.entries(joi.keys)
        .filter(([, key]) => key.flags?.presence === 'required')
        .map(([name]) => name)
        .sort(),
      [...(objectJson.required ?? [])].sort(),
    );
    differ('the minimum of members', rule(joi, 'min'), objectJson.minProperties);
    differ('unknown members refused', !joi.flags?.unknown, objectJson.additionalProperties === false);
    for (const [name, key] of Object.entries(joi.keys)) {
      const property = properties[name];
      if (property) found.push(...disagreements(key, property, `${at}.${name}`));
    }
  }
  return found;
}

describe('Request schemas: the document and the Joi schemas that validate requests agree', () => {
  const pairs: readonly [string, Joi.Schema, JsonSchemaShape][] = [
    ['POST send-notification body', notificationBodySchema, sendNotificationRequestSchema],
    ['POST api-keys body', createApiKeyBodySchema, createApiKeyRequestSchema],
    ['POST api-keys/{id}/rotate body', rotateApiKeyBodySchema, rotateApiKeyRequestSchema],
    ['POST instances body', createInstanceBodySchema, createInstanceRequestSchema],
    ['PATCH instances/{id} body', updateInstanceBodySchema, updateInstanceRequestSchema],
    ['POST webhook-endpoints body', createWebhookEndpointBodySchema, createWebhookEndpointRequestSchema],
    [
      'PATCH webhook-endpoints/{id} body',
      updateWebhookEndpointBodySchema,
      updateWebhookEndpointRequestSchema,
    ],
    ['GET instances/{id}/messages query', listMessagesQuerySchema, messageListQuerySchema],
    ['GET webhook-endpoints/{id}/deliveries query', deliveryListQuerySchema, webhookDeliveryListQuerySchema],
    ['GET templates/preview query', previewQuerySchema, templatePreviewQuerySchema],
  ];

  it.each(pairs)(
    'When the %s is compared, then members, presence, values, types and limits agree',
    (name, joi, json) => {
      expect(disagreements(joi.describe() as JoiDescription, json, name)).toEqual([]);
    },
  );

  it('When the batch body is compared, then it is a list of at least one notification, each the single body', () => {
    const joi = batchBodySchema.describe() as JoiDescription;
    expect(Object.keys(joi.keys!)).toEqual(Object.keys(sendNotificationsRequestSchema.properties));
    expect(rule(joi.keys!.notifications!, 'min')).toBe(
      sendNotificationsRequestSchema.properties.notifications.minItems,
    );
    expect(sendNotificationsRequestSchema.properties.notifications.items).toBe(sendNotificationRequestSchema);
  });

  it('When the send query is compared, then instance_id is the one required parameter', () => {
    const joi = sendQuerySchema.describe() as JoiDescription;
    const parameters = sendOperation.parameters.filter((parameter) => parameter.name === 'instance_id');
    expect(Object.keys(joi.keys!)).toEqual(['instance_id']);
    expect(joi.keys!.instance_id!.flags?.presence).toBe('required');
    expect(parameters).toEqual([expect.objectContaining({ required: true })]);
  });
});
