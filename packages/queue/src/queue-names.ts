/**
 * Every queue, by name. Names are part of the stored data in Redis: never rename one, add a new one.
 */
export const QUEUE_NAMES = {
  /** One job per outgoing message: render, pace, claim, send. */
  notifications: 'notifications',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/**
 * BullMQ key prefix for a configured namespace. The braces make it a Redis Cluster hash tag, so
 * every key of every queue lands in one slot and BullMQ's multi-key scripts work on a cluster.
 */
export function bullPrefix(namespace: string): string {
  return `{${namespace}}`;
}
