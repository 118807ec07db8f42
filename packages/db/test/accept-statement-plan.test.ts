import { createHash, randomUUID } from 'node:crypto';
import {
  createDataSource,
  MessageAcceptanceRepository,
  MessageStatusRepository,
  type OutgoingItem,
} from '@telenexus/db';
import type { ClientBase } from 'pg';
import type { DataSource } from 'typeorm';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createTenant, type Tenant } from '../../../test/support/test-context';

/**
 * The statements every send runs must find their messages by id however the table grew since they
 * were planned. The accept statement runs prepared: each connection plans it once, while the tables
 * may still be nearly empty, and keeps that plan; a plan that scans `messages` (as one made on an
 * empty table did, for the statuses of the earlier messages a request's keys stand for) costs every
 * send a read of the whole table. The statement recording sends must not scan it either.
 */

/** Its own database: the plan is made on tables this file alone fills. */
const isolated = useTestDatabase({ isolated: true });

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

let probe: DataSource;
let tenant: Tenant;
/** The plans auto_explain sent for the statements run on the probe's one connection, by their text. */
const plans: { readonly text: string; readonly plan: PlanNode }[] = [];

/** The plans of the statements whose text starts so, since the list was last emptied. */
function plansOf(start: string): PlanNode[] {
  return plans.filter(({ text }) => text.trimStart().startsWith(start)).map(({ plan }) => plan);
}

/** What scanned `messages` in those plans other than by index (inserting rows aside). */
function messagesScans(found: readonly PlanNode[]): string[] {
  return found
    .flatMap(nodesOf)
    .filter((node) => node['Relation Name'] === 'messages')
    .map((node) => node['Node Type'])
    .filter((type) => type !== 'Index Scan' && type !== 'ModifyTable');
}

function item(index: number, invoiceId: string): OutgoingItem {
  return {
    index,
    phoneNumber: '254712345678',
    customerName: 'Plan Probe',
    amount: '1500.00',
    currency: 'KES',
    invoiceId,
    dueDate: null,
    messageType: 'invoice',
    text: `Invoice ${invoiceId}`,
    expiresAt: null,
    dedupeKey: createHash('sha256').update(invoiceId).digest(),
  };
}

async function accept(repository: MessageAcceptanceRepository, invoiceIds: readonly string[]) {
  return repository.acceptOutgoing({
    accountId: tenant.accountId,
    instanceId: tenant.instance.id,
    items: invoiceIds.map((invoiceId, index) => item(index, invoiceId)),
    dedupeWindowMs: 86_400_000,
  });
}

beforeAll(async () => {
  tenant = await createTenant(isolated.db);
  // One connection: every statement below runs on it, with its settings and its prepared plans.
  probe = createDataSource({ url: isolated.url, poolSize: 1 });
  await probe.initialize();
  const runner = probe.createQueryRunner();
  const client = (await runner.connect()) as ClientBase;
  client.on('notice', (notice) => {
    const json = notice.message?.slice(notice.message.indexOf('{')) ?? '';
    if (!json.startsWith('{')) return;
    const logged = JSON.parse(json) as { 'Query Text': string; Plan: PlanNode };
    plans.push({ text: logged['Query Text'], plan: logged.Plan });
  });
  await runner.release();
  // The generic plan from the first run on: as a connection uses it after its first few runs.
  for (const setting of [
    "LOAD 'auto_explain'",
    'SET plan_cache_mode = force_generic_plan',
    'SET auto_explain.log_min_duration = 0',
    'SET auto_explain.log_format = json',
    'SET auto_explain.log_level = notice',
  ])
    await probe.query(setting);
});

afterAll(async () => {
  await probe?.destroy();
});

describe('Hot statements planned while the tables were nearly empty', () => {
  it('When the tables have grown since, then a new notification and a replay still find the earlier messages by id, never by scanning them', async () => {
    const repository = new MessageAcceptanceRepository(probe);
    // Prepared (and planned) now, with two messages in the table.
    await accept(repository, ['PLAN-1']);
    await accept(repository, ['PLAN-2']);
    await isolated.db.dataSource.query(
      `INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                             invoice_id, message_type, body, status)
       SELECT $1, $2, 'outgoing', '254712345678', 'Grown', 1, 'KES', 'GROWN-' || g, 'invoice', 'x', 'failed'
       FROM generate_series(1, 3000) AS g`,
      [tenant.accountId, tenant.instance.id],
    );
    plans.length = 0;

    const fresh = await accept(repository, ['PLAN-3']);
    const replay = await accept(repository, ['PLAN-1']);

    expect(fresh.created.size).toBe(1);
    expect(replay.existing.size).toBe(1);
    const acceptPlans = plansOf('WITH input AS');
    expect(acceptPlans).toHaveLength(2);
    expect(messagesScans(acceptPlans)).toEqual([]);
  });

  it('When sends are recorded after the table has grown, then the messages are found by id, never by scanning them', async () => {
    const statuses = new MessageStatusRepository(probe);
    const sending = async (count: number): Promise<string[]> =>
      (
        await isolated.db.dataSource.query<{ id: string }[]>(
          `INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                                 invoice_id, message_type, body, status)
           SELECT $1, $2, 'outgoing', '254712345678', 'Sending', 1, 'KES', $3 || g, 'invoice', 'x', 'sending'
           FROM generate_series(1, $4) AS g RETURNING id`,
          [tenant.accountId, tenant.instance.id, `SENDING-${randomUUID()}-`, count],
        )
      ).map(({ id }) => id);
    const record = (ids: readonly string[], tag: string) =>
      statuses.recordSends(
        ids.map((messageId, index) => ({
          messageId,
          instanceId: tenant.instance.id,
          providerMessageId: `${tag}-${index}`,
        })),
      );
    // As a connection runs it: Postgres's own choice between planning each run and a generic plan,
    // which it may make after five runs.
    await probe.query('SET plan_cache_mode = auto');
    for (let run = 0; run < 6; run += 1) await record(await sending(2), `EARLY-${run}`);
    const grown = await sending(3000);
    plans.length = 0;

    await record(grown.slice(0, 3), 'LATE');

    const recordPlans = plansOf('WITH changed AS');
    expect(recordPlans.length).toBeGreaterThan(0);
    expect(messagesScans(recordPlans)).toEqual([]);
    const [row] = await isolated.db.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) AND status = 'sent'",
      [grown.slice(0, 3)],
    );
    expect(row!.n).toBe(3);
  });
});
