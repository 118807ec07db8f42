import { randomUUID } from 'node:crypto';
import { mintWebhookSecret, type WebhookEventType } from '../../core/src';
import { WebhookEndpointRepository } from '../src';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';

/**
 * The one method that records an instance's connection: the state, its timeline, the end of a
 * pairing's QR code and the `instance.*` webhooks, all in one statement and only on a change.
 */

const context = useTestDatabase();
let endpoints: WebhookEndpointRepository;

beforeAll(() => {
  endpoints = new WebhookEndpointRepository(context.db.dataSource, context.db.secrets);
});

async function endpointFor(tenant: Tenant, events: readonly WebhookEventType[]): Promise<string> {
  const endpoint = await endpoints.create({
    accountId: tenant.accountId,
    url: `https://billing-${randomUUID().slice(0, 8)}.example.test/hooks`,
    description: null,
    secret: mintWebhookSecret(),
    events,
  });
  return endpoint.id;
}

interface DeliveryRow {
  endpoint_id: string;
  event_id: string;
  event_type: string;
  message_id: string | null;
  payload: { id: string; type: string; created_at: string; data: Record<string, unknown> };
}

async function deliveriesOf(tenant: Tenant): Promise<DeliveryRow[]> {
  return context.db.dataSource.query(
    `SELECT endpoint_id, event_id, event_type, message_id, payload FROM webhook_deliveries
      WHERE account_id = $1 ORDER BY created_at, event_type`,
    [tenant.accountId],
  );
}

const QR = { code: '2@first,noise,identity,secret', image: 'data:image/png;base64,AAAA', pairingCode: null };

