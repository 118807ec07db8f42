import { Client } from 'pg';

/** Postgres's "database does not exist" (SQLSTATE 3D000). */
const NO_SUCH_DATABASE = '3D000';
/** Another process created it between our check and our CREATE (SQLSTATE 42P04). */
const DATABASE_EXISTS = '42P04';

function withDatabase(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function connect(connectionString: string, connectTimeoutMs: number): Promise<Client> {
  const client = new Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Creates the database named in the URL when it does not exist yet, so a newcomer's first
 * `npm start` works on a bare Postgres. It first connects to that database itself (all a role
 * needs when the database exists), and only when it is missing connects to the server's
 * `postgres` database to create it. Connection and permission errors are thrown as Postgres
 * reports them, for the caller to explain.
 *
 * @returns true when the database was created now.
 */
export async function ensureDatabaseExists(databaseUrl: string, connectTimeoutMs = 3000): Promise<boolean> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  try {
    await (await connect(databaseUrl, connectTimeoutMs)).end();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== NO_SUCH_DATABASE) throw error;
  }
  const maintenance = await connect(withDatabase(databaseUrl, 'postgres'), connectTimeoutMs);
  try {
    await maintenance.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === DATABASE_EXISTS) return false;
    throw error;
  } finally {
    await maintenance.end();
  }
}
