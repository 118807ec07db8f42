import { PassThrough } from 'node:stream';
import { createLogger } from './create-logger';
import { withLogContext } from './log-context';
import { redact } from './redact';

describe('redact', () => {
  it('When secrets sit in fields named for them, then their values are dropped however deep', () => {
    expect(
      redact({ headers: { Authorization: 'Bearer abc', apikey: 'evo-key' }, webhook: { jwt_key: 's3cret' } }),
    ).toEqual({
      headers: { Authorization: '[redacted]', apikey: '[redacted]' },
      webhook: { jwt_key: '[redacted]' },
    });
  });

  it('When an API key or phone number appears inside free text, then it is masked', () => {
    const key = `tnx_${'a'.repeat(43)}`;
    expect(redact(`key ${key} failed for 254712345678@s.whatsapp.net`)).toBe(
      'key tnx_[redacted] failed for 254…[redacted]@s.whatsapp.net',
    );
  });

  it("When a URL or form carries a token parameter (the URL gateway's key), then its value is dropped whatever it holds", () => {
    const key = `tnx_${'b'.repeat(43)}`;
    expect(redact(`GET /api/v1/gateway/send?instance_id=x&token=${key}&to=[number]`)).toBe(
      'GET /api/v1/gateway/send?instance_id=x&token=[redacted]&to=[number]',
    );
    expect(redact('instance_id=x&TOKEN=not-a-key-at-all&text=hi')).toBe(
      'instance_id=x&TOKEN=[redacted]&text=hi',
    );
  });

  it('When an instance or endpoint is logged whole, then its webhook key, token, secret and any ciphertext are dropped', () => {
    const ciphertext = `enc:v1:k1:${'A'.repeat(60)}`;
    expect(
      redact({
        webhookJwtKey: 'jwt-key',
        evolutionToken: 'evo-token',
        secret: 'whsec_x',
        previousSecret: 'whsec_y',
        note: `stored ${ciphertext}, signed with whsec_${'b'.repeat(43)}`,
        rotated: `now whsec_ab+c/${'d'.repeat(38)}=`,
      }),
    ).toEqual({
      webhookJwtKey: '[redacted]',
      evolutionToken: '[redacted]',
      secret: '[redacted]',
      previousSecret: '[redacted]',
      note: 'stored enc:v1:k1:[redacted], signed with whsec_[redacted]',
      rotated: 'now whsec_[redacted]',
    });
  });

  it('When personal fields are logged, then their text is replaced', () => {
    expect(redact({ phone_number: '254712345678', text: 'Dear John', customer_name: 'John' })).toEqual({
      phone_number: '[redacted]',
      text: '[redacted]',
      customer_name: '[redacted]',
    });
  });

  it('When an error is logged, then its message and stack are scanned too', () => {
    const error = new Error('number 254712345678 is not on WhatsApp');
    expect(redact(error)).toMatchObject({ message: 'number 254…[redacted] is not on WhatsApp' });
  });

  it('When ids, timestamps and counts are logged, then they pass unchanged', () => {
    expect(
      redact({ messageId: '0bcb7915-2b53-4cf4-9f36-ca9ae5b76ef5', receivedAt: 1795737104740, attempts: 3 }),
    ).toEqual({
      messageId: '0bcb7915-2b53-4cf4-9f36-ca9ae5b76ef5',
      receivedAt: 1795737104740,
      attempts: 3,
    });
  });

  it('When a UUID or hex id holds a long run of digits, then it is not mistaken for a phone number', () => {
    const ids = [
      'f2320490-a6bf-40f1-8aa4-041651816d6c',
      '0bcb7915-2b53-4cf4-9f36-123456789012',
      'ab123456789012cd',
    ];
    for (const id of ids) {
      expect(redact({ messageId: id })).toEqual({ messageId: id });
      expect(redact(`message ${id} sent`)).toBe(`message ${id} sent`);
    }
  });
});

describe('createLogger', () => {
  it('When a line is written inside a context, then it is JSON with service, version, level, time and the context ids', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger({ service: 'ingress', version: '1.2.3', stream });

    withLogContext({ requestId: 'req-1', messageId: 'msg-1' }, () =>
      logger.info('accepted', { authorization: `Bearer tnx_${'b'.repeat(43)}` }),
    );

    expect(JSON.parse(lines.join(''))).toEqual({
      level: 'info',
      message: 'accepted',
      service: 'ingress',
      version: '1.2.3',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      requestId: 'req-1',
      messageId: 'msg-1',
      authorization: '[redacted]',
    });
  });
});

describe('createLogger levels', () => {
  it('When a line is below the level, then nothing is written, and lines at or above it still are', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const logger = createLogger({ service: 'ingress', version: '1.2.3', level: 'warn', stream });

    logger.info('request', { path: '/api/v1/billing/send-notification' });
    logger.debug('detail');
    logger.warn('slow', { durationMs: 900 });
    logger.error('failed');

    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      'slow',
      'failed',
    ]);
  });
});
