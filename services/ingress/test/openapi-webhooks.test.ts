import { WEBHOOK_EVENT_TYPES } from '@telenexus/core';
import { createDocumentAjv } from '../../../test/support/openapi-conformance';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';
import { servedDocument } from '../../../test/support/openapi-checked-app';

/*
 * The document's `webhooks`: one entry per event type Telenexus delivers, each with its payload's
 * schema and an example payload of that very type. (Real payloads are checked against the same
 * entries where each event is produced: webhook-events, webhook-endpoint-test, reply-webhook-sandbox.)
 */

const document = servedDocument(TEST_PUBLIC_BASE_URL);
const JSON_BODY = ['post', 'requestBody', 'content', 'application/json'] as const;

interface WebhookBody {
  readonly schema: unknown;
  readonly examples?: Readonly<Record<string, { readonly value: { readonly type?: unknown } }>>;
}

function bodyOf(type: string): WebhookBody | undefined {
  let value: unknown = document.webhooks[type];
  for (const key of JSON_BODY) value = (value as Record<string, unknown> | undefined)?.[key];
  return value as WebhookBody | undefined;
}

describe('The OpenAPI document’s webhooks', () => {
  it('When its entries are listed, then there is exactly one per event type of core’s list', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it.each(WEBHOOK_EVENT_TYPES)(
    'When the %s entry is read, then it has an example payload of that type, valid against its schema',
    (type) => {
      const ajv = createDocumentAjv(document);
      const body = bodyOf(type);
      const examples = Object.values(body?.examples ?? {});
      expect(examples.length).toBeGreaterThan(0);
      const validate = ajv.compileAt(['webhooks', type, ...JSON_BODY, 'schema']);
      for (const example of examples) {
        expect(example.value.type).toBe(type);
        expect({ valid: validate(example.value), errors: validate.errors }).toEqual({
          valid: true,
          errors: null,
        });
      }
    },
  );

  it('When an example is given another event’s type, then its schema refuses it (the schemas are not loose)', () => {
    const ajv = createDocumentAjv(document);
    const validate = ajv.compileAt(['webhooks', 'message.received', ...JSON_BODY, 'schema']);
    const example = Object.values(bodyOf('message.received')!.examples!)[0]!.value;

    expect(validate({ ...example, type: 'endpoint.test' })).toBe(false);
  });
});
