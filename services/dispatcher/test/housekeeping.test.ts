import { randomUUID } from 'node:crypto';
import { mintWebhookSecret } from '@telenexus/core';
import { WebhookEndpointRepository } from '@telenexus/db';
import { createCapturedLogger } from '../../../test/support/captured-logger';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createTenant } from '../../../test/support/test-context';
import { Housekeeping } from '../src/maintenance/housekeeping';

/** Sweeps and clean-ups act on the whole database: this file gets its own, so no other file's rows are touched. */
const isolated = useTestDatabase({ isolated: true });

describe('Housekeeping', () => {
  it('When dedupe keys, idempotency answers, held receipts and rotated-out webhook secrets have expired, then they are removed and live ones kept', async () => {
    const tenant = await createTenant(isolated.db);
    const message = await isolated.db.messages.acceptance.insertOutgoing({
      accountId: tenant.accountId,
      instanceId: tenant.instance.id,
      phoneNumber: '254712345678',
      customerName: 'A',
      amount: '1',
      currency: 'KES',
      invoiceId: 'HK-1',
      dueDate: null,
      messageType: 'invoice',
    });
    const [expiredKey, liveKey] = [randomUUID(), randomUUID()];
    await isolated.db.dataSource.query(
      `INSERT INTO dedupe_keys (key, message_id, expires_at) VALUES
         (decode(md5($1), 'hex'), $3, now() - interval '1 minute'), (decode(md5($2), 'hex'), $3, now() + interval '1 hour')`,
      [expiredKey, liveKey, message.id],
    );
    await isolated.db.idempotencyKeys.claim(tenant.accountId, expiredKey, 'h', { lockMs: 1000, ttlMs: 1000 });
    await isolated.db.idempotencyKeys.claim(tenant.accountId, liveKey, 'h', {
      lockMs: 1000,
      ttlMs: 3_600_000,
    });
    await isolated.db.dataSource.query(
      "UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE key = $1",
      [expiredKey],
    );
    await isolated.db.messages.statuses.addPendingReceipt(
      tenant.instance.id,
      `OLD-${expiredKey}`,
      'delivered',
    );
    await isolated.db.dataSource.query(
      "UPDATE pending_receipts SET received_at = now() - interval '8 days' WHERE provider_message_id = $1",
      [`OLD-${expiredKey}`],
    );
    await isolated.db.messages.statuses.addPendingReceipt(tenant.instance.id, `NEW-${liveKey}`, 'delivered');

    const endpoints = new WebhookEndpointRepository(isolated.db.dataSource, isolated.db.secrets);
    const rotatedEndpoint = async () => {
      const endpoint = await endpoints.create({
        accountId: tenant.accountId,
        url: 'https://billing.example.com/hooks',
        description: null,
        secret: mintWebhookSecret(),
        events: ['message.sent'],
      });
      await endpoints.rotateSecret(
        tenant.accountId,
        endpoint.id,
        mintWebhookSecret(),
        new Date(Date.now() + 3_600_000),
      );
      return endpoint.id;
    };
    const [expiredSecret, liveSecret] = [await rotatedEndpoint(), await rotatedEndpoint()];
    await isolated.db.dataSource.query(
      "UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 minute' WHERE id = $1",
      [expiredSecret],
    );

    await new Housekeeping(
      {
        messages: isolated.db.messages.maintenance,
        idempotencyKeys: isolated.db.idempotencyKeys,
        webhookEndpoints: endpoints,
      },
      createCapturedLogger().logger,
    ).run();

    const remaining = async (sql: string, parameters: unknown[]): Promise<number> => {
      const rows: unknown[] = await isolated.db.dataSource.query(sql, parameters);
      return rows.length;
    };
    expect(
      await remaining("SELECT 1 FROM dedupe_keys WHERE key = decode(md5($1), 'hex')", [expiredKey]),
    ).toBe(0);
    expect(await remaining("SELECT 1 FROM dedupe_keys WHERE key = decode(md5($1), 'hex')", [liveKey])).toBe(
      1,
    );
    expect(await remaining('SELECT 1 FROM idempotency_keys WHERE key = $1', [expiredKey])).toBe(0);
    expect(await remaining('SELECT 1 FROM idempotency_keys WHERE key = $1', [liveKey])).toBe(1);
    expect(
      await remaining('SELECT 1 FROM pending_receipts WHERE provider_message_id = $1', [`OLD-${expiredKey}`]),
    ).toBe(0);
    expect(
      await remaining('SELECT 1 FROM pending_receipts WHERE provider_message_id = $1', [`NEW-${liveKey}`]),
    ).toBe(1);
    const previousSecret = 'SELECT 1 FROM webhook_endpoints WHERE id = $1 AND previous_secret IS NOT NULL';
    expect(await remaining(previousSecret, [expiredSecret])).toBe(0);
    expect(await remaining(previousSecret, [liveSecret])).toBe(1);
  });
});
