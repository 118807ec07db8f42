import type { WireSchemaName } from '@telenexus/api-contract';

/*
 * The few OpenAPI 3.1 objects the document is built from, typed just enough to catch a misspelt
 * member. Whether the whole document is valid OpenAPI is a test's job (against the official schema).
 */

/** A JSON Schema, as the OpenAPI document holds it. */
export type SchemaObject = object;

export interface ExampleObject {
  readonly summary?: string;
  readonly description?: string;
  readonly value: unknown;
  readonly 'x-source'?: string;
}

export interface MediaTypeObject {
  readonly schema: SchemaObject;
  readonly examples?: Readonly<Record<string, ExampleObject>>;
}

export interface HeaderObject {
  readonly description: string;
  readonly required?: boolean;
  readonly schema: SchemaObject;
}

export interface ResponseObject {
  readonly description: string;
  readonly headers?: Readonly<Record<string, HeaderObject>>;
  readonly content?: Readonly<Record<string, MediaTypeObject>>;
}

export interface ParameterObject {
  readonly name: string;
  readonly in: 'query' | 'path' | 'header';
  readonly description?: string;
  readonly required?: boolean;
  readonly schema: SchemaObject;
}

export interface RequestBodyObject {
  readonly description?: string;
  readonly required: boolean;
  readonly content: Readonly<Record<string, MediaTypeObject>>;
}

export interface OperationObject {
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly parameters?: readonly ParameterObject[];
  readonly requestBody?: RequestBodyObject;
  readonly responses: Readonly<Record<string, ResponseObject>>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type PathItemObject = Partial<Readonly<Record<HttpMethod, OperationObject>>>;

/** The media type of every successful JSON answer and request body. */
export const JSON_MEDIA_TYPE = 'application/json';

/** A reference to a wire shape of the contract package, published under `#/components/schemas`. */
export function schemaRef(name: WireSchemaName | (string & {})): SchemaObject {
  return { $ref: `#/components/schemas/${name}` };
}

/** A JSON answer whose body is one of the contract's wire shapes. */
export function jsonResponse(
  description: string,
  schema: WireSchemaName,
  options: {
    readonly examples?: Readonly<Record<string, ExampleObject>>;
    readonly headers?: Readonly<Record<string, HeaderObject>>;
  } = {},
): ResponseObject {
  return {
    description,
    ...(options.headers ? { headers: options.headers } : {}),
    content: {
      [JSON_MEDIA_TYPE]: {
        schema: schemaRef(schema),
        ...(options.examples ? { examples: options.examples } : {}),
      },
    },
  };
}

/** A JSON request body of one of the contract's wire shapes. */
export function jsonRequestBody(
  schema: WireSchemaName,
  options: { readonly required?: boolean; readonly examples?: Readonly<Record<string, ExampleObject>> } = {},
): RequestBodyObject {
  return {
    required: options.required ?? true,
    content: {
      [JSON_MEDIA_TYPE]: {
        schema: schemaRef(schema),
        ...(options.examples ? { examples: options.examples } : {}),
      },
    },
  };
}

/** `{id}` in the path: a UUID of the caller's account. */
export function idParameter(what: string): ParameterObject {
  return {
    name: 'id',
    in: 'path',
    required: true,
    description: `The ${what}'s id. An id of another account answers 404, exactly like one that does not exist.`,
    schema: { type: 'string' },
  };
}

/** The query parameters of a list, from the contract's schema of its query. */
export function queryParameters(query: {
  readonly properties: Readonly<Record<string, object>>;
  readonly required?: readonly string[];
}): ParameterObject[] {
  return Object.entries(query.properties).map(([name, schema]) => {
    const { description, ...rest } = schema as { description?: string };
    return {
      name,
      in: 'query',
      ...(description ? { description } : {}),
      ...(query.required?.includes(name) ? { required: true } : {}),
      schema: rest,
    };
  });
}
