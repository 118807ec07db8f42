import request from 'supertest';
import { GUIDE_REFERENCE_BODY } from '@telenexus/core';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress();
/** An instance paced an hour apart: the second message of a test waits, queued, for its turn. */
let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant(context.db, {
    permissions: ['send_message'],
    sending: { pacingMinGapMs: 3_600_000, pacingJitterMs: 0, dailyCap: null },
  });
});

let invoice = 0;
async function accepted(apiKey = tenant.apiKey, instanceId = tenant.instance.id): Promise<string> {
  invoice += 1;
  const response = await request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${instanceId}`)
    .set('Authorization', `Bearer ${apiKey}`)
    .send({ ...GUIDE_REFERENCE_BODY, invoice_id: `CANCEL-${invoice}` });
  expect(response.status).toBe(200);
  return response.body.message_id as string;
}

function cancel(messageId: string, apiKey = tenant.apiKey) {
  return request(context.ingress.app)
    .delete(`/api/v1/messages/${messageId}`)
    .set('Authorization', `Bearer ${apiKey}`);
}

describe('DELETE /api/v1/messages/:id', () => {
  it('When a queued message waiting for its turn is canceled, then it is canceled, says by which key, and its job is gone', async () => {
    await accepted(); // goes out now
    const messageId = await accepted(); // waits an hour for its slot, its job delayed until then
    expect(await context.ingress.queue.queue.getJob(messageId)).toBeDefined();

    const response = await cancel(messageId);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: messageId, status: 'canceled' });
    const last = response.body.events.at(-1);
    expect(last).toMatchObject({ type: 'canceled', status: 'canceled' });
    expect(last.detail).toMatch(/^Canceled through the API by the key "key [0-9a-f]{8}"$/);
    expect(await context.ingress.queue.queue.getJob(messageId)).toBeUndefined();
  });

  it('When it is canceled twice, then the second answers 409 naming its status', async () => {
    const messageId = await accepted();
    await cancel(messageId);
    const again = await cancel(messageId);
    expect(again.status).toBe(409);
    expect(again.body).toEqual(
      problem('conflict', 'The message is canceled: only a scheduled or queued message can be canceled'),
    );
  });

  it('When the message was already sent, then it cannot be taken back: 409 naming sent, and it stays sent', async () => {
    const messageId = await accepted();
    await context.db.messages.statuses.claimForSending(messageId, 'text');
    await context.db.messages.statuses.markSent(messageId, `KEY-${messageId}`);

    const response = await cancel(messageId);

    expect(response.status).toBe(409);
    expect(response.body.detail).toBe(
      'The message is sent: only a scheduled or queued message can be canceled',
    );
    expect((await context.db.messages.queries.findById(messageId))?.status).toBe('sent');
  });

  it("When another account's key or a support key tries, then 404 and 403, and the message is still queued", async () => {
    const messageId = await accepted();
    const stranger = await createTenant(context.db, { permissions: ['send_message', 'admin'] });
    const support = await context.db.provisioning.apiKeys.create({
      accountId: tenant.accountId,
      name: 'support desk',
      permissions: ['support'],
    });

    expect((await cancel(messageId, stranger.apiKey)).body).toEqual(
      problem('not_found', 'Message not found'),
    );
    const bySupport = await cancel(messageId, support.secret);
    expect(bySupport.status).toBe(403);
    expect((await context.db.messages.queries.findById(messageId))?.status).toBe('queued');
  });
});
