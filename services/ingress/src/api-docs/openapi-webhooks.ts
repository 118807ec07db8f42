import type {
  InstanceWebhookEvent,
  ReplyWebhookEvent,
  TestWebhookEvent,
  WebhookEvent,
  WireSchemaName,
} from '@telenexus/api-contract';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@telenexus/core';
import { JSON_MEDIA_TYPE, schemaRef, type OperationObject, type PathItemObject } from './openapi-objects';

/** What each event announces, its payload's schema and an example payload. */
interface EventEntry {
  readonly summary: string;
  readonly description: string;
  readonly schema: WireSchemaName;
  readonly example: WebhookEvent | InstanceWebhookEvent | ReplyWebhookEvent | TestWebhookEvent;
}

const EVENT_ID = '0f8b6c0e-5d0a-4d7e-9a51-3c2f1f0b9a10';
const MESSAGE_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const INSTANCE_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const AT = '2026-02-01T10:00:05.120Z';

function messageEvent(
  type: WebhookEvent['type'],
  status: WebhookEvent['data']['status'],
  data: Partial<Omit<WebhookEvent['data'], 'metadata'>> = {},
): WebhookEvent {
  return {
    id: EVENT_ID,
    type,
    created_at: AT,
    data: {
      message_id: MESSAGE_ID,
      instance_id: INSTANCE_ID,
      invoice_id: 'INV-2026-0042',
      message_type: 'invoice',
      status,
      phone_number: '254712345678',
      provider_message_id: status === 'queued' ? null : '3EB0C767D26A1D8F3A2B',
      attempts: status === 'queued' ? 0 : 1,
      error: null,
      reason_code: null,
      metadata: { customer_ref: 'C-1042' },
      ...data,
    },
  };
}

function instanceEvent(type: InstanceWebhookEvent['type']): InstanceWebhookEvent {
  const open = type === 'instance.connected';
  return {
    id: EVENT_ID,
    type,
    created_at: AT,
    data: {
      instance_id: INSTANCE_ID,
      name: 'Billing',
      evolution_instance_name: 'tnx-7c9e6679',
      state: open ? 'open' : 'close',
      previous_state: open ? 'connecting' : 'open',
      reason: open ? 'connection.update' : 'connection.update (statusReason 401: logged out)',
      at: AT,
    },
  };
}

const MESSAGE_EVENT = 'WebhookEvent';

