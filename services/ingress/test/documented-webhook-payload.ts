import { createDocumentAjv } from '../../../test/support/openapi-conformance';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';
import { servedDocument } from '../../../test/support/openapi-checked-app';

const schemas = createDocumentAjv(servedDocument(TEST_PUBLIC_BASE_URL));

/**
 * Where a payload as really stored for delivery departs from the OpenAPI document's `webhooks`
 * entry of its type: [] when it is an instance of that entry's request body schema.
 */
export function undocumentedIn(payload: string | object): unknown[] {
  const body = (typeof payload === 'string' ? JSON.parse(payload) : payload) as { type?: unknown };
  const type = String(body.type);
  const validate = schemas.compileAt([
    'webhooks',
    type,
    'post',
    'requestBody',
    'content',
    'application/json',
    'schema',
  ]);
  return validate(body) ? [] : [{ type, errors: validate.errors }];
}
