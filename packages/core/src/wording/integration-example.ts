/** The integration guide's example notification, used wherever we show a ready-to-run request. */
export const GUIDE_EXAMPLE_BODY = {
  phone_number: '254712345678',
  customer_name: 'Test Customer',
  amount: 100.0,
  currency: 'KES',
  invoice_id: 'TEST-001',
  message_type: 'payment_reminder',
} as const;

/** The body of the guide's own cURL code example (its API reference), as the guide prints it. */
export const GUIDE_REFERENCE_BODY = {
  phone_number: '254712345678',
  customer_name: 'John Doe',
  amount: 1500.0,
  currency: 'KES',
  invoice_id: 'INV-001',
  due_date: '2026-02-15',
  message_type: 'payment_reminder',
} as const;

/** Where a billing system sends notifications for one instance. */
export function sendNotificationUrl(publicBaseUrl: string, instanceId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/v1/billing/send-notification?instance_id=${encodeURIComponent(instanceId)}`;
}

/**
 * The guide's Step 4 cURL for one instance, with the key filled in when known (otherwise the
 * guide's `YOUR_API_KEY` placeholder).
 */
export function curlExample(publicBaseUrl: string, instanceId: string, apiKey = 'YOUR_API_KEY'): string {
  const body = [
    '{',
    `    "phone_number": "${GUIDE_EXAMPLE_BODY.phone_number}",`,
    `    "customer_name": "${GUIDE_EXAMPLE_BODY.customer_name}",`,
    '    "amount": 100.00,',
    `    "currency": "${GUIDE_EXAMPLE_BODY.currency}",`,
    `    "invoice_id": "${GUIDE_EXAMPLE_BODY.invoice_id}",`,
    `    "message_type": "${GUIDE_EXAMPLE_BODY.message_type}"`,
    '  }',
  ].join('\n');
  return [
    `curl -X POST "${sendNotificationUrl(publicBaseUrl, instanceId)}" \\`,
    '  -H "Content-Type: application/json" \\',
    `  -H "Authorization: Bearer ${apiKey}" \\`,
    `  -d '${body}'`,
  ].join('\n');
}

/** What stands for the key in a gateway URL until one is filled in. */
export const GATEWAY_KEY_PLACEHOLDER = 'YOUR_SEND_TEXT_KEY';

/**
 * The URL gateway's address for one instance as phpnuxbill's WhatsApp setting (`wa_url`) takes it:
 * phpnuxbill puts the customer's number where `[number]` stands and the text where `[text]` stands,
 * each URL-encoded, and fetches it with GET. The key is a `send_text` key (the placeholder until
 * one is given); it is URL-encoded here, the placeholders are not.
 */
export function gatewayUrlTemplate(
  publicBaseUrl: string,
  instanceId: string,
  apiKey: string = GATEWAY_KEY_PLACEHOLDER,
): string {
  return (
    `${publicBaseUrl.replace(/\/+$/, '')}/api/v1/gateway/send` +
    `?instance_id=${encodeURIComponent(instanceId)}&token=${encodeURIComponent(apiKey)}&to=[number]&text=[text]`
  );
}
