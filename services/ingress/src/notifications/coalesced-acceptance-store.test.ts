import type { AcceptanceResult, AdmissionQuery, OutgoingAcceptance } from '@telenexus/db';
import { CoalescedAcceptanceStore, type GroupingAcceptanceStore } from './coalesced-acceptance-store';

/** A store whose statements wait until the test answers them, recording what each was given. */
function heldStore() {
  const statements: { kind: string; instances: string[]; answer: (error?: Error) => void }[] = [];
  const result = (request: OutgoingAcceptance): AcceptanceResult => ({
    batchId: null,
    created: new Map([[0, { id: `message of ${request.instanceId}`, status: 'queued' }]]),
    existing: new Map(),
    supersededIds: [],
  });
  const held = <T>(kind: string, instances: string[], value: () => T) =>
    new Promise<T>((resolve, reject) => {
      statements.push({
        kind,
        instances,
        answer: (error) => (error === undefined ? resolve(value()) : reject(error)),
      });
    });
  const store: GroupingAcceptanceStore = {
    readAdmission: (query) => held('read', [query.instanceId], () => facts(query)),
    readAdmissions: (queries) =>
      held(
        'read',
        queries.map((query) => query.instanceId),
        () => queries.map(facts),
      ),
    acceptOutgoing: (request) => held('store', [request.instanceId], () => result(request)),
    acceptOutgoingMany: (requests) =>
      held(
        'store',
        requests.map((request) => request.instanceId),
        () => requests.map(result),
      ),
    recordBatchCounts: () => Promise.resolve(),
  };
  return { store, statements };
}

function facts(query: AdmissionQuery) {
  return { accountQueued: query.countQueuedUpTo, backlog: 0, replayedKeys: new Set<string>() };
}

function request(instanceId: string): OutgoingAcceptance {
  return { accountId: `account of ${instanceId}`, instanceId, items: [], dedupeWindowMs: 1000 };
}

function query(instanceId: string): AdmissionQuery {
  return { accountId: 'a', instanceId, countQueuedUpTo: 5, countBacklog: true, dedupeKeys: [] };
}

/** Postgres's own refusal of a statement, as TypeORM passes it on. */
function refusal(code: string): Error {
  return Object.assign(new Error(`refused ${code}`), { driverError: { code } });
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Submits `first`, then `later` while the first's statement is in flight, and answers the first:
 * the later ones are then waiting as the next group.
 */
async function afterOneInFlight<T>(
  statements: { answer: (error?: Error) => void }[],
  first: () => Promise<T>,
  later: (() => Promise<T>)[],
): Promise<{ first: Promise<T>; later: Promise<T>[] }> {
  const started = first();
  await flush();
  const waiting = later.map((submit) => submit());
  await flush();
  statements[0]!.answer();
  await flush();
  return { first: started, later: waiting };
}

/** A's request in flight, then B's and C's waiting for the next statement: A's is answered. */
function storingBAndCBehindA(
  coalesced: CoalescedAcceptanceStore,
  statements: { answer: (error?: Error) => void }[],
) {
  return afterOneInFlight(statements, () => coalesced.acceptOutgoing(request('A')), [
    () => coalesced.acceptOutgoing(request('B')),
    () => coalesced.acceptOutgoing(request('C')),
  ]);
}

describe('Requests of several instances read and stored together', () => {
  it('When requests of other instances come while one is being stored, then they are stored together in the next statement, each with its own result', async () => {
    const { store, statements } = heldStore();
    const coalesced = new CoalescedAcceptanceStore(store);

    const { first, later } = await storingBAndCBehindA(coalesced, statements);
    statements[1]!.answer();

    expect((await first).created.get(0)?.id).toBe('message of A');
    expect((await Promise.all(later)).map((result) => result.created.get(0)?.id)).toEqual([
      'message of B',
      'message of C',
    ]);
    expect(statements.map(({ instances }) => instances)).toEqual([['A'], ['B', 'C']]);
  });

  it('When two requests of one instance wait, then they are never stored in one statement', async () => {
    const { store, statements } = heldStore();
    const coalesced = new CoalescedAcceptanceStore(store);

    const all = [
      coalesced.acceptOutgoing(request('A')),
      coalesced.acceptOutgoing(request('B')),
      coalesced.acceptOutgoing(request('B')),
    ];
    for (let answered = 0; answered < 3; answered += 1) {
      await flush();
      statements[answered]?.answer();
    }
    await Promise.all(all);

    expect(statements.map(({ instances }) => instances)).toEqual([['A', 'B'], ['B']]);
  });

  it('When Postgres refuses the statement of several requests, then each is stored again on its own and fails or not as it would alone', async () => {
    const { store, statements } = heldStore();
    const coalesced = new CoalescedAcceptanceStore(store);
    const {
      first,
      later: [good, bad],
    } = await afterOneInFlight(statements, () => coalesced.acceptOutgoing(request('A')), [
      () => coalesced.acceptOutgoing(request('B')),
      () => coalesced.acceptOutgoing(request('C')),
    ]);

    statements[1]!.answer(refusal('22003'));
    await flush();
    const alone = statements.slice(2);
    expect(alone.map(({ instances }) => instances)).toEqual([['B'], ['C']]);
    alone[0]!.answer();
    alone[1]!.answer(refusal('22003'));

    await first;
    expect((await good!).created.get(0)?.id).toBe('message of B');
    await expect(bad!).rejects.toThrow('refused 22003');
  });

  it('When the connection is lost under the statement of several requests, then each fails with it and none is stored again', async () => {
    const { store, statements } = heldStore();
    const coalesced = new CoalescedAcceptanceStore(store);
    const { first, later } = await storingBAndCBehindA(coalesced, statements);

    statements[1]!.answer(new Error('Connection terminated unexpectedly'));

    await first;
    for (const outcome of later) await expect(outcome).rejects.toThrow('Connection terminated');
    expect(statements).toHaveLength(2);
  });

  it('When a batch is stored, then it is stored on its own at once', async () => {
    const { store, statements } = heldStore();
    const coalesced = new CoalescedAcceptanceStore(store);
    const single = coalesced.acceptOutgoing(request('A'));
    const batch = coalesced.acceptOutgoing({ ...request('B'), batch: { itemCount: 1, rejected: 0 } });
    expect(statements.map(({ instances }) => instances)).toEqual([['B']]);
    await flush();

    expect(statements.map(({ instances }) => instances)).toEqual([['B'], ['A']]);
    statements.forEach((statement) => statement.answer());
    await Promise.all([single, batch]);
  });

  it('When admission reads come while one is in flight, then they are read together, each with its own facts', async () => {
    const { store, statements } = heldStore();
    const coalesced = new CoalescedAcceptanceStore(store);

    const { first, later } = await afterOneInFlight(statements, () => coalesced.readAdmission(query('A')), [
      () => coalesced.readAdmission(query('B')),
      () => coalesced.readAdmission(query('C')),
    ]);
    statements[1]!.answer();

    expect((await first).accountQueued).toBe(5);
    expect(await Promise.all(later)).toHaveLength(2);
    expect(statements.map(({ kind, instances }) => [kind, instances])).toEqual([
      ['read', ['A']],
      ['read', ['B', 'C']],
    ]);
  });
});
