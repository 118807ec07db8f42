import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { observeConformance, OpenApiConformance } from '../../../test/support/openapi-conformance';
import type { OpenApiDocument } from '../src/api-docs/openapi-document';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';
import { useIngress } from '../../../test/support/use-ingress';
import { servedDocument, takeOpenApiViolations } from '../../../test/support/openapi-checked-app';

/*
 * The check of every answer against the OpenAPI document must not pass vacuously: answers the
 * document does not describe are caught, one kind at a time, and the ingress harness really
 * checks what the app answers.
 */

const document = servedDocument(TEST_PUBLIC_BASE_URL);
const conformance = new OpenApiConformance(document);

const MESSAGE_ID = '6b0f1c1e-8d4f-4d0a-9a55-0c4d2f9b1a10';
const NOW = '2026-02-01T10:00:00.000Z';

/** A message exactly as the document describes it. */
const message = {
  id: MESSAGE_ID,
  instance_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  direction: 'outgoing',
  status: 'sent',
  message_type: 'payment_reminder',
  phone_number: '254712345678',
  customer_name: 'John Doe',
  amount: 1500,
  currency: 'KES',
  invoice_id: 'INV-001',
  due_date: '2026-02-15',
  text: 'Payment Due Reminder',
  attempts: 1,
  last_error: null,
  reason_code: null,
  provider_message_id: '3EB0',
  created_at: NOW,
  updated_at: NOW,
  sent_at: NOW,
  delivered_at: null,
  read_at: null,
  failed_at: null,
  send_at: null,
  metadata: { customer_ref: 'C-1042' },
  events: [{ type: 'accepted', status: 'queued', detail: null, created_at: NOW }],
};

function problem(code: string, status: number, title: string, detail: string): Record<string, unknown> {
  return { type: `${TEST_PUBLIC_BASE_URL}/api/problems/${code}`, title, status, detail, code };
}

function check(
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): string[] {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return conformance.violations({
    method,
    path,
    status,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...headers,
    },
    body: Buffer.from(text),
  });
}

const PROBLEM = { 'content-type': 'application/problem+json; charset=utf-8' };

