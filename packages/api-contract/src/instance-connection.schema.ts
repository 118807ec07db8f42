import { CONNECTION_STATES } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { timestampSchema } from './common.schema';

/** The QR code to scan while the number is paired again (the guide's QR Code tab). */
export const instanceQrCodeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['image', 'code', 'pairing_code', 'count'],
  properties: {
    image: {
      type: 'string',
      pattern: '^data:image/png;base64,',
      description: 'The QR code as a PNG data URL, to show as it is (`<img src="…">`).',
    },
    code: { type: 'string', description: 'What the QR code encodes (`2@…`).' },
    pairing_code: {
      type: ['string', 'null'],
      description:
        'The 8-character code to type on the phone (WhatsApp → Linked devices → Link with phone number) ' +
        'instead of scanning; only when a `number` was given to connect.',
    },
    count: {
      type: 'integer',
      minimum: 0,
      description:
        'How many QR codes this pairing has shown. Evolution shows a new one every 20–60 s and gives up ' +
        'after its limit (30 by default); then connect again.',
    },
  },
} as const satisfies JSONSchema;

/** One change of the WhatsApp connection. */
export const connectionEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'reason', 'at'],
  properties: {
    state: { type: 'string', enum: CONNECTION_STATES },
    reason: {
      type: 'string',
      description:
        'Who noticed and how: `connection.update (statusReason 401: logged out)` (Evolution’s webhook, with ' +
        'the Baileys reason), `probed after a "Connection Closed" answer` (a send was refused), ' +
        '`connection poll`, `a send succeeded`, `connect answer`, `logged out through the API`.',
    },
    at: timestampSchema,
  },
} as const satisfies JSONSchema;

/** An instance's WhatsApp connection: its state, the QR code while it pairs, and its timeline. */
export const instanceConnectionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'qr', 'events'],
  properties: {
    state: {
      type: 'string',
      enum: CONNECTION_STATES,
      description:
        '`open`: connected; `connecting`: pairing (scan the QR code); `close`: disconnected, nothing is ' +
        'accepted for the instance; `unknown`: Evolution has not said yet.',
    },
    qr: {
      anyOf: [instanceQrCodeSchema, { type: 'null' }],
      description:
        'The latest QR code of the pairing in progress, kept from Evolution’s `qrcode.updated` webhooks; ' +
        'null when the instance is open or no QR code exists yet (ask again in a couple of seconds).',
    },
    events: {
      type: 'array',
      maxItems: 20,
      items: connectionEventSchema,
      description: 'The latest connection changes, newest first (at most 20).',
    },
  },
} as const satisfies JSONSchema;

/** `POST /api/v1/instances/{id}/connect`: the body is optional. */
export const connectInstanceRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    number: {
      type: 'string',
      pattern: '^[0-9]{7,15}$',
      description:
        'The WhatsApp number of the instance (digits with country code): Evolution then also gives a ' +
        '`pairing_code` to type on the phone instead of scanning.',
      examples: ['254712345678'],
    },
  },
} as const satisfies JSONSchema;
