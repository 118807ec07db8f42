import { GroupCommit } from './group-commit';

/** A commit whose calls wait until the test finishes them, recording what each was given. */
function heldCommit() {
  const calls: { items: string[]; finish: (error?: Error) => void }[] = [];
  const commit = (items: readonly string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({
        items: [...items],
        finish: (error) => (error ? reject(error) : resolve(items.map((item) => `done ${item}`))),
      });
    });
  return { commit, calls };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('When none is being committed, then an item is committed at the end of the turn; those submitted meanwhile are committed together next, each with its own result', async () => {
    const { commit, calls } = heldCommit();
    const group = new GroupCommit(commit);

    const first = group.submit('A');
    await flush();
    expect(calls.map((call) => call.items)).toEqual([['A']]);
    const later = [group.submit('B'), group.submit('C')];
    await flush();
    expect(calls).toHaveLength(1);

    calls[0]!.finish();
    expect(await first).toBe('done A');
    await flush();
    expect(calls.map((call) => call.items)).toEqual([['A'], ['B', 'C']]);
    calls[1]!.finish();
    expect(await Promise.all(later)).toEqual(['done B', 'done C']);
  });

  it('When a group fails, then each of its items gets the error, and the next group is still committed', async () => {
    const { commit, calls } = heldCommit();
    const group = new GroupCommit(commit);
    const first = group.submit('A');
    await flush();
    const grouped = Promise.allSettled([group.submit('B'), group.submit('C')]);
    calls[0]!.finish();
    await first;
    await flush();

    calls[1]!.finish(new Error('connection refused'));
    const settled = await grouped;
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);

    const next = group.submit('D');
    await flush();
    calls[2]!.finish();
    expect(await next).toBe('done D');
    expect(calls.map((call) => call.items)).toEqual([['A'], ['B', 'C'], ['D']]);
  });

  it('When more items wait than a group holds, then they are committed in groups of at most that many, in order', async () => {
    const { commit, calls } = heldCommit();
    const group = new GroupCommit(commit, { maxGroup: 2 });
    const all = ['A', 'B', 'C', 'D', 'E'].map((item) => group.submit(item));
    for (let index = 0; index < 3; index += 1) {
      await flush();
      calls[index]!.finish();
    }
    await Promise.all(all);

    expect(calls.map((call) => call.items)).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
  });

  it('When items are submitted in the same turn with none being committed, then they are committed together, not the first alone', async () => {
    const { commit, calls } = heldCommit();
    const group = new GroupCommit(commit);
    const all = ['A', 'B', 'C'].map((item) => group.submit(item));

    expect(calls).toHaveLength(0);
    await flush();
    calls[0]!.finish();

    expect(await Promise.all(all)).toEqual(['done A', 'done B', 'done C']);
    expect(calls.map((call) => call.items)).toEqual([['A', 'B', 'C']]);
  });

  it('When the same key waits twice, then the second goes in the next group', async () => {
    const { commit, calls } = heldCommit();
    const group = new GroupCommit(commit, { key: (item) => item.slice(0, 1) });
    const all = ['A1', 'B1', 'A2', 'A3', 'C1'].map((item) => group.submit(item));
    for (let index = 0; index < 3; index += 1) {
      await flush();
      calls[index]!.finish();
    }

    expect(await Promise.all(all)).toEqual(['done A1', 'done B1', 'done A2', 'done A3', 'done C1']);
    expect(calls.map((call) => call.items)).toEqual([['A1', 'B1', 'C1'], ['A2'], ['A3']]);
  });
});
