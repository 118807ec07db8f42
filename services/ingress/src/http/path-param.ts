import type { Request } from 'express';

/** A named path parameter as text (empty when absent), whatever Express's typing of the route. */
export function pathParam(request: Request, name: string): string {
  const value: unknown = (request.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
