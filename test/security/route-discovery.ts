import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { INVALID_KEY_DETAIL } from '../../services/ingress/src/auth/api-key-authenticator';

interface RouteInfo {
  readonly path: string | RegExp;
  readonly methods: string[] | undefined;
  readonly router: WalkableRouter | undefined;
}

interface WalkableRouter {
  listRoutes?(): RouteInfo[];
  readonly stack?: readonly {
    readonly route?: unknown;
    readonly handle?: unknown;
    readonly rawPath?: unknown;
  }[];
}

function routerOf(app: Express): WalkableRouter {
  return (app as unknown as { router: WalkableRouter }).router;
}

/**
 * Every route the app will dispatch, as `METHOD /path/:param`, found by walking its router with
 * `router.listRoutes()` (router 2.3, Express 5's router) into every mounted router.
 */
export function discoveredRoutes(app: Express): string[] {
  return walk(routerOf(app), '');
}

/**
 * The mount paths of handlers mounted on the app that are not routers (a sub-app such as
 * bull-board's): the walk cannot see into them, so a test lists them to notice a new one.
 */
export function opaqueMountPaths(app: Express): unknown[] {
  const stack = routerOf(app).stack ?? [];
  const opaque = stack
    .filter((layer) => !layer.route && !Array.isArray((layer.handle as { stack?: unknown }).stack))
    .map((layer) => layer.rawPath)
    .filter((path) => path !== '/');
  return [...new Set(opaque)];
}

function walk(router: WalkableRouter, prefix: string): string[] {
  if (typeof router.listRoutes !== 'function') {
    throw new Error('The router has no listRoutes(): walk the stack of this router version instead');
  }
  return router.listRoutes().flatMap((entry) => {
    if (typeof entry.path !== 'string') throw new Error(`A route with a RegExp path: ${String(entry.path)}`);
    const path = `${prefix}${entry.path === '/' ? '' : entry.path}`;
    if (entry.router) return walk(entry.router, path);
    // HEAD is answered by GET routes automatically.
    return (entry.methods ?? []).filter((method) => method !== 'HEAD').map((method) => `${method} ${path}`);
  });
}

/**
 * The routes that want an API key: each discovered route is called without one (ids filled with
 * random UUIDs), and those answering 401 "Invalid or missing API key" are kept. Behavioural, so a
 * route mounted behind authentication anywhere is found, whatever file it lives in.
 */
export async function apiKeyRoutes(app: Express): Promise<string[]> {
  const found: string[] = [];
  for (const route of discoveredRoutes(app)) {
    const [method, path] = route.split(' ') as [string, string];
    const url = path.replace(/:[A-Za-z_]+/g, () => randomUUID());
    const response = await request(app)[method.toLowerCase() as 'get'](url);
    if (response.status === 401 && response.body.detail === INVALID_KEY_DETAIL) found.push(route);
  }
  return found;
}
