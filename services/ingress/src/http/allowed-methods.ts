import type { Router } from 'express';
import { match } from 'path-to-regexp';

/** One entry of router 2.3's `listRoutes()` (Express 5's router): a route, or a mounted router. */
interface ListedRoute {
  readonly path: string | RegExp;
  /** Uppercase, HEAD included for GET, `*` for `.all()`; undefined for a mounted router. */
  readonly methods: readonly string[] | undefined;
  readonly router: unknown;
}

interface ListingRouter {
  listRoutes(): ListedRoute[];
  readonly caseSensitive?: boolean;
  readonly strict?: boolean;
}

function isListingRouter(value: unknown): value is ListingRouter {
  return (
    (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
    typeof (value as { listRoutes?: unknown }).listRoutes === 'function'
  );
}

type Matcher = (path: string) => string | undefined;

const matchers = new Map<string, Matcher>();

/**
 * Matches a path the way the router does (same library, same options): routes whole, mounts as a
 * prefix ending at a `/`; a route's trailing slash is optional unless the router is strict.
 *
 * @returns the part of the path matched, or undefined.
 */
function matcherFor(pattern: string | RegExp, end: boolean, router: ListingRouter): Matcher {
  if (pattern instanceof RegExp) return (path) => pattern.exec(path)?.[0];
  // Mounts are never strict; `/` mounts everything (the router's own shortcut).
  const strict = end && router.strict === true;
  if (!end && pattern === '/') return () => '';
  const key = `${end}|${strict}|${router.caseSensitive === true}|${pattern}`;
  let matcher = matchers.get(key);
  if (!matcher) {
    const matches = match(strict || pattern === '/' ? pattern : pattern.replace(/\/+$/, ''), {
      sensitive: router.caseSensitive === true,
      end,
      trailing: !strict,
      decode: false,
    });
    matcher = (path) => {
      const result = matches(path);
      return result ? result.path : undefined;
    };
    matchers.set(key, matcher);
  }
  return matcher;
}

/** The rest of the path a router mounted at `pattern` sees, or undefined when it is not mounted there. */
function mountedRest(pattern: string | RegExp, path: string, router: ListingRouter): string | undefined {
  const matched = matcherFor(pattern, false, router)(path);
  if (matched === undefined || !path.startsWith(matched)) return undefined;
  const boundary = path[matched.length];
  if (boundary !== undefined && boundary !== '/') return undefined;
  const rest = path.slice(matched.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

function collect(router: ListingRouter, path: string, found: Set<string>): void {
  for (const entry of router.listRoutes()) {
    if (entry.methods === undefined) {
      const rest = mountedRest(entry.path, path, router);
      if (rest !== undefined && isListingRouter(entry.router)) collect(entry.router, rest, found);
    } else if (matcherFor(entry.path, true, router)(path) !== undefined) {
      for (const method of entry.methods) found.add(method);
    }
  }
}

/**
 * The methods a router's routes answer at a path, read from the routers themselves (nested ones
 * included), sorted as Express sorts its own `Allow`: HEAD wherever GET is, OPTIONS wherever any
 * route is (Express answers it), `*` where a route takes every method. Empty: no route has the path.
 * Handlers mounted with `use` that are not routers (bull-board's app) are not seen.
 */
export function allowedMethods(router: Router, path: string): readonly string[] {
  if (!isListingRouter(router)) return [];
  const found = new Set<string>();
  collect(router, path, found);
  if (found.size > 0) found.add('OPTIONS');
  return [...found].sort();
}

/** Whether a method is among {@link allowedMethods}. */
export function allowsMethod(allowed: readonly string[], method: string): boolean {
  return allowed.includes(method) || allowed.includes('*');
}
