import { CoalescedEnqueuer } from './coalesced-enqueuer';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('Jobs of several requests added together', () => {
  it('When requests enqueue while an addBulk is in flight, then their jobs go together in the next one', async () => {
    const calls: { messageIds: string[]; finish: () => void }[] = [];
    const enqueuer = new CoalescedEnqueuer({
      enqueueSendsWithSlots: (sends) =>
        new Promise<void>((resolve) => {
          calls.push({ messageIds: sends.map((send) => send.messageId), finish: resolve });
        }),
      withdrawSends: () => Promise.resolve([]),
    });

    const first = enqueuer.enqueueSendsWithSlots([{ messageId: 'a1' }]);
    await flush();
    const later = [
      enqueuer.enqueueSendsWithSlots([{ messageId: 'b1' }, { messageId: 'b2', slotMs: 5 }]),
      enqueuer.enqueueSendsWithSlots([{ messageId: 'c1' }]),
    ];
    await flush();
    calls[0]!.finish();
    await flush();
    calls[1]!.finish();
    await Promise.all([first, ...later]);

    expect(calls.map(({ messageIds }) => messageIds)).toEqual([['a1'], ['b1', 'b2', 'c1']]);
  });
});
