import type { Express } from 'express';
import {
  buildOpenApiDocument,
  type OpenApiDocument,
} from '../../services/ingress/src/api-docs/openapi-document';
import { observeConformance, OpenApiConformance } from './openapi-conformance';

/*
 * Every API test's answers are checked against the OpenAPI document ingress serves: the ingress
 * harness passes its app through `checkedAgainstOpenApi`, and importing this module (which the
 * harness does) registers the hooks below in the test file. A test during which the app gave an
 * answer the document does not describe — an undocumented status, media type, header or member —
 * fails, naming the answer; nobody has to remember to check.
 */

const violations: string[] = [];
const checkers = new Map<OpenApiDocument, OpenApiConformance>();
const documents = new Map<string, OpenApiDocument>();

function failOnViolations(when: string): void {
  const found = violations.splice(0);
  if (found.length > 0) {
    throw new Error(
      `The API gave ${found.length} answer(s) its OpenAPI document does not describe (${when}):\n- ` +
        found.join('\n- '),
    );
  }
}

afterEach(() => failOnViolations('during this test'));
afterAll(() => failOnViolations('after the last test of the file'));

/** The document ingress serves for this `PUBLIC_BASE_URL`, built once per file. */
export function servedDocument(publicBaseUrl: string): OpenApiDocument {
  let document = documents.get(publicBaseUrl);
  if (!document) {
    document = buildOpenApiDocument({ publicBaseUrl });
    documents.set(publicBaseUrl, document);
  }
  return document;
}

/** Checks every answer of `app` against `document` (by default the one ingress serves). */
export function checkedAgainstOpenApi(app: Express, document: OpenApiDocument): Express {
  let checker = checkers.get(document);
  if (!checker) {
    checker = new OpenApiConformance(document);
    checkers.set(document, checker);
  }
  return observeConformance(app, checker, (violation) => violations.push(violation));
}

/**
 * Hands over (and clears) the violations seen so far, for a test that provokes one on purpose;
 * whatever is left fails the test.
 */
export function takeOpenApiViolations(): string[] {
  return violations.splice(0);
}
