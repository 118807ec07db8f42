/** Safe reads of untrusted webhook JSON: Evolution's shapes vary between versions and events. */
export function objectAt(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === 'object' && current !== null && !Array.isArray(current)
    ? (current as Record<string, unknown>)
    : undefined;
}

export function stringAt(value: unknown, ...path: string[]): string | undefined {
  const parent = path.length > 1 ? objectAt(value, ...path.slice(0, -1)) : objectAt(value);
  const leaf = parent?.[path[path.length - 1] ?? ''];
  return typeof leaf === 'string' && leaf.length > 0 ? leaf : undefined;
}

export function booleanAt(value: unknown, ...path: string[]): boolean | undefined {
  const parent = path.length > 1 ? objectAt(value, ...path.slice(0, -1)) : objectAt(value);
  const leaf = parent?.[path[path.length - 1] ?? ''];
  return typeof leaf === 'boolean' ? leaf : undefined;
}

/** `messages.update` may carry one update or several. */
export function asList(data: unknown): unknown[] {
  return Array.isArray(data) ? data : [data];
}

/** Event names arrive dotted (`messages.update`) or, when so configured, UPPER_SNAKE. */
export function normalizeEventName(event: string): string {
  return event.trim().toLowerCase().replace(/_/g, '.');
}

/** The text of a WhatsApp message object, for the kinds that carry text. */
export function messageText(message: unknown): string | undefined {
  return (
    stringAt(message, 'conversation') ??
    stringAt(message, 'extendedTextMessage', 'text') ??
    stringAt(message, 'imageMessage', 'caption') ??
    stringAt(message, 'videoMessage', 'caption') ??
    stringAt(message, 'documentMessage', 'caption')
  );
}