describe('Recording an instance connection state', () => {
  it('When the state changes, then the instance holds it and its timeline has the state, the one before, the reason and the time', async () => {
    const tenant = await createTenant(context.db);
    const before = Date.now();

    const changed = await context.db.instances.updateConnectionState(
      tenant.instance.id,
      'close',
      'connection.update (statusReason 401: logged out)',
    );

    expect(changed).toBe(true);
    const instance = await context.db.instances.findById(tenant.instance.id);
    expect(instance?.connectionState).toBe('close');
    const timeline = await context.db.instances.connectionTimeline(tenant.instance.id, 20);
    expect(timeline).toEqual([
      {
        state: 'close',
        previousState: 'unknown',
        reason: 'connection.update (statusReason 401: logged out)',
        at: instance?.connectionStateAt,
      },
    ]);
    expect(timeline[0]!.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('When the same state is recorded again, then nothing is added and nothing is announced', async () => {
    const tenant = await createTenant(context.db);
    await endpointFor(tenant, ['instance.disconnected', 'instance.connected']);
    await context.db.instances.updateConnectionState(tenant.instance.id, 'close', 'connection poll');

    const again = await context.db.instances.updateConnectionState(
      tenant.instance.id,
      'close',
      'Connection Closed answer',
    );

    expect(again).toBe(false);
    expect(await context.db.instances.connectionTimeline(tenant.instance.id, 20)).toHaveLength(1);
    expect(await deliveriesOf(tenant)).toHaveLength(1);
  });

  it('When the timeline is read, then the newest change comes first and the limit is kept', async () => {
    const tenant = await createTenant(context.db);
    for (const state of ['open', 'close', 'connecting', 'open'] as const) {
      await context.db.instances.updateConnectionState(tenant.instance.id, state, `to ${state}`);
    }

    const timeline = await context.db.instances.connectionTimeline(tenant.instance.id, 3);

    expect(timeline.map(({ state, previousState, reason }) => ({ state, previousState, reason }))).toEqual([
      { state: 'open', previousState: 'connecting', reason: 'to open' },
      { state: 'connecting', previousState: 'close', reason: 'to connecting' },
      { state: 'close', previousState: 'open', reason: 'to close' },
    ]);
  });

  it('When an instance closes and opens again, then each subscribed, enabled endpoint of its account gets instance.disconnected, then instance.connected; connecting announces nothing', async () => {
    const tenant = await createTenant(context.db);
    const other = await createTenant(context.db);
    const both = await endpointFor(tenant, ['instance.disconnected', 'instance.connected']);
    const onlyDisconnections = await endpointFor(tenant, ['instance.disconnected']);
    await endpointFor(tenant, ['message.delivered']);
    const disabled = await endpointFor(tenant, ['instance.disconnected', 'instance.connected']);
    await endpoints.update(tenant.accountId, disabled, { enabled: false });
    await endpointFor(other, ['instance.disconnected', 'instance.connected']);

    await context.db.instances.updateConnectionState(tenant.instance.id, 'open', 'connection poll');
    const afterOpen = await deliveriesOf(tenant);
    await context.db.dataSource.query('DELETE FROM webhook_deliveries WHERE account_id = $1', [
      tenant.accountId,
    ]);
    await context.db.instances.updateConnectionState(
      tenant.instance.id,
      'close',
      'connection.update (statusReason 401: logged out)',
    );
    await context.db.instances.updateConnectionState(tenant.instance.id, 'connecting', 'connect answer');
    const closed = await deliveriesOf(tenant);

    expect(afterOpen.map((row) => [row.endpoint_id, row.event_type])).toEqual([[both, 'instance.connected']]);
    expect(closed.map((row) => row.endpoint_id).sort()).toEqual([both, onlyDisconnections].sort());
    expect(new Set(closed.map((row) => row.event_id)).size).toBe(1);
    const [delivery] = closed;
    const instance = await context.db.instances.findById(tenant.instance.id);
    const [disconnection] = (await context.db.instances.connectionTimeline(tenant.instance.id, 20)).filter(
      (event) => event.state === 'close',
    );
    expect(delivery).toMatchObject({ event_type: 'instance.disconnected', message_id: null });
    expect(delivery!.payload).toEqual({
      id: delivery!.event_id,
      type: 'instance.disconnected',
      created_at: delivery!.payload.data.at,
      data: {
        instance_id: tenant.instance.id,
        name: tenant.instance.name,
        evolution_instance_name: tenant.instance.evolutionInstanceName,
        state: 'close',
        previous_state: 'open',
        reason: 'connection.update (statusReason 401: logged out)',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
    // The database keeps microseconds; the event and the timeline round them their own ways.
    const announcedAt = Date.parse(String(delivery!.payload.data.at));
    expect(Math.abs(announcedAt - disconnection!.at.getTime())).toBeLessThanOrEqual(1);
    expect(instance?.connectionState).toBe('connecting');
    expect(await deliveriesOf(other)).toEqual([]);
  });

  it('When the same change is recorded twice at the same moment, then it is recorded and announced once', async () => {
    const tenant = await createTenant(context.db);
    await endpointFor(tenant, ['instance.disconnected']);

    const results = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        context.db.instances.updateConnectionState(tenant.instance.id, 'close', `reporter ${index}`),
      ),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await context.db.instances.connectionTimeline(tenant.instance.id, 20)).toHaveLength(1);
    expect(await deliveriesOf(tenant)).toHaveLength(1);
  });

  it('When the instance was deleted, then nothing is recorded', async () => {
    const tenant = await createTenant(context.db);
    await context.db.instances.softDelete(tenant.accountId, tenant.instance.id);

    expect(
      await context.db.instances.updateConnectionState(tenant.instance.id, 'close', 'connection poll'),
    ).toBe(false);
    expect(await context.db.instances.connectionTimeline(tenant.instance.id, 20)).toEqual([]);
  });
});

describe("Keeping a pairing's QR code", () => {
  it('When QR codes arrive while pairing, then the latest is kept, the same code again counts once, and opening ends it', async () => {
    const tenant = await createTenant(context.db);
    await context.db.instances.updateConnectionState(tenant.instance.id, 'connecting', 'connect answer');

    const first = await context.db.instances.saveQrCode(tenant.instance.id, QR, 1);
    const repeated = await context.db.instances.saveQrCode(tenant.instance.id, QR);
    const second = await context.db.instances.saveQrCode(tenant.instance.id, {
      code: '2@second,noise,identity,secret',
      image: 'data:image/png;base64,BBBB',
      pairingCode: 'WZYK8K3T',
    });

    expect(first).toMatchObject({ code: QR.code, image: QR.image, pairingCode: null, count: 1 });
    expect(repeated).toMatchObject({ code: QR.code, count: 1, updatedAt: first!.updatedAt });
    expect(second).toMatchObject({
      code: '2@second,noise,identity,secret',
      pairingCode: 'WZYK8K3T',
      count: 2,
    });
    expect(await context.db.instances.latestQrCode(tenant.instance.id)).toEqual(second);

    await context.db.instances.updateConnectionState(
      tenant.instance.id,
      'open',
      'connection.update (statusReason 200)',
    );
    expect(await context.db.instances.latestQrCode(tenant.instance.id)).toBeNull();
  });

  it('When a QR code arrives for an open instance, then it is not kept (it was shown before the scan)', async () => {
    const tenant = await createTenant(context.db);
    await context.db.instances.updateConnectionState(tenant.instance.id, 'open', 'connection poll');

    expect(await context.db.instances.saveQrCode(tenant.instance.id, QR)).toBeNull();
    expect(await context.db.instances.latestQrCode(tenant.instance.id)).toBeNull();
  });

  it('When a pairing ends closed (QR code limit, logout), then its QR code is gone', async () => {
    const tenant = await createTenant(context.db);
    await context.db.instances.updateConnectionState(tenant.instance.id, 'connecting', 'connect answer');
    await context.db.instances.saveQrCode(tenant.instance.id, QR, 30);

    await context.db.instances.updateConnectionState(
      tenant.instance.id,
      'close',
      'connection.update refused: QR code limit reached (statusReason 428: connection closed)',
    );

    expect(await context.db.instances.latestQrCode(tenant.instance.id)).toBeNull();
  });
});
