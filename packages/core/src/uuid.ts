const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-sent id can be one of ours: anything else is answered as not found, without a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
