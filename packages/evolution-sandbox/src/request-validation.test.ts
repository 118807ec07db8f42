import { EvolutionHttpError } from './evolution-http-error';
import {
  parseCreateInstanceBody,
  parseFindStatusBody,
  parseSendTextBody,
  parseWebhookBody,
} from './request-validation';
import { EVOLUTION_EVENT_NAMES } from './evolution-event-names';

function rejection(parse: () => unknown): { status: number; message: unknown } {
  try {
    parse();
  } catch (error) {
    if (error instanceof EvolutionHttpError) return { status: error.status, message: error.responseMessage };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('parseSendTextBody', () => {
  it('When number and text are present, then the body is accepted with its optional fields', () => {
    expect(
      parseSendTextBody({ number: '254712345678', text: 'hi', delay: 1200, linkPreview: false }),
    ).toEqual({
      number: '254712345678',
      text: 'hi',
      delay: 1200,
      linkPreview: false,
    });
  });

  it("When text is missing, then Evolution's nested schema message comes back", () => {
    expect(rejection(() => parseSendTextBody({ number: '254712345678' }))).toEqual({
      status: 400,
      message: [['instance requires property "text"']],
    });
  });

  it('When the body is absent, then both required properties are reported together', () => {
    expect(rejection(() => parseSendTextBody(undefined)).message).toEqual([
      ['instance requires property "number"', 'instance requires property "text"'],
    ]);
  });

  it('When fields have the wrong types, then each is reported with jsonschema wording', () => {
    expect(
      rejection(() => parseSendTextBody({ number: 5, text: 7, delay: 1.5, linkPreview: 'no' })).message,
    ).toEqual([
      [
        'Invalid format',
        'text is not of a type(s) string',
        'Enter a value in milliseconds',
        'linkPreview is not of a type(s) boolean',
      ],
    ]);
  });

  it('When the text is blank, then "Text is required" comes back', () => {
    expect(rejection(() => parseSendTextBody({ number: '254712345678', text: '  ' }))).toEqual({
      status: 400,
      message: ['Text is required'],
    });
  });
});

describe('parseWebhookBody', () => {
  const webhook = { enabled: true, url: 'https://hooks.example/evolution', events: ['MESSAGES_UPDATE'] };

  it('When the webhook is valid, then it is normalised like Evolution stores it', () => {
    expect(parseWebhookBody({ webhook: { ...webhook, headers: { jwt_key: 's' }, byEvents: false } })).toEqual(
      {
        enabled: true,
        url: 'https://hooks.example/evolution',
        headers: { jwt_key: 's' },
        byEvents: false,
        base64: false,
        events: ['MESSAGES_UPDATE'],
      },
    );
  });

  it('When an event name is dotted, then the enum error names its position', () => {
    const { status, message } = rejection(() =>
      parseWebhookBody({ webhook: { ...webhook, events: ['MESSAGES_UPDATE', 'messages.update'] } }),
    );
    expect(status).toBe(400);
    expect(message).toEqual([
      [`webhook.events[1] is not one of enum values: ${EVOLUTION_EVENT_NAMES.join(',')}`],
    ]);
  });

  it('When the webhook object is missing, then the required property is reported', () => {
    expect(rejection(() => parseWebhookBody({ url: 'x' })).message).toEqual([
      ['instance requires property "webhook"'],
    ]);
  });

  it('When enabled and url are missing, then both are reported', () => {
    expect(rejection(() => parseWebhookBody({ webhook: {} })).message).toEqual([
      ['webhook requires property "enabled"', 'webhook requires property "url"'],
    ]);
  });

  it("When the url is not an http(s) URL, then Evolution's controller message comes back", () => {
    expect(rejection(() => parseWebhookBody({ webhook: { ...webhook, url: 'not a url' } })).message).toEqual([
      'Invalid "url" property',
    ]);
  });

  it('When enabled has no events, then every event is subscribed', () => {
    expect(parseWebhookBody({ webhook: { enabled: true, url: 'http://x.test' } }).events).toEqual(
      EVOLUTION_EVENT_NAMES,
    );
  });

  it('When the webhook is disabled, then no events are stored', () => {
    expect(parseWebhookBody({ webhook: { ...webhook, enabled: false } }).events).toEqual([]);
  });
});

describe('parseCreateInstanceBody', () => {
  it('When only the name is given, then the Baileys integration is assumed', () => {
    expect(parseCreateInstanceBody({ instanceName: 'billing01' })).toEqual({
      instanceName: 'billing01',
      integration: 'WHATSAPP-BAILEYS',
    });
  });

  it('When the name is missing or the integration unknown, then schema messages come back', () => {
    expect(rejection(() => parseCreateInstanceBody({ integration: 'TELEGRAM' })).message).toEqual([
      [
        'integration is not one of enum values: WHATSAPP-BAILEYS,WHATSAPP-BUSINESS,EVOLUTION',
        'instance requires property "instanceName"',
      ],
    ]);
  });
});

describe('parseFindStatusBody', () => {
  it('When a where clause is given, then id and remoteJid are read', () => {
    expect(parseFindStatusBody({ where: { id: '3EB0X', remoteJid: 'a@s.whatsapp.net' } })).toEqual({
      id: '3EB0X',
      remoteJid: 'a@s.whatsapp.net',
    });
  });

  it('When nothing is given, then every update is asked for', () => {
    expect(parseFindStatusBody(undefined)).toEqual({});
  });

  it('When where is not an object, then it is rejected', () => {
    expect(rejection(() => parseFindStatusBody({ where: 'x' })).message).toEqual([
      ['where is not of a type(s) object'],
    ]);
  });
});
