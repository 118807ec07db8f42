import { createHash } from 'node:crypto';
import { createDataSource, MessageAcceptanceRepository, type OutgoingItem } from '@telenexus/db';
import type { ClientBase, NoticeMessage } from 'pg';
import type { DataSource } from 'typeorm';
import { useIsolatedTestDatabase } from '../../../test/support/isolated-test-database';
import { createTenant, type Tenant } from '../../../test/support/test-context';

/**
 * The accept statement runs prepared: each connection plans it once, while the tables may still be
 * nearly empty, and keeps that plan as they grow. Its plan must then look messages up by id only:
 * a plan that scans messages (as one made on an empty table did, for the statuses of the earlier
 * messages a request's keys stand for) costs every send a read of the whole table.
 */

/** Its own database: the plan is made on tables this file alone fills. */
const isolated = useIsolatedTestDatabase();

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
/** The plans auto_explain sent for the accept statements run on the probe's one connection. */
const acceptPlans: PlanNode[] = [];

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
  client.on('notice', (notice: NoticeMessage) => {
    const json = notice.message?.slice(notice.message.indexOf('{')) ?? '';
    if (!json.includes('"Query Text": "WITH input AS')) return;
    acceptPlans.push((JSON.parse(json) as { Plan: PlanNode }).Plan);
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

describe('The accept statement prepared on nearly empty tables', () => {
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
    acceptPlans.length = 0;

    const fresh = await accept(repository, ['PLAN-3']);
    const replay = await accept(repository, ['PLAN-1']);

    expect(fresh.created.size).toBe(1);
    expect(replay.existing.size).toBe(1);
    expect(acceptPlans).toHaveLength(2);
    const scans = acceptPlans
      .flatMap(nodesOf)
      .filter((node) => node['Relation Name'] === 'messages' && node['Node Type'] !== 'Index Scan')
      .map((node) => node['Node Type']);
    // Inserting into messages is the one other way the statement touches the table.
    expect(scans.filter((type) => type !== 'ModifyTable')).toEqual([]);
  });
});
