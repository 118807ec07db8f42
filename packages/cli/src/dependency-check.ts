import { ensureDatabaseExists } from '@telenexus/db';
import { Redis } from 'ioredis';

/** Postgres or Redis could not be reached; the message says where we tried and how to fix it. */
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

/** Connects to Postgres, creating the configured database if it is missing. */
export async function checkPostgres(databaseUrl: string): Promise<{ created: boolean }> {
  try {
    return { created: await ensureDatabaseExists(databaseUrl) };
  } catch (error) {
    throw new DependencyUnreachableError(
      [
        `Cannot reach Postgres at ${describe(databaseUrl)} (DATABASE_URL): ${reason(error)}.`,
        'Start Postgres, for example:',
        '  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (Debian/Ubuntu)',
        '  brew services start postgresql                                             (macOS)',
        '  docker compose up -d postgres                                              (Docker)',
        'or set DATABASE_URL to a Postgres you can reach.',
      ].join('\n'),
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
        '  docker compose up -d redis                                   (Docker)',
        'or set REDIS_URL to a Redis you can reach.',
      ].join('\n'),
    );
  } finally {
    redis.disconnect();
  }
}
