import { textMessage } from '@telenexus/core';
import Joi from 'joi';
import type { MessageMetadata } from '@telenexus/core';
import {
  expiresAtField,
  metadataField,
  phoneNumberField,
  sendAtField,
} from '../notifications/notification-body.schema';

/** The URL gateway's parameters, after validation, aliases resolved. */
export interface GatewayParams {
  readonly instance_id: string;
  /** The customer's number, as sent (`to`, or its aliases `number` and `phone`). */
  readonly to: string;
  /** The text to send, exactly (`text`, or its alias `message`); line breaks as `\n`. */
  readonly text: string;
  /** The API key, when it came as a parameter rather than in the Authorization header. */
  readonly token?: string;
  readonly expires_at: Date | null;
  readonly send_at: Date | null;
  readonly metadata: MessageMetadata | null;
}

/** Parameters whose value is a message's text: line breaks and tabs are allowed in them. */
export const GATEWAY_TEXT_PARAMS = ['text', 'message'] as const;

/**
 * What `/api/v1/gateway/send` takes, from the query string, a form or a JSON body. Aliases are the
 * names other SMS and WhatsApp gateways use, so a URL template written for one of them needs only
 * its host changed; a parameter given under two of its names is refused rather than one picked.
 */
export const gatewayParamsSchema = Joi.object<GatewayParams>({
  instance_id: Joi.string().trim().guid().required(),
  to: phoneNumberField.required(),
  text: Joi.string()
    .custom((value: string) => {
      const message = textMessage(value);
      if ('problem' in message) throw new Error(message.problem);
      return message.text;
    })
    .required(),
  token: Joi.string(),
  expires_at: expiresAtField.default(null),
  send_at: sendAtField.default(null),
  metadata: metadataField,
})
  .rename('number', 'to')
  .rename('phone', 'to')
  .rename('message', 'text')
  .messages({
    'object.base': 'must be an object of parameters',
    'object.rename.override': '{{#from}} and {{#to}} are the same parameter; send only one of them',
    'object.rename.multiple': '{{#from}} and {{#to}} are the same parameter; send only one of them',
  });