/** Every event type, in core's order; a type missing here does not compile. */
const EVENTS: Readonly<Record<WebhookEventType, EventEntry>> = {
  'message.queued': {
    summary: 'A notification was accepted and queued (opt-in)',
    description:
      'Sent only to endpoints whose `events` name `message.queued`: an endpoint registered without an ' +
      '`events` list does not get it. Written in the same transaction that accepts the notification, or, for ' +
      'one with a `send_at` ahead (`scheduled` until then), in the one that queues it at that time.',
    schema: MESSAGE_EVENT,
    example: messageEvent('message.queued', 'queued'),
  },
  'message.sent': {
    summary: 'WhatsApp accepted a message',
    description: 'Evolution answered the send; `provider_message_id` is WhatsApp’s id of it.',
    schema: MESSAGE_EVENT,
    example: messageEvent('message.sent', 'sent'),
  },
  'message.delivered': {
    summary: 'A message reached the customer’s phone',
    description: 'From WhatsApp’s delivery receipt.',
    schema: MESSAGE_EVENT,
    example: messageEvent('message.delivered', 'delivered'),
  },
  'message.read': {
    summary: 'The customer opened a message',
    description: 'From WhatsApp’s read receipt (customers can turn read receipts off).',
    schema: MESSAGE_EVENT,
    example: messageEvent('message.read', 'read'),
  },
  'message.failed': {
    summary: 'A message could not be sent',
    description: '`error` says why in words, `reason_code` in a code to branch on.',
    schema: MESSAGE_EVENT,
    example: messageEvent('message.failed', 'failed', {
      provider_message_id: null,
      attempts: 1,
      error: 'The number 254712345678 is not on WhatsApp',
      reason_code: 'not_on_whatsapp',
    }),
  },
  'message.expired': {
    summary: 'A message expired before it could be sent',
    description: 'It could only have gone out after its `expires_at`, so it was not sent.',
    schema: MESSAGE_EVENT,
    example: messageEvent('message.expired', 'expired', { provider_message_id: null, attempts: 0 }),
  },
  'message.canceled': {
    summary: 'A reminder was canceled by a payment confirmation',
    description: 'A `confirmation` for the same invoice made the queued reminder unnecessary.',
    schema: MESSAGE_EVENT,
    example: messageEvent('message.canceled', 'canceled', {
      message_type: 'payment_reminder',
      provider_message_id: null,
      attempts: 0,
    }),
  },
  'instance.disconnected': {
    summary: 'An instance lost its WhatsApp connection',
    description:
      'Its connection became `close` (Evolution’s `connection.update`, a "Connection Closed" answer to a send, ' +
      'connection polling or a logout): nothing is accepted for it (400 `instance_not_connected`) until it is ' +
      'paired again in the QR Code tab. Announced once per change, in the transaction that records it.',
    schema: 'InstanceWebhookEvent',
    example: instanceEvent('instance.disconnected'),
  },
  'instance.connected': {
    summary: 'An instance got its WhatsApp connection back',
    description: 'Its connection is `open` again; notifications are accepted for it.',
    schema: 'InstanceWebhookEvent',
    example: instanceEvent('instance.connected'),
  },
  'message.received': {
    summary: 'A customer wrote to the instance’s number',
    description:
      'A reply such as "I paid yesterday", stored as an incoming message and announced in the same ' +
      'transaction. `in_reply_to` is the newest message sent to that number from that instance, with its ' +
      '`invoice_id` and `message_type`, so the reply can be routed to the invoice it most likely answers; ' +
      'null when nothing was sent to that number. WhatsApp repeating the same message announces it once.',
    schema: 'ReplyWebhookEvent',
    example: {
      id: EVENT_ID,
      type: 'message.received',
      created_at: AT,
      data: {
        message_id: '9b2d7e1a-3c4f-4a5b-8c6d-7e8f9a0b1c2d',
        instance_id: INSTANCE_ID,
        instance_name: 'Billing',
        phone_number: '254712345678',
        customer_name: 'John Doe',
        text: 'I paid yesterday via M-Pesa',
        provider_message_id: '3EB0A1B2C3D4E5F60718',
        received_at: AT,
        in_reply_to: {
          message_id: MESSAGE_ID,
          invoice_id: 'INV-2026-0042',
          message_type: 'invoice',
          sent_at: '2026-02-01T09:00:01.004Z',
          metadata: { customer_ref: 'C-1042' },
        },
      },
    },
  },
  'endpoint.test': {
    summary: 'A test event, sent on request',
    description:
      'Sent by `POST /api/v1/webhook-endpoints/{id}/test` (or the console’s "Send test event") to that ' +
      'endpoint only, whatever it subscribes to. Nothing happened: verify the signature and answer 2xx.',
    schema: 'TestWebhookEvent',
    example: {
      id: EVENT_ID,
      type: 'endpoint.test',
      created_at: AT,
      data: {
        endpoint_id: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
        url: 'https://billing.example.com/telenexus/webhooks',
        message:
          'A test event from Telenexus: answer 2xx once the signature verifies. Nothing else happened.',
      },
    },
  },
};

/** `message.received` → `messageReceivedEvent`. */
function operationIdOf(type: WebhookEventType): string {
  const words = type.split(/[._]/);
  return `${words.map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('')}Event`;
}

export interface EventWebhookTerms {
  /** The headers of every POST. */
  readonly headers: NonNullable<OperationObject['parameters']>;
  /** How every event is delivered, retried and verified; appended to each event's own description. */
  readonly delivery: string;
}

/**
 * The document's `webhooks`: one entry per event type, named after it, with its payload's schema
 * and an example payload. All are delivered, signed and retried alike (`terms`).
 */
export function eventWebhooks(terms: EventWebhookTerms): Record<WebhookEventType, PathItemObject> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => {
      const entry = EVENTS[type];
      const item: PathItemObject = {
        post: {
          operationId: operationIdOf(type),
          tags: ['Status webhooks'],
          summary: entry.summary,
          description: `${entry.description}\n\n${terms.delivery}`,
          security: [],
          parameters: terms.headers,
          requestBody: {
            required: true,
            content: {
              [JSON_MEDIA_TYPE]: {
                schema: schemaRef(entry.schema),
                examples: { [type]: { summary: entry.summary, value: entry.example } },
              },
            },
          },
          responses: { '2XX': { description: 'Received. Any other answer is retried.' } },
        },
      };
      return [type, item];
    }),
  ) as Record<WebhookEventType, PathItemObject>;
}

/** The schema each event type's payload is published under, for tests that check real payloads. */
export function webhookPayloadSchemaOf(type: WebhookEventType): WireSchemaName {
  return EVENTS[type].schema;
}
