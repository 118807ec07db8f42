import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { Pool } from 'pg';

/*
 * The raw baseline for ingress: a bare Express 5 app that does the least a send endpoint can do —
 * parse the JSON, one INSERT of the row (into `bare_messages`, a copy of `messages` with the same
 * indexes), one BullMQ add with a job id — and nothing else: no auth, validation, dedupe, timeline,
 * metrics or logging. Run as a child process by the benchmark with PORT, DATABASE_URL, REDIS_URL,
 * QUEUE_PREFIX (its own) and DATABASE_POOL_SIZE (the same as ingress's).
 */

interface Item {
  readonly phone_number: string;
  readonly customer_name: string;
  readonly amount: number;
  readonly currency: string;
  readonly invoice_id: string;
  readonly due_date: string | null;
  readonly message_type: string;
}

const COLUMNS = `id, account_id, instance_id, direction, phone_number, customer_name, amount, currency, invoice_id,
                 due_date, message_type, status`;

function main(): void {
  const environment = process.env;
  const pool = new Pool({
    connectionString: environment.DATABASE_URL,
    max: Number(environment.DATABASE_POOL_SIZE ?? 10),
  });
  const redis = new Redis(environment.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const queue = new Queue('notifications', {
    connection: redis,
    prefix: `{${environment.QUEUE_PREFIX ?? 'bare'}}`,
  });
  const accountId = environment.BARE_ACCOUNT_ID;
  const instanceId = environment.BARE_INSTANCE_ID;

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });

  app.post('/send', express.json({ limit: '64kb' }), async (request, response) => {
    const item = request.body as Item;
    const id = randomUUID();
    await pool.query(
      `INSERT INTO bare_messages (${COLUMNS}) VALUES ($1, $2, $3, 'outgoing', $4, $5, $6, $7, $8, $9, $10, 'queued')`,
      [
        id,
        accountId,
        instanceId,
        item.phone_number,
        item.customer_name,
        item.amount,
        item.currency,
        item.invoice_id,
        item.due_date,
        item.message_type,
      ],
    );
    await queue.add('send', { messageId: id }, { jobId: id });
    response.json({ success: true, message_id: id, invoice_id: item.invoice_id });
  });

  app.post('/batch', express.json({ limit: '1mb' }), async (request, response) => {
    const items = (request.body as { notifications: Item[] }).notifications;
    const rows = items.map((item) => ({ ...item, id: randomUUID() }));
    await pool.query(
      `INSERT INTO bare_messages (${COLUMNS})
       SELECT id, $2, $3, 'outgoing', phone_number, customer_name, amount, currency, invoice_id, due_date,
              message_type, 'queued'
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, phone_number text, customer_name text, amount numeric,
              currency text, invoice_id text, due_date date, message_type text)`,
      [JSON.stringify(rows), accountId, instanceId],
    );
    await queue.addBulk(
      rows.map((row) => ({ name: 'send', data: { messageId: row.id }, opts: { jobId: row.id } })),
    );
    response.json({
      success: true,
      accepted: rows.length,
      rejected: 0,
      results: rows.map((row, index) => ({
        index,
        success: true,
        message_id: row.id,
        invoice_id: row.invoice_id,
      })),
    });
  });

  const server = app.listen(Number(environment.PORT ?? 0), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close(() => {
      void Promise.all([queue.close(), pool.end()])
        .then(() => redis.quit())
        .finally(() => process.exit(0));
    });
  });
}

main();
