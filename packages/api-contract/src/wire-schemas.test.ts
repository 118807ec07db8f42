import { WIRE_SCHEMAS } from './index';

/** Every object schema inside a schema, with where it is. */
function* objectSchemas(
  schema: unknown,
  at: string,
): Generator<{ schema: Record<string, unknown>; at: string }> {
  if (Array.isArray(schema)) {
    for (const [index, item] of schema.entries()) yield* objectSchemas(item, `${at}/${index}`);
    return;
  }
  if (schema === null || typeof schema !== 'object') return;
  const record = schema as Record<string, unknown>;
  if (record.type === 'object' || record.properties !== undefined) yield { schema: record, at };
  for (const [key, inner] of Object.entries(record)) {
    // Examples and defaults are values, not schemas.
    if (key !== 'examples' && key !== 'default' && key !== 'const' && key !== 'enum')
      yield* objectSchemas(inner, `${at}/${key}`);
  }
}

describe('The wire schemas', () => {
  it('When any object schema is read, then it admits no member it does not list (or is a map with typed values)', () => {
    const open = Object.entries(WIRE_SCHEMAS).flatMap(([name, schema]) =>
      [...objectSchemas(schema, name)]
        .filter(({ schema: object }) => object.additionalProperties !== false)
        .filter(
          ({ schema: object }) =>
            object.properties !== undefined || typeof object.additionalProperties !== 'object',
        )
        .map(({ at }) => at),
    );
    expect(open).toEqual([]);
  });

  it('When every required member is read, then each is a listed property', () => {
    for (const [name, schema] of Object.entries(WIRE_SCHEMAS)) {
      for (const { schema: object, at } of objectSchemas(schema, name)) {
        const properties = Object.keys((object.properties as Record<string, unknown> | undefined) ?? {});
        for (const required of (object.required as string[] | undefined) ?? []) {
          expect({ at, required, listed: properties.includes(required) }).toEqual({
            at,
            required,
            listed: true,
          });
        }
      }
    }
  });
});
