import { MAX_METADATA_BYTES, metadataProblem } from './message-metadata';

describe('metadataProblem', () => {
  it('When metadata is flat, with string, number, boolean and null values, then it is taken', () => {
    expect(
      metadataProblem({ customer_ref: 'C-1042', 'plan.id': 7, paid: false, note: null }),
    ).toBeUndefined();
  });

  it.each([
    ['an array', ['a'], 'must be a JSON object of keys and values'],
    ['a string', 'C-1042', 'must be a JSON object of keys and values'],
    [
      'a nested object',
      { customer: { ref: 'C-1' } },
      'customer must be a string, number, boolean or null (metadata is flat)',
    ],
    ['an array value', { refs: ['a'] }, 'refs must be a string, number, boolean or null (metadata is flat)'],
    [
      'a key with a space',
      { 'customer ref': 'x' },
      'key "customer ref" must be 1–40 letters, digits, underscores, dots or dashes',
    ],
    [
      'a __proto__ key',
      JSON.parse('{"__proto__": "x"}') as object,
      'key "__proto__" must be 1–40 letters, digits, underscores, dots or dashes',
    ],
    [
      'a line break in a value',
      { note: 'a\nb' },
      'note must not contain control characters, line breaks or direction overrides',
    ],
    [
      '21 keys',
      Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])),
      'must have at most 20 keys (got 21)',
    ],
  ])('When metadata is %s, then it is refused, saying why', (_case, value, problem) => {
    expect(metadataProblem(value)).toBe(problem);
  });

  it('When metadata is over 1 KB as JSON (counting UTF-8 bytes), then it is refused with its size', () => {
    const value = { note: 'é'.repeat(510) }; // 1,020 bytes of text, 1,031 as JSON
    expect(metadataProblem(value)).toBe(`must be at most ${MAX_METADATA_BYTES} bytes as JSON (got 1031)`);
  });
});
