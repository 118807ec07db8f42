import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { createIngressHarness, type IngressHarness } from '../support/ingress-harness';
import { useIngress } from '../support/use-ingress';
import { ALL_PERMISSIONS, guideBody, listen, type ListeningApp } from './security-support';

/**
 * Idempotency under concurrent replays, as properties: however many copies of a request race, and
 * however they interleave, one message is stored and every answer is either that message or "still
 * in flight". FC_SEED pins the generator; FC_RUNS caps the runs (default 25 here: each run is a
 * burst of requests).
 */
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const runs = (count: number) => ({
  numRuns: Math.min(count, Number(process.env.FC_RUNS ?? count)),
  ...(SEED === undefined ? {} : { seed: SEED }),
});

/** Its harness has natural dedupe on (24 h, as in production), for requests without a key. */
const context = useIngress({ tenant: { permissions: ALL_PERMISSIONS } });
/** Natural dedupe off: the header alone must hold the line. */
let keyed: IngressHarness;
let keyedServer: ListeningApp;
let dedupedServer: ListeningApp;

beforeAll(async () => {
  keyed = createIngressHarness(context.db, { dedupeWindowMs: 0 });
  keyedServer = await listen(keyed.app);
  dedupedServer = await listen(context.ingress.app);
});

afterAll(async () => {
  await keyedServer.close();
  await dedupedServer.close();
  await keyed.close();
});

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly replayed: boolean;
  readonly retryAfter: string | undefined;
}

async function send(server: ListeningApp, path: string, body: unknown, key?: string): Promise<Answer> {
  const call = request(server.url).post(path).set('Authorization', `Bearer ${context.tenant.apiKey}`);
  const response = await (key === undefined ? call : call.set('Idempotency-Key', key)).send(body as object);
  return {
    status: response.status,
    body: response.body as Record<string, unknown>,
    replayed: response.headers['idempotent-replayed'] === 'true',
    retryAfter: response.headers['retry-after'],
  };
}

const single = () => `/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`;
const batch = () => `/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`;

async function rowsFor(invoicePrefix: string): Promise<{ id: string; invoice_id: string }[]> {
  return context.db.dataSource.query(
    'SELECT id, invoice_id FROM messages WHERE account_id = $1 AND invoice_id LIKE $2',
    [context.tenant.accountId, `${invoicePrefix}%`],
  );
}

/** "Still in flight": 409 with Retry-After: 1, in the documented shape. */
function isInFlight(answer: Answer): boolean {
  return (
    answer.status === 409 &&
    answer.retryAfter === '1' &&
    answer.body.detail === 'A request with this Idempotency-Key is still being processed'
  );
}

const key = () => `race-${randomUUID()}`;

