import http from 'node:http';
import { Worker } from 'bullmq';
import { Pool } from 'pg';
import { renderNotification, type NotificationType } from '@telenexus/core';
import { bullPrefix, createWorkerConnection, QUEUE_NAMES } from '@telenexus/queue';
import { serveCountedWorker } from './counted-worker';

/*
 * The minimal dispatcher: the least work a real send can be. A BullMQ worker (same connection
 * options and concurrency as the dispatcher) whose processor claims the row with one
 * `UPDATE … RETURNING` (joined with its instance for the Evolution name), renders the same text,
 * POSTs it to the Evolution sandbox over a keep-alive agent, and marks the row sent: 2 statements
 * and 1 HTTP call, no pacing, timeline, webhooks, metrics, logging or retries. Reports completed
 * jobs on the IPC channel every 100 ms, like the no-op worker.
 */

interface ClaimedRow {
  readonly evolution_instance_name: string;
  readonly phone_number: string;
  readonly customer_name: string;
  readonly amount: string;
  readonly currency: string;
  readonly invoice_id: string;
  readonly due_date: string | null;
  readonly message_type: NotificationType;
}

const CLAIM = `
  UPDATE messages m SET status = 'sending', attempts = m.attempts + 1, updated_at = now()
  FROM instances i
  WHERE m.id = $1 AND m.status = 'queued' AND i.id = m.instance_id
  RETURNING i.evolution_instance_name, m.phone_number, m.customer_name, m.amount::text AS amount,
            m.currency, m.invoice_id, m.due_date::text AS due_date, m.message_type`;

const MARK_SENT = `
  UPDATE messages SET status = 'sent', provider_message_id = $2, body = $3, sent_at = now(), updated_at = now()
  WHERE id = $1 AND status = 'sending'`;

function post(agent: http.Agent, base: URL, apiKey: string, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          apikey: apiKey,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 0) >= 300) reject(new Error(`HTTP ${response.statusCode}: ${text}`));
          else resolve(text);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function main(): void {
  const environment = process.env;
  const pool = new Pool({
    connectionString: environment.DATABASE_URL,
    max: Number(environment.DATABASE_POOL_SIZE ?? 10),
  });
  const evolution = new URL(environment.EVOLUTION_API_URL ?? 'http://127.0.0.1:8081');
  const apiKey = environment.EVOLUTION_API_KEY ?? '';
  const agent = new http.Agent({ keepAlive: true });
  const connection = createWorkerConnection(environment.REDIS_URL ?? 'redis://127.0.0.1:6379');

  const send = async (messageId: string): Promise<void> => {
    const { rows } = await pool.query<ClaimedRow>(CLAIM, [messageId]);
    const row = rows[0];
    if (!row) return;
    const text = renderNotification({
      messageType: row.message_type,
      customerName: row.customer_name,
      amount: row.amount,
      currency: row.currency,
      invoiceId: row.invoice_id,
      dueDate: row.due_date,
    });
    const answer = await post(
      agent,
      evolution,
      apiKey,
      `/message/sendText/${encodeURIComponent(row.evolution_instance_name)}`,
      JSON.stringify({ number: row.phone_number, text, linkPreview: false }),
    );
    const providerId = (JSON.parse(answer) as { key?: { id?: string } }).key?.id ?? '';
    await pool.query(MARK_SENT, [messageId, providerId, text]);
  };

  const worker = new Worker<{ messageId: string }>(
    QUEUE_NAMES.notifications,
    (job) => send(job.data.messageId),
    {
      connection,
      prefix: bullPrefix(environment.QUEUE_PREFIX ?? 'bare'),
      concurrency: Number(environment.CONCURRENCY ?? 10),
    },
  );
  serveCountedWorker(worker, () => Promise.all([connection.quit(), pool.end()]));
}

main();
