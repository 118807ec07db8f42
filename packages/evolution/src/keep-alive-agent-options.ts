import type { AgentOptions } from 'node:http';

/**
 * axios enables TCP keep-alive with a 60 s delay on every request's socket, and Node's agent enables
 * it again with its own `keepAliveMsecs` (1 s by default) whenever the socket goes back to the pool.
 * Node makes the system calls only when the setting changes, so two different delays cost two
 * `setsockopt` calls on every request (≈ 3 % of the dispatcher's CPU at full speed); the same delay
 * costs them once per socket.
 */
const AXIOS_SOCKET_KEEP_ALIVE_MS = 60_000;

/**
 * Options for the keep-alive agents axios posts through: pooled sockets, dropped after
 * `freeSocketTimeoutMs` idle, with axios' own keep-alive delay.
 */
export function keepAliveAgentOptions(freeSocketTimeoutMs: number): AgentOptions {
  return { keepAlive: true, keepAliveMsecs: AXIOS_SOCKET_KEEP_ALIVE_MS, timeout: freeSocketTimeoutMs };
}
