/** Evolution's connection states, plus `unknown` before anything has been learnt. */
export const CONNECTION_STATES = ['open', 'connecting', 'close', 'unknown'] as const;

export type ConnectionState = (typeof CONNECTION_STATES)[number];

export function isConnectionState(value: unknown): value is ConnectionState {
  return typeof value === 'string' && (CONNECTION_STATES as readonly string[]).includes(value);
}
