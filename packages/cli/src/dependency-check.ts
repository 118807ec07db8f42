import { ensureDatabaseExists } from '@telenexus/db';
import { Redis } from 'ioredis';

/** Postgres or Redis could not be reached or refused us; the message says why and how to fix it. */
export class DependencyUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyUnreachableError';
  }
}

function describe(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? '6379' : '5432')}`;
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const candidate = (error as { message?: unknown }).message;
  const message = typeof candidate === 'string' ? candidate : String(error);
  const text = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return text.replace(/\.+$/, '');
}

/**
 * How `npm start` on this host reaches the Postgres and Redis of `docker compose up -d postgres redis`
 * (docker-compose.yml publishes them on these loopback ports, beside any local ones).
 */
export const COMPOSE_DATABASE_URL = 'postgres://telenexus:telenexus@127.0.0.1:55432/telenexus';
export const COMPOSE_REDIS_URL = 'redis://127.0.0.1:56379';

/** Why Postgres would not let us in, as far as its answer tells. */
export type PostgresRefusal = 'unreachable' | 'password' | 'role' | 'host' | 'createdb' | 'other';

/** Reads a connection or CREATE DATABASE failure the way Postgres and node-postgres report it. */
export function classifyPostgresFailure(error: unknown): PostgresRefusal {
  const code = (error as { code?: unknown }).code;
  const candidate = (error as { message?: unknown }).message;
  const message = typeof candidate === 'string' ? candidate : '';
  if (code === '28P01' || /password authentication failed|client password must be a string/i.test(message))
    return 'password';
  if (code === '28000' && /role .* does not exist/i.test(message)) return 'role';
  if (code === '28000' || /pg_hba\.conf/i.test(message)) return 'host';
  if (code === '42501') return 'createdb';
  if (
    (typeof code === 'string' &&
      /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET)$/.test(code)) ||
    /timeout|terminated unexpectedly/i.test(message)
  )
    return 'unreachable';
  return 'other';
}

/** What to tell a newcomer for each refusal: what happened, then how to set DATABASE_URL. */
function postgresAdvice(refusal: PostgresRefusal, databaseUrl: string, error: unknown): string[] {
  const url = new URL(databaseUrl);
  const where = describe(databaseUrl);
  const role = decodeURIComponent(url.username) || 'the current OS user';
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const example = `postgres://USER:PASSWORD@${where}/${database}`;
  const setIt = `Set DATABASE_URL in .env (or export it), for example:\n  DATABASE_URL=${example}`;
  switch (refusal) {
    case 'password':
      return [
        `Postgres at ${where} wants a password for role "${role}", and DATABASE_URL has ${url.password ? 'a wrong one' : 'none'}.`,
        setIt,
      ];
    case 'role':
      return [
        `Postgres at ${where} has no role "${role}" (the user in DATABASE_URL).`,
        'Use a role that exists, or create one with the right to create databases, as a Postgres superuser:',
        `  sudo -u postgres createuser --createdb ${role === 'the current OS user' ? '"$USER"' : role}   (Debian/Ubuntu)`,
        setIt,
      ];
    case 'host':
      return [
        `Postgres at ${where} does not accept role "${role}" from this host (its pg_hba.conf): ${reason(error)}.`,
        'Allow it there, or use a role and address it accepts.',
        setIt,
      ];
    case 'createdb':
      return [
        `Database "${database}" does not exist yet, and role "${role}" may not create databases (CREATEDB).`,
        'Create it once as a Postgres superuser:',
        `  sudo -u postgres createdb --owner ${role} ${database}`,
        `or let the role create it: sudo -u postgres psql -c 'ALTER ROLE "${role}" CREATEDB'`,
        `or ${setIt.charAt(0).toLowerCase()}${setIt.slice(1)}`,
      ];
    case 'unreachable':
      return [
        `Cannot reach Postgres at ${where} (DATABASE_URL): ${reason(error)}.`,
        'Start Postgres, for example:',
        '  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (Debian/Ubuntu)',
        '  brew services start postgresql                                             (macOS)',
        `  docker compose up -d postgres                                              (Docker; then DATABASE_URL=${COMPOSE_DATABASE_URL})`,
        'or set DATABASE_URL to a Postgres you can reach.',
      ];
    case 'other':
      return [`Postgres at ${where} (DATABASE_URL) refused us: ${reason(error)}.`, setIt];
  }
}

/** Connects to Postgres, creating the configured database if it is missing. */
export async function checkPostgres(databaseUrl: string): Promise<{ created: boolean }> {
  try {
    return { created: await ensureDatabaseExists(databaseUrl) };
  } catch (error) {
    throw new DependencyUnreachableError(
      postgresAdvice(classifyPostgresFailure(error), databaseUrl, error).join('\n'),
    );
  }
}

/** Pings Redis once, without retrying. */
export async function checkRedis(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The socket error (ECONNREFUSED…) says more than the "Connection is closed" connect() rejects with.
  let socketError: unknown;
  redis.on('error', (error) => (socketError ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new DependencyUnreachableError(
      [
        `Cannot reach Redis at ${describe(redisUrl)} (REDIS_URL): ${reason(socketError ?? error)}.`,
        'Start Redis, for example:',
        '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379   (any machine with redis-server)',
        '  brew services start redis                                    (macOS)',
        `  docker compose up -d redis                                   (Docker; then REDIS_URL=${COMPOSE_REDIS_URL})`,
        'or set REDIS_URL to a Redis you can reach.',
      ].join('\n'),
    );
  } finally {
    redis.disconnect();
  }
}
