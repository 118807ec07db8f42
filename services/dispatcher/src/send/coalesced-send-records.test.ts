import type { RecordedSend } from '@telenexus/db';
import { CoalescedSendRecords, type SendRecordStore } from './coalesced-send-records';

/** A store whose calls wait until the test finishes them, recording what each was given. */
function heldStore() {
  const calls: { messageIds: string[]; finish: (error?: Error) => void }[] = [];
  const store: SendRecordStore = {
    recordSends: (sends: readonly RecordedSend[]) =>
      new Promise<void>((resolve, reject) => {
        calls.push({
          messageIds: sends.map((send) => send.messageId),
          finish: (error) => (error ? reject(error) : resolve()),
        });
      }),
  };
  return { store, calls };
}

const send = (messageId: string): RecordedSend => ({
  messageId,
  instanceId: 'instance-1',
  providerMessageId: `PROV-${messageId}`,
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescedSendRecords', () => {
  it('When none is being recorded, then a send is recorded at once; those answered meanwhile are recorded together next', async () => {
    const { store, calls } = heldStore();
    const records = new CoalescedSendRecords(store);

    const first = records.record(send('A'));
    await flush();
    expect(calls.map((call) => call.messageIds)).toEqual([['A']]);
    const later = [records.record(send('B')), records.record(send('C'))];
    await flush();
    expect(calls).toHaveLength(1);

    calls[0]!.finish();
    await first;
    await flush();
    expect(calls.map((call) => call.messageIds)).toEqual([['A'], ['B', 'C']]);
    calls[1]!.finish();
    await expect(Promise.all(later)).resolves.toEqual([undefined, undefined]);
  });

  it('When a group fails, then each of its sends gets the error, and the next group is still recorded', async () => {
    const { store, calls } = heldStore();
    const records = new CoalescedSendRecords(store);
    const first = records.record(send('A'));
    await flush();
    const grouped = Promise.allSettled([records.record(send('B')), records.record(send('C'))]);
    calls[0]!.finish();
    await first;
    await flush();

    calls[1]!.finish(new Error('connection refused'));
    const settled = await grouped;
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);

    const next = records.record(send('D'));
    await flush();
    calls[2]!.finish();
    await next;
    expect(calls.map((call) => call.messageIds)).toEqual([['A'], ['B', 'C'], ['D']]);
  });

  it('When more sends wait than a group holds, then they are recorded in groups of at most that many', async () => {
    const { store, calls } = heldStore();
    const records = new CoalescedSendRecords(store, 2);
    const all = ['A', 'B', 'C', 'D', 'E'].map((id) => records.record(send(id)));
    for (let group = 0; group < 3; group += 1) {
      await flush();
      calls[group]!.finish();
    }
    await Promise.all(all);

    expect(calls.map((call) => call.messageIds)).toEqual([['A'], ['B', 'C'], ['D', 'E']]);
  });
});
