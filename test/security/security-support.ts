import { buildNotification } from '../support/notification-factory';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { HostResolver, Permission } from '@telenexus/core';
import { isProblemCode, PROBLEM_TYPES } from '../../services/ingress/src/http/problem-types';
import type { Tenant } from '../support/test-context';

/** Every permission a key can hold: the attacker and the victim in these tests are all-powerful. */
export const ALL_PERMISSIONS: readonly Permission[] = [
  'admin',
  'send_message',
  'receive_message',
  'send_text',
];

/** The guide's example body, valid for an instance in Kenya. */
export function guideBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return buildNotification({ due_date: '2099-02-15', ...overrides });
}

export const as = (tenant: Pick<Tenant, 'apiKey'>) => ({ Authorization: `Bearer ${tenant.apiKey}` });

/** Lines of a stack trace, or source paths: what an error body must never carry. */
const STACK_TRACE = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\.[cm]?[jt]s:\d+/;

/** True when a text (an answer body, say) looks like it holds a stack trace or a source path. */
export function looksLikeStackTrace(text: string): boolean {
  return STACK_TRACE.test(text);
}

/**
 * The README's error contract: an RFC 9457 problem, a JSON object with `type` (the absolute URI of
 * its code's description), `title` and `status` as the code table has them, a string `detail`, a
 * snake_case `code` (and, for field problems, an `errors` array of `{field, message}`), never a
 * stack trace.
 *
 * @param status the HTTP status the body came with, which `status` must repeat.
 * @returns what is wrong, or undefined when the body keeps the contract.
 */
export function problemBodyViolation(body: unknown, rawText: string, status: number): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not a JSON object';
  const problem = body as Record<string, unknown>;
  const { detail, errors, code } = problem;
  if (typeof detail !== 'string' || detail.length === 0) return 'detail is not a non-empty string';
  if (typeof code !== 'string' || !/^[a-z]+(_[a-z]+)*$/.test(code)) return 'code is not a snake_case string';
  if (!isProblemCode(code)) return `code ${code} is not in the code table`;
  if (problem.status !== status || PROBLEM_TYPES[code].status !== status)
    return `status is not the HTTP status ${status} of code ${code}`;
  if (problem.title !== PROBLEM_TYPES[code].title) return `title is not the title of code ${code}`;
  if (
    typeof problem.type !== 'string' ||
    !/^https?:\/\/[^/]+(\/.*)?\/api\/problems\/[a-z_]+$/.test(problem.type)
  )
    return 'type is not an absolute URI of /api/problems/<code>';
  if (!problem.type.endsWith(`/api/problems/${code}`)) return 'type does not name the code';
  if (errors !== undefined) {
    if (!Array.isArray(errors)) return 'errors is not an array';
    for (const error of errors as unknown[]) {
      const { field, message } = (error ?? {}) as { field?: unknown; message?: unknown };
      if (typeof field !== 'string' || typeof message !== 'string')
        return 'an errors entry is not {field, message}';
    }
  }
  if (looksLikeStackTrace(rawText)) return 'body holds a stack trace or source path';
  return undefined;
}

/** A DNS stand-in: names resolve to what the test says, anything else does not resolve. */
export function pinnedResolver(table: Readonly<Record<string, readonly string[]>>): HostResolver {
  return (hostname) => {
    const addresses = table[hostname.toLowerCase()];
    return addresses ? Promise.resolve(addresses) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
  };
}

/** The app on a real loopback port, for raw sockets and for many concurrent requests. */
export interface ListeningApp {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<ListeningApp> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
