import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { SendingSettingsInput } from '@telenexus/provisioning';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { problem } from '../../../test/support/expected-problem';
import { useIngress } from '../../../test/support/use-ingress';

/**
 * `GET /api/v1/instances/:id/queue`: counts and the oldest waiting message come from the messages'
 * lifecycle columns, so each test puts messages in those states through the status repository,
 * exactly as the dispatcher does.
 */

const context = useIngress();

const HOUR = 3_600_000;
const later = () => new Date(Date.now() + HOUR);

interface Account extends Tenant {
  readonly supportKey: string;
}

async function account(sending?: SendingSettingsInput): Promise<Account> {
  const tenant = await createTenant(context.db, { permissions: ['admin'], ...(sending ? { sending } : {}) });
  const support = await context.db.provisioning.apiKeys.create({
    accountId: tenant.accountId,
    name: 'Support desk',
    permissions: ['support'],
  });
  return { ...tenant, supportKey: support.secret };
}

/** A queued outgoing message, accepted `minutesAgo` minutes ago. */
async function queued(tenant: Tenant, minutesAgo = 0): Promise<string> {
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: tenant.accountId,
    instanceId: tenant.instance.id,
    phoneNumber: '254712345678',
    customerName: 'Jane',
    amount: '100',
    currency: 'KES',
    invoiceId: `INV-${randomUUID().slice(0, 8)}`,
    dueDate: null,
    messageType: 'invoice',
  });
  await context.db.dataSource.query(
    `UPDATE messages SET created_at = now() - $2 * interval '1 minute' WHERE id = $1`,
    [message.id, minutesAgo],
  );
  return message.id;
}

const statuses = () => context.db.messages.statuses;

async function queueOf(tenant: Account, key = tenant.supportKey) {
  return request(context.ingress.app)
    .get(`/api/v1/instances/${tenant.instance.id}/queue`)
    .set('Authorization', `Bearer ${key}`);
}

/** Quiet hours around now in Nairobi (UTC+3): from two hours ago to two hours ahead, local time. */
function quietHoursAroundNow(): SendingSettingsInput {
  const local = (offsetMs: number) => new Date(Date.now() + 3 * HOUR + offsetMs).toISOString().slice(11, 16);
  return { quietHours: { start: local(-2 * HOUR), end: local(2 * HOUR) } };
}

