import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { MessageStatus } from '@telenexus/core';
import { notificationFactory } from '../../../test/support/notification-factory';
import { useIngress } from '../../../test/support/use-ingress';

const context = useIngress({ tenant: true });

const notification = notificationFactory('RESUB', {
  message_type: 'payment_reminder',
  due_date: '2030-02-15',
});

const single = (body: unknown, idempotencyKey?: string) => {
  const call = request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${context.tenant.instance.id}`)
    .set('Authorization', `Bearer ${context.tenant.apiKey}`);
  return (idempotencyKey ? call.set('Idempotency-Key', idempotencyKey) : call).send(body as object);
};

const batch = (notifications: unknown[]) =>
  request(context.ingress.app)
    .post(`/api/v1/billing/send-notifications?instance_id=${context.tenant.instance.id}`)
    .set('Authorization', `Bearer ${context.tenant.apiKey}`)
    .send({ notifications });

/** Where the dispatcher, a receipt or a cancellation would have taken the message. */
async function moveTo(messageId: string, status: MessageStatus): Promise<void> {
  await context.db.dataSource.query('UPDATE messages SET status = $2 WHERE id = $1', [messageId, status]);
}

async function timeline(
  messageId: string,
): Promise<{ type: string; status: string | null; detail: string | null }[]> {
  const response = await request(context.ingress.app)
    .get(`/api/v1/messages/${messageId}`)
    .set('Authorization', `Bearer ${context.tenant.apiKey}`);
  return (response.body as { events: { type: string; status: string | null; detail: string | null }[] })
    .events;
}

async function count(invoiceId: string): Promise<number> {
  const rows: { n: number }[] = await context.db.dataSource.query(
    'SELECT count(*)::int AS n FROM messages WHERE account_id = $1 AND invoice_id = $2',
    [context.tenant.accountId, invoiceId],
  );
  return rows[0]!.n;
}

describe('Resubmission after a message ended unsent', () => {
  it.each<MessageStatus>(['failed', 'expired', 'canceled'])(
    'When the earlier message ended %s, then the same notification is a new message, linked on both timelines',
    async (ended) => {
      const body = notification();
      const earlier = await single(body);
      await moveTo(earlier.body.message_id, ended);

      const again = await single(body);

      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.body.message_id).not.toBe(earlier.body.message_id);
      expect(await count(body.invoice_id as string)).toBe(2);
      expect((await context.db.messages.queries.findById(again.body.message_id))?.status).toBe('queued');
      expect(await context.ingress.queue.queue.getJob(again.body.message_id)).toBeDefined();
      expect(await timeline(again.body.message_id)).toEqual([
        expect.objectContaining({ type: 'accepted', status: 'queued' }),
        expect.objectContaining({
          type: 'resubmitted',
          status: null,
          detail: `Resubmission of message ${earlier.body.message_id}, which ended ${ended}`,
        }),
      ]);
      expect((await timeline(earlier.body.message_id)).at(-1)).toEqual(
        expect.objectContaining({
          type: 'resubmitted',
          status: null,
          detail: `Resubmitted as message ${again.body.message_id}`,
        }),
      );
    },
  );

  it('When the resubmission is sent again while it is queued, then it is replayed, not a third message', async () => {
    const body = notification();
    const earlier = await single(body);
    await moveTo(earlier.body.message_id, 'failed');
    const resubmitted = await single(body);

    const again = await single(body);

    expect(again.body.message_id).toBe(resubmitted.body.message_id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count(body.invoice_id as string)).toBe(2);
  });

  it('When ten identical resubmissions arrive at the same moment, then exactly one new message is stored', async () => {
    const body = notification();
    const earlier = await single(body);
    await moveTo(earlier.body.message_id, 'failed');

    const responses = await Promise.all(Array.from({ length: 10 }, () => single(body)));

    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    const ids = new Set(responses.map((response) => response.body.message_id));
    expect(ids.size).toBe(1);
    expect(ids.has(earlier.body.message_id)).toBe(false);
    expect(await count(body.invoice_id as string)).toBe(2);
    const links = (await timeline(earlier.body.message_id)).filter((event) => event.type === 'resubmitted');
    expect(links).toHaveLength(1);
  });

  it('When the resubmission carries a corrected amount after a failure, then it is accepted as new, not a conflict', async () => {
    const body = notification();
    const earlier = await single(body);
    await moveTo(earlier.body.message_id, 'failed');

    const corrected = await single({ ...body, amount: 1750 });

    expect(corrected.status).toBe(200);
    expect(corrected.body.message_id).not.toBe(earlier.body.message_id);
    expect((await context.db.messages.queries.findById(corrected.body.message_id))?.amount).toBe('1750.0000');
  });

  it('When a batch is posted again after some of its messages failed, then only those are new; the rest replay', async () => {
    const items = [notification(), notification(), notification()];
    const first = await batch(items);
    await moveTo(first.body.results[1].message_id, 'failed');

    const again = await batch(items);

    expect(again.body.results.map((result: { replayed?: boolean }) => result.replayed ?? false)).toEqual([
      true,
      false,
      true,
    ]);
    expect(again.body.results[1].message_id).not.toBe(first.body.results[1].message_id);
    expect(again.body.results[1].scheduled_for).toEqual(expect.any(String));
  });
});

describe('Natural dedupe while the earlier message may still reach the customer', () => {
  it.each<MessageStatus>(['queued', 'sending', 'unknown', 'sent', 'delivered', 'read'])(
    'When the earlier message is %s, then the same notification replays its answer and nothing new is stored',
    async (status) => {
      const body = notification();
      const earlier = await single(body);
      await moveTo(earlier.body.message_id, status);

      const again = await single(body);

      expect(again.status).toBe(200);
      expect(again.body).toEqual({
        success: true,
        message_id: earlier.body.message_id,
        invoice_id: body.invoice_id,
      });
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await count(body.invoice_id as string)).toBe(1);
      expect((await timeline(earlier.body.message_id)).map((event) => event.type)).not.toContain(
        'resubmitted',
      );
    },
  );
});

describe('Idempotency-Key is unchanged by resubmission', () => {
  it('When a request is retried with its Idempotency-Key after its message failed, then the stored answer is replayed and nothing new is stored', async () => {
    const key = randomUUID();
    const body = notification();
    const first = await single(body, key);
    await moveTo(first.body.message_id, 'failed');

    const retried = await single(body, key);

    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(first.body);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(await count(body.invoice_id as string)).toBe(1);
  });

  it('When the same key comes with the notification changed, then it still answers 422 idempotency_mismatch', async () => {
    const key = randomUUID();
    const body = notification();
    const first = await single(body, key);
    await moveTo(first.body.message_id, 'failed');

    const changed = await single({ ...body, amount: 99 }, key);

    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('idempotency_mismatch');
  });
});
