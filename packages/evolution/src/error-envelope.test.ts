import { parseErrorEnvelope } from './error-envelope';

describe('parseErrorEnvelope', () => {
  it('When message is a string, then the text is that string', () => {
    const envelope = parseErrorEnvelope({
      status: 500,
      error: 'Internal Server Error',
      response: { message: 'Connection Closed' },
    });
    expect(envelope).toEqual({
      status: 500,
      error: 'Internal Server Error',
      text: 'Connection Closed',
      items: [{ kind: 'text', text: 'Connection Closed' }],
    });
  });

  it('When message is an array of strings, then the texts are joined in order', () => {
    const envelope = parseErrorEnvelope({
      status: 404,
      error: 'Not Found',
      response: { message: ['a', 'b'] },
    });
    expect(envelope.text).toBe('a; b');
    expect(envelope.items).toHaveLength(2);
  });

  it('When message is a nested array (schema validation), then it is flattened', () => {
    const envelope = parseErrorEnvelope({
      status: 400,
      error: 'Bad Request',
      response: { message: [['instance requires property "number"', 'instance requires property "text"']] },
    });
    expect(envelope.items).toEqual([
      { kind: 'text', text: 'instance requires property "number"' },
      { kind: 'text', text: 'instance requires property "text"' },
    ]);
  });

  it('When message is an array of objects, then each object is kept whole and rendered as JSON', () => {
    const missing = { jid: '254700000001@s.whatsapp.net', exists: false, number: '254700000001' };
    const envelope = parseErrorEnvelope({
      status: 400,
      error: 'Bad Request',
      response: { message: [missing] },
    });
    expect(envelope.items).toEqual([{ kind: 'object', value: missing }]);
    expect(envelope.text).toBe(JSON.stringify(missing));
  });

  it('When strings and objects are mixed at several depths, then order is preserved', () => {
    const envelope = parseErrorEnvelope({ response: { message: ['x', [{ a: 1 }, ['y']], null, 3] } });
    expect(envelope.items).toEqual([
      { kind: 'text', text: 'x' },
      { kind: 'object', value: { a: 1 } },
      { kind: 'text', text: 'y' },
      { kind: 'text', text: '3' },
    ]);
  });

  it('When the body is a bare string (a proxy page), then it becomes the text', () => {
    expect(parseErrorEnvelope('  Bad Gateway ').text).toBe('Bad Gateway');
  });

  it('When the body has a top-level message instead of an envelope, then that message is used', () => {
    expect(parseErrorEnvelope({ message: 'upstream timeout' }).text).toBe('upstream timeout');
  });

  it('When the body is empty or not an object, then the text is empty', () => {
    expect(parseErrorEnvelope(undefined)).toEqual({ text: '', items: [] });
    expect(parseErrorEnvelope(null)).toEqual({ text: '', items: [] });
    expect(parseErrorEnvelope({ status: 502 })).toEqual({ status: 502, text: '', items: [] });
  });

  it('When the text is very long, then it is cut to a log-sized length', () => {
    const envelope = parseErrorEnvelope({ response: { message: 'x'.repeat(5000) } });
    expect(envelope.text.length).toBe(1000);
    expect(envelope.text.endsWith('…')).toBe(true);
  });
});