describe('GET /api/v1/instances/:id/queue', () => {
  it('When messages wait in every way, then each count counts only its own kind', async () => {
    const tenant = await account();
    // A different number of each, so no count can pass by reading another's rows.
    await queued(tenant);
    for (let i = 0; i < 2; i += 1)
      await statuses().scheduleFor(await queued(tenant), later(), 'paced for the instance');
    for (let i = 0; i < 3; i += 1)
      await statuses().hold(await queued(tenant), 'The WhatsApp number is disconnected', later());
    for (let i = 0; i < 3; i += 1) await statuses().claimForSending(await queued(tenant), 'text');
    const ambiguous = await queued(tenant);
    await statuses().claimForSending(ambiguous, 'text');
    await statuses().markUnknown(ambiguous, 'Evolution timed out');
    for (let i = 0; i < 5; i += 1) {
      const failing = await queued(tenant);
      await statuses().markFailed(failing, 'not on WhatsApp', 'not_on_whatsapp');
    }
    const oldFailure = await queued(tenant);
    await statuses().markFailed(oldFailure, 'not on WhatsApp', 'not_on_whatsapp');
    await context.db.dataSource.query(
      `UPDATE messages SET failed_at = now() - interval '25 hours' WHERE id = $1`,
      [oldFailure],
    );
    // Done or incoming: none of them is waiting.
    const sent = await queued(tenant);
    await statuses().claimForSending(sent, 'text');
    await statuses().markSent(sent, `PROV-${sent}`);
    await context.db.messages.acceptance.insertIncoming({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      phoneNumber: '254712345678',
      senderName: 'Customer',
      text: 'Paid',
      providerMessageId: `IN-${randomUUID()}`,
    });
    // Another instance's queue is not this one's.
    await queued(await account());

    const response = await queueOf(tenant);

    expect(response.status).toBe(200);
    expect(response.body.instance_id).toBe(tenant.instance.id);
    expect(response.body.counts).toEqual({
      ready: 1,
      scheduled: 2,
      held: 3,
      in_flight: 4,
      failed_last_24h: 5,
      waiting_for_send_at: 0,
    });
  });

  it('When nothing waits, then every count is 0 and there is no oldest message', async () => {
    const tenant = await account();
    const response = await queueOf(tenant);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      counts: { ready: 0, scheduled: 0, held: 0, in_flight: 0, failed_last_24h: 0, waiting_for_send_at: 0 },
      oldest_waiting: null,
    });
  });

  it('When the oldest message is due, then it is shown with its invoice, type and how long it has waited', async () => {
    const tenant = await account();
    await queued(tenant, 5);
    const oldest = await queued(tenant, 30);
    const stored = await context.db.messages.queries.findById(oldest);

    const response = await queueOf(tenant);

    expect(response.body.oldest_waiting).toEqual({
      id: oldest,
      invoice_id: stored?.invoiceId,
      message_type: 'invoice',
      status: 'queued',
      waiting_since: stored?.createdAt.toISOString(),
      scheduled_for: null,
      reason: 'ready',
    });
  });

  it.each([
    [
      'pacing',
      undefined,
      (id: string) =>
        statuses()
          .scheduleFor(id, later(), 'paced for the instance')
          .then(() => undefined),
    ],
    [
      'quiet_hours',
      quietHoursAroundNow(),
      (id: string) =>
        statuses()
          .scheduleFor(id, later(), 'quiet hours')
          .then(() => undefined),
    ],
    [
      'disconnected',
      undefined,
      (id: string) =>
        statuses()
          .hold(id, 'The WhatsApp number is disconnected', later())
          .then(() => undefined),
    ],
    [
      'retrying',
      undefined,
      async (id: string) => {
        await statuses().claimForSending(id, 'text');
        await statuses().scheduleRetry(id, 'Evolution answered 503', later());
      },
    ],
  ] as const)(
    'When the oldest message waits for %s, then that is its reason, with the time set for it',
    async (reason, sending, wait) => {
      const tenant = await account(sending);
      await queued(tenant, 1);
      const oldest = await queued(tenant, 60);
      await wait(oldest);

      const response = await queueOf(tenant);

      expect(response.body.oldest_waiting).toMatchObject({ id: oldest, status: 'queued', reason });
      expect(Date.parse(response.body.oldest_waiting.scheduled_for)).toBeGreaterThan(Date.now());
    },
  );

  it('When an admin key reads it, then it answers as for support', async () => {
    const tenant = await account();
    await queued(tenant);
    const response = await queueOf(tenant, tenant.apiKey);
    expect(response.status).toBe(200);
    expect(response.body.counts.ready).toBe(1);
  });

  it('When a key has neither admin nor support, then it answers 403', async () => {
    const tenant = await account();
    const sender = await context.db.provisioning.apiKeys.create({
      accountId: tenant.accountId,
      name: 'Billing',
      permissions: ['send_message', 'receive_message'],
    });
    const response = await queueOf(tenant, sender.secret);
    expect(response.status).toBe(403);
    expect(response.body).toEqual(
      problem('forbidden', 'This API key does not have the admin or support permission'),
    );
  });

  it("When another account's instance or no instance is asked for, then both answer the same 404", async () => {
    const tenant = await account();
    const other = await account();
    const foreign = await request(context.ingress.app)
      .get(`/api/v1/instances/${other.instance.id}/queue`)
      .set('Authorization', `Bearer ${tenant.supportKey}`);
    const missing = await request(context.ingress.app)
      .get(`/api/v1/instances/${randomUUID()}/queue`)
      .set('Authorization', `Bearer ${tenant.supportKey}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(problem('not_found', 'Instance not found'));
    expect(missing.body).toEqual(foreign.body);
  });
});
