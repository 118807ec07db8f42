import { DomainError, type Instance, type Principal } from '@telenexus/core';
import type { AcceptanceOutcome, RequestItem } from './accept-notifications.use-case';
import { CoalescedSingleSends, type NotificationAcceptor } from './coalesced-single-sends';
import type { NotificationBody } from './notification-body.schema';

const principal = {
  accountId: 'account-1',
  apiKeyId: 'key-1',
  apiKeyName: 'WISPMAN',
  permissions: [],
} as Principal;
const instance = { id: 'instance-1', accountId: 'account-1' } as Instance;
const otherInstance = { id: 'instance-2', accountId: 'account-1' } as Instance;
const body = (invoiceId: string) => ({ invoice_id: invoiceId }) as NotificationBody;

/** An acceptor whose calls wait until the test finishes them, recording what each was given. */
function heldAcceptor() {
  const calls: { instanceId: string; invoiceIds: string[]; finish: (error?: Error) => void }[] = [];
  const acceptor: NotificationAcceptor = {
    execute: (_principal, target, items: readonly RequestItem[]) =>
      new Promise<AcceptanceOutcome>((resolve, reject) => {
        const invoiceIds = items.map((item) =>
          'body' in item && 'invoice_id' in item.body ? item.body.invoice_id : '?',
        );
        calls.push({
          instanceId: target.id,
          invoiceIds,
          finish: (error) =>
            error
              ? reject(error)
              : resolve({
                  batchId: null,
                  acceptedAt: new Date(0),
                  estimatedFinish: null,
                  results: items.map((item, index) => ({
                    index: item.index,
                    success: true,
                    messageId: `message-of-${invoiceIds[index]}`,
                    invoiceId: invoiceIds[index]!,
                    replayed: false,
                  })),
                }),
        });
      }),
  };
  return { acceptor, calls };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedSingleSends', () => {
  it('When an instance has no send in progress, then a send is accepted at once on its own; sends arriving meanwhile are accepted together next', async () => {
    const { acceptor, calls } = heldAcceptor();
    const sends = new CoalescedSingleSends(acceptor);

    const first = sends.accept(principal, instance, body('A'));
    await flush();
    expect(calls.map((call) => call.invoiceIds)).toEqual([['A']]);
    const later = [
      sends.accept(principal, instance, body('B')),
      sends.accept(principal, instance, body('C')),
    ];
    const elsewhere = sends.accept(principal, otherInstance, body('X'));
    await flush();
    // Another instance is not held up by this one's accept.
    expect(calls.map((call) => call.invoiceIds)).toEqual([['A'], ['X']]);

    calls[0]!.finish();
    expect((await first).result).toMatchObject({ messageId: 'message-of-A' });
    await flush();
    expect(calls.map((call) => call.invoiceIds)).toEqual([['A'], ['X'], ['B', 'C']]);
    calls[2]!.finish();
    calls[1]!.finish();
    expect((await Promise.all(later)).map((outcome) => outcome.result)).toEqual([
      expect.objectContaining({ index: 0, messageId: 'message-of-B' }),
      expect.objectContaining({ index: 1, messageId: 'message-of-C' }),
    ]);
    expect((await elsewhere).result).toMatchObject({ messageId: 'message-of-X' });
  });

  it('When a group is refused as a whole (the queue limit), then each of its sends is accepted alone and answered as it would be alone', async () => {
    const { acceptor, calls } = heldAcceptor();
    const sends = new CoalescedSingleSends(acceptor);
    const first = sends.accept(principal, instance, body('A'));
    await flush();
    const grouped = Promise.allSettled([
      sends.accept(principal, instance, body('B')),
      sends.accept(principal, instance, body('C')),
    ]);
    calls[0]!.finish();
    await first;
    await flush();

    calls[1]!.finish(new DomainError('queue_limit_reached', 'Queue limit reached'));
    await flush();
    calls[2]!.finish(new DomainError('queue_limit_reached', 'Queue limit reached'));
    await flush();
    calls[3]!.finish();

    expect(calls.map((call) => call.invoiceIds)).toEqual([['A'], ['B', 'C'], ['B'], ['C']]);
    const [b, c] = await grouped;
    expect(b).toMatchObject({ status: 'rejected', reason: { code: 'queue_limit_reached' } });
    expect(c).toMatchObject({ status: 'fulfilled', value: { result: { messageId: 'message-of-C' } } });
  });

  it('When accepting fails for another reason (Postgres down), then every send of the group gets that error', async () => {
    const { acceptor, calls } = heldAcceptor();
    const sends = new CoalescedSingleSends(acceptor);
    const first = sends.accept(principal, instance, body('A'));
    await flush();
    const grouped = [
      sends.accept(principal, instance, body('B')),
      sends.accept(principal, instance, body('C')),
    ];
    calls[0]!.finish();
    await first;
    await flush();

    calls[1]!.finish(new Error('connection refused'));

    const settled = await Promise.allSettled(grouped);
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toHaveLength(2);
  });

  it('When more sends wait than a group holds, then they are accepted in groups of at most that many', async () => {
    const { acceptor, calls } = heldAcceptor();
    const sends = new CoalescedSingleSends(acceptor, 2);
    const all = ['A', 'B', 'C', 'D', 'E'].map((invoice) => sends.accept(principal, instance, body(invoice)));
    for (let group = 0; group < 3; group += 1) {
      await flush();
      calls[group]!.finish();
    }
    await Promise.all(all);

    expect(calls.map((call) => call.invoiceIds)).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
  });
});
