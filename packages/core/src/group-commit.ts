interface Waiting<T, R> {
  readonly item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<T> {
  /** Items committed together at most; more wait for the next group. */
  readonly maxGroup?: number;
  /** Items with the same key never share a group: the second waits for the next one. */
  readonly key?: (item: T) => string;
}

/**
 * Group commit for the statements concurrent jobs make. An item submitted while none is being
 * committed is committed at the end of the event loop's turn, with whatever else was submitted in
 * that turn; items submitted meanwhile wait for that commit and are then committed together, in
 * one call whatever their number, each answered with its own result once that call is done. Under
 * load a group forms for every commit in flight and every busy turn; an idle process adds only the
 * end of a turn (microseconds). A failure fails the whole group; each caller decides on its own retry.
 */
export class GroupCommit<T, R> {
  private waiting: Waiting<T, R>[] = [];
  private committing = false;
  private readonly maxGroup: number;

  constructor(
    /** Commits a group: one result per item, in order. */
    private readonly commit: (items: readonly T[]) => Promise<readonly R[]>,
    private readonly options: GroupCommitOptions<T> = {},
  ) {
    this.maxGroup = options.maxGroup ?? 100;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.committing) return;
      this.committing = true;
      // Not at once but after this turn's I/O callbacks: what a busy process takes in at one turn
      // (requests read from many sockets, jobs fetched together) is committed together.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.nextGroup();
      try {
        const results = await this.commit(group.map((waiting) => waiting.item));
        group.forEach((waiting, index) => waiting.resolve(results[index]!));
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.committing = false;
  }

  /** The next group in submission order: at most maxGroup items, no key twice; the rest wait on. */
  private nextGroup(): Waiting<T, R>[] {
    const group: Waiting<T, R>[] = [];
    const rest: Waiting<T, R>[] = [];
    const keys = new Set<string>();
    for (const waiting of this.waiting) {
      const key = this.options.key?.(waiting.item);
      if (group.length < this.maxGroup && (key === undefined || !keys.has(key))) {
        group.push(waiting);
        if (key !== undefined) keys.add(key);
      } else rest.push(waiting);
    }
    this.waiting = rest;
    return group;
  }
}
