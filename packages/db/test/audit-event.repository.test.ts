import { AuditEventRepository } from '../src';
import { createTenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';

/**
 * The audit log is append-only in Postgres itself: whatever login the application uses, a row once
 * written cannot be changed or removed (see the migration 1795810000000-audit-events).
 */

const context = useTestDatabase();
let auditEvents: AuditEventRepository;

beforeAll(() => {
  auditEvents = new AuditEventRepository(context.db.dataSource);
});

async function recordedEvent(): Promise<string> {
  const tenant = await createTenant(context.db, { permissions: ['admin'] });
  const event = await auditEvents.append({
    accountId: tenant.accountId,
    action: 'instance.update',
    outcome: 'succeeded',
    actor: { kind: 'api_key', apiKeyId: tenant.apiKeyId, apiKeyName: 'Admin' },
    clientIp: '198.51.100.4',
    target: { type: 'instance', id: tenant.instance.id },
    changes: { before: { name: 'Old' }, after: { name: 'New' } },
    detail: null,
  });
  return event.id;
}

async function detailOf(id: string): Promise<unknown> {
  const [row] = await context.db.dataSource.query<{ detail: unknown }[]>(
    'SELECT detail FROM audit_events WHERE id = $1',
    [id],
  );
  return row?.detail;
}

describe('audit_events', () => {
  it('When an event is appended, then it reads back as recorded', async () => {
    const id = await recordedEvent();
    const [row] = await context.db.dataSource.query<{ changes: unknown; client_ip: string }[]>(
      'SELECT changes, client_ip FROM audit_events WHERE id = $1',
      [id],
    );
    expect(row).toEqual({
      changes: { before: { name: 'Old' }, after: { name: 'New' } },
      client_ip: '198.51.100.4',
    });
  });

  it('When a row is updated, then Postgres refuses and the row is unchanged', async () => {
    const id = await recordedEvent();

    await expect(
      context.db.dataSource.query(`UPDATE audit_events SET detail = 'rewritten' WHERE id = $1`, [id]),
    ).rejects.toThrow('audit_events is append-only: UPDATE is not allowed');

    expect(await detailOf(id)).toBeNull();
  });

  it('When a row is deleted, then Postgres refuses and the row is still there', async () => {
    const id = await recordedEvent();

    await expect(context.db.dataSource.query('DELETE FROM audit_events WHERE id = $1', [id])).rejects.toThrow(
      'audit_events is append-only: DELETE is not allowed',
    );

    const rows = await context.db.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM audit_events WHERE id = $1',
      [id],
    );
    expect(rows).toEqual([{ count: 1 }]);
  });

  it('When the table is truncated, then Postgres refuses', async () => {
    await recordedEvent();
    // In a transaction that is rolled back, so that a broken trigger could not empty the shared table.
    const runner = context.db.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await expect(runner.query('TRUNCATE audit_events')).rejects.toThrow(
        'audit_events is append-only: TRUNCATE is not allowed',
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('When an event without an account is not a refused sign-in, then Postgres refuses it', async () => {
    await expect(
      auditEvents.append({
        accountId: null,
        action: 'instance.create',
        outcome: 'succeeded',
        actor: { kind: 'cli', apiKeyId: null, apiKeyName: null },
        clientIp: null,
        target: null,
        changes: null,
        detail: null,
      }),
    ).rejects.toThrow(/check constraint/);
  });
});