describe('Checking answers against the OpenAPI document', () => {
  it('When an answer is what the document describes, then nothing is reported', () => {
    expect(check('GET', `/api/v1/messages/${MESSAGE_ID}`, 200, message)).toEqual([]);
    expect(
      check(
        'GET',
        `/api/v1/messages/${MESSAGE_ID}`,
        404,
        problem('not_found', 404, 'Not found', 'Message not found'),
        PROBLEM,
      ),
    ).toEqual([]);
  });

  it('When an answer carries a member the document does not list, then it is reported by name', () => {
    const violations = check('GET', `/api/v1/messages/${MESSAGE_ID}`, 200, { ...message, secret: 'whsec_x' });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain('the undocumented member "secret"');
  });

  it('When a nested object carries an undocumented member, then it is reported too', () => {
    const events = [{ ...message.events[0], actor: 'dispatcher' }];
    expect(check('GET', `/api/v1/messages/${MESSAGE_ID}`, 200, { ...message, events }).join()).toContain(
      '/events/0 has the undocumented member "actor"',
    );
  });

  it('When an answer has a status the operation does not document, then it is reported', () => {
    const violations = check(
      'GET',
      `/api/v1/messages/${MESSAGE_ID}`,
      409,
      problem('conflict', 409, 'Conflict', 'Conflict'),
      PROBLEM,
    );
    expect(violations.join()).toContain('status 409 is not documented for GET /api/v1/messages/{id}');
  });

  it('When a member has the wrong type or value, then it is reported', () => {
    expect(
      check('GET', `/api/v1/messages/${MESSAGE_ID}`, 200, { ...message, amount: '1500' }).join(),
    ).toContain('/amount must be number,null');
    expect(
      check('GET', `/api/v1/messages/${MESSAGE_ID}`, 200, { ...message, status: 'lost' }).join(),
    ).toContain('/status must be equal to one of the allowed values');
  });

  it('When an error is answered as plain JSON instead of a problem, then the media type is reported', () => {
    const violations = check('GET', `/api/v1/messages/${MESSAGE_ID}`, 404, { detail: 'Message not found' });
    expect(violations.join()).toContain('Content-Type application/json; charset=utf-8 is not documented');
  });

  it("When a problem's code is not one its status documents for the operation, then it is reported", () => {
    const wrongCode = problem(
      'instance_not_connected',
      400,
      'Instance not connected',
      'Instance is not connected',
    );
    expect(check('GET', `/api/v1/messages/${MESSAGE_ID}`, 400, wrongCode, PROBLEM)).not.toEqual([]);
  });

  it('When a header the document requires is missing, then it is reported', () => {
    const limited = problem('rate_limited', 429, 'Rate limit exceeded', 'Rate limit exceeded');
    const path = '/api/v1/billing/send-notification';
    const headers = {
      ...PROBLEM,
      'ratelimit-limit': '60',
      'ratelimit-remaining': '0',
      'ratelimit-reset': '30',
    };
    expect(check('POST', path, 429, limited, { ...headers, 'retry-after': '30' })).toEqual([]);
    expect(check('POST', path, 429, limited, headers).join()).toContain(
      'the required header Retry-After is missing',
    );
  });

  it('When an answer documented without content carries a body, then it is reported', () => {
    expect(check('DELETE', `/api/v1/instances/${MESSAGE_ID}`, 204, undefined)).toEqual([]);
    expect(check('DELETE', `/api/v1/instances/${MESSAGE_ID}`, 204, { deleted: true }).join()).toContain(
      'a body is sent where DELETE /api/v1/instances/{id} 204 documents none',
    );
  });

  it('When a path the document does not list answers anything but its route_not_found problem, then it is reported', () => {
    const notFound = problem('route_not_found', 404, 'Route not found', 'No route for GET /api/v1/nowhere');
    expect(check('GET', '/api/v1/nowhere', 404, notFound, PROBLEM)).toEqual([]);
    expect(check('GET', '/api/v1/nowhere', 200, { ok: true })).not.toEqual([]);
  });

  it('When an Express app is observed, then what it answers is checked before the answer leaves', async () => {
    const found: string[] = [];
    const app = express();
    app.get('/api/v1/messages/:id', (_request, response) => {
      response.json({ ...message, internal_note: 'undocumented' });
    });
    observeConformance(app, conformance, (violation) => found.push(violation));
    await request(app).get(`/api/v1/messages/${MESSAGE_ID}`).expect(200);
    expect(found.join()).toContain('the undocumented member "internal_note"');
  });
});

describe('The ingress harness checks every answer of the real app', () => {
  /** A document that forgot a member of messages and the 404 of reading one. */
  function tamperedDocument(): OpenApiDocument {
    const tampered = structuredClone(document) as {
      components: { schemas: Record<string, { properties: Record<string, unknown>; required: string[] }> };
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };
    const timeline = tampered.components.schemas.MessageWithTimeline!;
    delete timeline.properties.text;
    timeline.required = timeline.required.filter((name) => name !== 'text');
    delete tampered.paths['/api/v1/messages/{id}']!.get.responses['404'];
    return tampered as unknown as OpenApiDocument;
  }

  const context = useIngress({ tenant: true, openApiDocument: tamperedDocument() });

  it('When the real app answers a member or a status the document lacks, then the harness reports both', async () => {
    const sent = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .send({
        phone_number: '254712345678',
        customer_name: 'John Doe',
        amount: 1500,
        currency: 'KES',
        invoice_id: `INV-${randomUUID().slice(0, 8)}`,
        message_type: 'invoice',
      })
      .expect(200);
    expect(takeOpenApiViolations()).toEqual([]);

    await request(context.ingress.app)
      .get(`/api/v1/messages/${sent.body.message_id}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .expect(200);
    await request(context.ingress.app)
      .get(`/api/v1/messages/${randomUUID()}`)
      .set('Authorization', `Bearer ${context.tenant.apiKey}`)
      .expect(404);

    const violations = takeOpenApiViolations();
    expect(violations).toHaveLength(2);
    expect(violations[0]).toContain('the undocumented member "text"');
    expect(violations[1]).toContain('status 404 is not documented for GET /api/v1/messages/{id}');
  });
});
