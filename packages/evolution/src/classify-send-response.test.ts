import { classifySendResponse } from './classify-send-response';

const envelope = (status: number, error: string, message: unknown) => ({
  status,
  error,
  response: { message },
});

describe('classifySendResponse', () => {
  describe('success', () => {
    it('When Evolution answers 201 with key.id, then the message is sent with its id and timestamp', () => {
      const outcome = classifySendResponse({
        status: 201,
        body: {
          key: { remoteJid: '254712345678@s.whatsapp.net', fromMe: true, id: '3EB02BDF6F19D73AB79438' },
          status: 'PENDING',
          messageTimestamp: 1772167051,
        },
      });
      expect(outcome).toEqual({
        kind: 'sent',
        providerMessageId: '3EB02BDF6F19D73AB79438',
        providerTimestamp: 1772167051,
      });
    });

    it('When messageTimestamp is a digit string, then it is read as seconds', () => {
      const outcome = classifySendResponse({
        status: 201,
        body: { key: { id: 'ABC' }, messageTimestamp: '1772167051' },
      });
      expect(outcome).toEqual({ kind: 'sent', providerMessageId: 'ABC', providerTimestamp: 1772167051 });
    });

    it('When messageTimestamp is missing or not numeric, then the message is sent without a timestamp', () => {
      expect(classifySendResponse({ status: 201, body: { key: { id: 'ABC' } } })).toEqual({
        kind: 'sent',
        providerMessageId: 'ABC',
      });
      expect(
        classifySendResponse({ status: 201, body: { key: { id: 'ABC' }, messageTimestamp: { low: 1 } } }),
      ).toEqual({ kind: 'sent', providerMessageId: 'ABC' });
    });

    it.each([
      ['no body', undefined],
      ['an HTML page', '<html>ok</html>'],
      ['no key', { status: 'PENDING' }],
      ['an empty key.id', { key: { id: '' } }],
    ])('When a 2xx arrives with %s, then the outcome is ambiguous', (_label, body) => {
      expect(classifySendResponse({ status: 200, body })).toMatchObject({
        kind: 'ambiguous',
        httpStatus: 200,
      });
    });
  });

  describe('the error table of evolution-api.md', () => {
    it('When the apikey is missing or wrong (401), then the failure is permanent and a configuration problem', () => {
      expect(
        classifySendResponse({ status: 401, body: envelope(401, 'Unauthorized', 'Unauthorized') }),
      ).toEqual({
        kind: 'permanent',
        httpStatus: 401,
        configuration: true,
        reason: 'Evolution rejected the API key',
      });
    });

    it('When Evolution answers 403, then it is treated like a rejected key', () => {
      expect(
        classifySendResponse({ status: 403, body: envelope(403, 'Forbidden', ['Forbidden']) }),
      ).toMatchObject({
        kind: 'permanent',
        configuration: true,
        reason: 'Evolution rejected the API key',
      });
    });

    it('When the instance is unknown (404), then the failure is permanent configuration, naming the instance', () => {
      const outcome = classifySendResponse({
        status: 404,
        body: envelope(404, 'Not Found', ['The "billing01" instance does not exist']),
      });
      expect(outcome).toEqual({
        kind: 'permanent',
        httpStatus: 404,
        configuration: true,
        reason: 'Evolution instance does not exist: The "billing01" instance does not exist',
      });
    });

    it('When schema validation fails (400, nested array), then the failure is permanent with the message', () => {
      const outcome = classifySendResponse({
        status: 400,
        body: envelope(400, 'Bad Request', [['instance requires property "text"']]),
      });
      expect(outcome).toEqual({
        kind: 'permanent',
        httpStatus: 400,
        reason: 'Evolution rejected the request: instance requires property "text"',
      });
    });

    it('When the text is blank (400 "Text is required"), then the failure is permanent', () => {
      expect(
        classifySendResponse({ status: 400, body: envelope(400, 'Bad Request', ['Text is required']) }),
      ).toMatchObject({ kind: 'permanent', reason: 'Evolution rejected the request: Text is required' });
    });

    it('When the number is not on WhatsApp (400 exists:false), then the failure is permanent and names the number', () => {
      const outcome = classifySendResponse({
        status: 400,
        body: envelope(400, 'Bad Request', [
          { jid: '254700000001@s.whatsapp.net', exists: false, number: '254700000001' },
        ]),
      });
      expect(outcome).toEqual({
        kind: 'permanent',
        httpStatus: 400,
        notOnWhatsApp: true,
        reason: 'number 254700000001 is not on WhatsApp',
      });
    });

    it('When exists:false comes without a number, then the JID or the requested number is named', () => {
      expect(
        classifySendResponse({
          status: 400,
          body: envelope(400, 'Bad Request', [{ jid: '254700000002@s.whatsapp.net', exists: false }]),
        }),
      ).toMatchObject({ reason: 'number 254700000002 is not on WhatsApp' });
      expect(
        classifySendResponse({
          status: 400,
          body: envelope(400, 'Bad Request', [{ exists: false }]),
          number: '254700000003',
        }),
      ).toMatchObject({ reason: 'number 254700000003 is not on WhatsApp' });
    });

    it('When the instance is not connected (500 "Connection Closed"), then the outcome is transient and flags the instance', () => {
      expect(
        classifySendResponse({
          status: 500,
          body: envelope(500, 'Internal Server Error', 'Connection Closed'),
        }),
      ).toEqual({
        kind: 'transient',
        httpStatus: 500,
        instanceDisconnected: true,
        reason: 'Evolution instance is not connected to WhatsApp (Connection Closed)',
      });
    });

    it('When the send failed on a broken socket (400 "Error: Connection Closed"), then the outcome is transient', () => {
      expect(
        classifySendResponse({
          status: 400,
          body: envelope(400, 'Bad Request', ['Error: Connection Closed']),
        }),
      ).toMatchObject({ kind: 'transient', httpStatus: 400, instanceDisconnected: true });
    });

    it('When the instance never connected (500 onWhatsApp TypeError), then the outcome is transient', () => {
      expect(
        classifySendResponse({
          status: 500,
          body: envelope(
            500,
            'Internal Server Error',
            "Cannot read properties of undefined (reading 'onWhatsApp')",
          ),
        }),
      ).toMatchObject({
        kind: 'transient',
        httpStatus: 500,
        instanceDisconnected: true,
        reason: 'Evolution instance has never been connected to WhatsApp',
      });
    });

    it.each([500, 502, 503, 504])(
      'When Evolution answers an unexplained %i, then the outcome is ambiguous',
      (status) => {
        expect(
          classifySendResponse({
            status,
            body: envelope(status, 'Internal Server Error', 'Internal Server Error'),
          }),
        ).toMatchObject({ kind: 'ambiguous', httpStatus: status });
      },
    );
  });

  describe('rate limiting and other statuses', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');

    it('When Evolution answers 429 with Retry-After seconds, then the outcome is transient with retryAfterMs', () => {
      expect(
        classifySendResponse({ status: 429, body: '', headers: { 'retry-after': '7' }, nowMs: now }),
      ).toEqual({
        kind: 'transient',
        httpStatus: 429,
        reason: 'Evolution is rate limiting requests',
        retryAfterMs: 7000,
      });
    });

    it('When Retry-After is an HTTP-date under any header casing, then it is converted', () => {
      expect(
        classifySendResponse({
          status: 429,
          body: '',
          headers: { 'Retry-After': 'Wed, 01 Jan 2025 00:01:00 GMT' },
          nowMs: now,
        }),
      ).toMatchObject({ kind: 'transient', retryAfterMs: 60_000 });
    });

    it('When 429 comes without Retry-After, then the outcome is transient without retryAfterMs', () => {
      const outcome = classifySendResponse({ status: 429, body: '' });
      expect(outcome.kind).toBe('transient');
      expect(outcome).not.toHaveProperty('retryAfterMs');
    });

    it('When Evolution answers 408, then the request was not acted on and the outcome is transient', () => {
      expect(classifySendResponse({ status: 408, body: '' }).kind).toBe('transient');
    });

    it.each([405, 409, 413, 422])(
      'When Evolution answers another 4xx (%i), then the failure is permanent',
      (status) => {
        expect(classifySendResponse({ status, body: envelope(status, 'x', ['nope']) })).toMatchObject({
          kind: 'permanent',
          httpStatus: status,
        });
      },
    );

    it('When a redirect arrives, then it is a permanent configuration problem', () => {
      expect(classifySendResponse({ status: 301, body: '' })).toMatchObject({
        kind: 'permanent',
        configuration: true,
      });
    });
  });
});
