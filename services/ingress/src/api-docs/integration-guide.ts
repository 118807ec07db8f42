import { GUIDE_EXAMPLE_BODY, GUIDE_REFERENCE_BODY } from '@telenexus/core';

/*
 * The Billing System Integration Guide's own words (docs/billing-integration-guide.md), quoted
 * where the OpenAPI document describes the guide's endpoint. Nothing here is paraphrased: a test
 * reads the guide and fails when a quote is no longer the guide's.
 */

/** The guide's opening sentence. */
export const GUIDE_OVERVIEW =
  'This guide explains how to integrate external billing systems (WISPMAN, custom software, etc.) with ' +
  'Telenexus to send WhatsApp billing notifications.';

/** The guide's "Query Parameters" table: the one parameter of the endpoint. */
export const GUIDE_INSTANCE_ID = 'Your billing instance ID';

/** The guide's "Headers" table, as the guide writes it. */
export const GUIDE_HEADERS_TABLE = [
  '| Header | Value | Required |',
  '|--------|-------|----------|',
  '| `Content-Type` | `application/json` | Yes |',
  '| `Authorization` | `Bearer YOUR_API_KEY` | Yes |',
].join('\n');

/** The guide's "HTTP Status Codes" table, row by row: meaning and common causes. */
export const GUIDE_STATUS_CODES = {
  200: { meaning: 'Success', causes: 'Message sent successfully' },
  400: { meaning: 'Bad Request', causes: 'Missing required fields, invalid data format' },
  401: { meaning: 'Unauthorized', causes: 'Invalid or missing API key' },
  404: { meaning: 'Not Found', causes: "Instance not found or doesn't belong to your account" },
  500: { meaning: 'Server Error', causes: 'WhatsApp instance not connected, Evolution API error' },
} as const;

export type GuideStatus = keyof typeof GUIDE_STATUS_CODES;

/** A status's row of the guide's table, as the first line of its OpenAPI description. */
export function guideStatusLine(status: GuideStatus): string {
  const { meaning, causes } = GUIDE_STATUS_CODES[status];
  return `**${meaning}** — ${causes}`;
}

/** The guide's request bodies and answers, as OpenAPI examples; `x-source` marks them as the guide's. */
export interface GuideExample {
  readonly summary: string;
  readonly value: unknown;
  readonly 'x-source': 'billing-integration-guide';
}

function guideExample(summary: string, value: unknown): GuideExample {
  return { summary, value, 'x-source': 'billing-integration-guide' };
}

/** The body of the guide's cURL code example (the API Reference's example values). */
export const GUIDE_REQUEST_EXAMPLE = guideExample('The guide’s cURL code example', GUIDE_REFERENCE_BODY);

/** The body of the guide's "Step 4: Test the Integration". */
export const GUIDE_TEST_REQUEST_EXAMPLE = guideExample(
  'The guide’s Step 4: Test the Integration',
  GUIDE_EXAMPLE_BODY,
);

/** The guide's "Success (200)" answer. */
export const GUIDE_SUCCESS_EXAMPLE = guideExample('The guide’s Success (200)', {
  success: true,
  message_id: '550e8400-e29b-41d4-a716-446655440000',
  invoice_id: 'INV-001',
});

/** The guide's "Expected Response" of Step 4 (its `message_id` is a placeholder for a UUID). */
export const GUIDE_TEST_RESPONSE_EXAMPLE = guideExample('The guide’s Step 4: Expected Response', {
  success: true,
  message_id: 'uuid-here',
  invoice_id: 'TEST-001',
});

/**
 * The guide's "Error (400/401/404/500)" body. Every error answer carries this `detail` member with
 * these words; the problem members around it are Telenexus's.
 */
export const GUIDE_ERROR_EXAMPLE = guideExample('The guide’s Error (400/401/404/500): the `detail` member', {
  detail: 'Error message describing what went wrong',
});