describe('Idempotency-Key under concurrency', () => {
  it('When N copies of a request race with one key, then one message is stored and every answer is it or "in flight"; replays never add rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 16 }),
        fc.integer({ min: 0, max: 3 }),
        async (copies, replays) => {
          const invoice = `RACE-${randomUUID()}`;
          const idempotencyKey = key();
          const body = guideBody({ invoice_id: invoice });

          const answers = await Promise.all(
            Array.from({ length: copies }, () => send(keyedServer, single(), body, idempotencyKey)),
          );

          const accepted = answers.filter((answer) => answer.status === 200);
          expect(accepted.length).toBeGreaterThanOrEqual(1);
          expect(answers.filter((answer) => answer.status !== 200 && !isInFlight(answer))).toEqual([]);
          const ids = new Set(accepted.map((answer) => answer.body.message_id));
          expect(ids.size).toBe(1);
          // Exactly one of the 200s ran; the others replayed it.
          expect(accepted.filter((answer) => !answer.replayed)).toHaveLength(1);
          const rows = await rowsFor(invoice);
          expect(rows.map((row) => row.id)).toEqual([...ids]);

          for (let index = 0; index < replays; index += 1) {
            const replay = await send(keyedServer, single(), body, idempotencyKey);
            expect(replay).toMatchObject({ status: 200, replayed: true, body: accepted[0]!.body });
          }
          expect(await rowsFor(invoice)).toHaveLength(1);
        },
      ),
      runs(25),
    );
  });

  it('When different requests race with one key, then one wins and every other answers 409 (in flight) or 422 (another request), never a second message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 12 }),
        async (variants) => {
          const run = `MIX-${randomUUID()}`;
          const idempotencyKey = key();
          const bodyOf = (variant: number) =>
            guideBody({ invoice_id: `${run}-${variant}`, amount: 100 + variant });

          const answers = await Promise.all(
            variants.map((variant) => send(keyedServer, single(), bodyOf(variant), idempotencyKey)),
          );

          // The request that claimed the key ran to its end before all answers were in.
          const rows = await rowsFor(run);
          expect(rows).toHaveLength(1);
          const accepted = answers
            .map((answer, index) => ({ answer, variant: variants[index]! }))
            .filter(({ answer }) => answer.status === 200);
          expect(accepted.length).toBeGreaterThanOrEqual(1);
          const winner = rows[0]!;
          for (const { answer, variant } of accepted) {
            expect(answer.body.message_id).toBe(winner.id);
            expect(`${run}-${variant}`).toBe(winner.invoice_id);
          }
          for (const answer of answers.filter(({ status }) => status !== 200)) {
            const mismatch =
              answer.status === 422 &&
              answer.body.detail === 'This Idempotency-Key was already used with a different request';
            expect(isInFlight(answer) || mismatch).toBe(true);
          }
          // After the dust settles, the key belongs to the winner's request only.
          const winnerVariant = Number(winner.invoice_id.slice(run.length + 1));
          const replay = await send(keyedServer, single(), bodyOf(winnerVariant), idempotencyKey);
          expect(replay).toMatchObject({ status: 200, replayed: true });
          expect(replay.body.message_id).toBe(winner.id);
          const other = await send(keyedServer, single(), bodyOf(winnerVariant + 1), idempotencyKey);
          expect(other.status).toBe(422);
          expect(await rowsFor(run)).toHaveLength(1);
        },
      ),
      runs(25),
    );
  });

  it('When a batch races with itself under one key, then its notifications are stored once and every 200 is the same batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 20 }),
        async (copies, size) => {
          const run = `BRACE-${randomUUID()}`;
          const idempotencyKey = key();
          const body = {
            notifications: Array.from({ length: size }, (_item, index) =>
              guideBody({ invoice_id: `${run}-${index}` }),
            ),
          };

          const answers = await Promise.all(
            Array.from({ length: copies }, () => send(keyedServer, batch(), body, idempotencyKey)),
          );

          const accepted = answers.filter((answer) => answer.status === 200);
          expect(accepted.length).toBeGreaterThanOrEqual(1);
          expect(answers.filter((answer) => answer.status !== 200 && !isInFlight(answer))).toEqual([]);
          expect(new Set(accepted.map((answer) => answer.body.batch_id)).size).toBe(1);
          // Replays are the stored answer (jsonb: same content, key order may differ).
          for (const answer of accepted) expect(answer.body).toEqual(accepted[0]!.body);
          expect(await rowsFor(run)).toHaveLength(size);
          const batches: { n: number }[] = await context.db.dataSource.query(
            'SELECT count(DISTINCT batch_id)::int AS n FROM messages WHERE account_id = $1 AND invoice_id LIKE $2',
            [context.tenant.accountId, `${run}-%`],
          );
          expect(batches[0]!.n).toBe(1);
        },
      ),
      runs(15),
    );
  });
});

describe('Natural dedupe under concurrency (no Idempotency-Key)', () => {
  it('When N identical notifications arrive at the same instant without a key, then one message is stored and every answer names it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 16 }),
        fc.constantFrom('254712345678', '+254 712 345 678', '0712345678'),
        async (copies, phone) => {
          const invoice = `SAME-${randomUUID()}`;
          // The same customer written in different ways is one customer.
          const phones = ['254712345678', '+254 712 345 678', '0712 345 678', phone];
          const answers = await Promise.all(
            Array.from({ length: copies }, (_v, index) =>
              send(
                dedupedServer,
                single(),
                guideBody({ invoice_id: invoice, phone_number: phones[index % phones.length] }),
              ),
            ),
          );

          expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
          const ids = new Set(answers.map((answer) => answer.body.message_id));
          expect(ids.size).toBe(1);
          expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
          expect((await rowsFor(invoice)).map((row) => row.id)).toEqual([...ids]);
        },
      ),
      runs(25),
    );
  });

  it('When the same invoice races with different amounts without a key, then one is stored and the rest answer 409 naming it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 10 }), async (copies) => {
        const invoice = `DIFF-${randomUUID()}`;
        const answers = await Promise.all(
          Array.from({ length: copies }, (_v, index) =>
            send(dedupedServer, single(), guideBody({ invoice_id: invoice, amount: 100 + index })),
          ),
        );
        const rows = await rowsFor(invoice);
        expect(rows).toHaveLength(1);
        expect(
          answers.filter((answer) => answer.status === 200).map((answer) => answer.body.message_id),
        ).toEqual([rows[0]!.id]);
        for (const answer of answers.filter(({ status }) => status !== 200)) {
          expect(answer.status).toBe(409);
          expect(answer.body.message_id).toBe(rows[0]!.id);
        }
      }),
      runs(20),
    );
  });
});
