/**
 * Owns the sandbox's background work (scheduled receipts, webhook POSTs and their retries) so that
 * tests can await quiescence instead of sleeping, and `close()` leaves no timer behind.
 */
export class WorkTracker {
  private pending = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Map<NodeJS.Timeout, (elapsed: boolean) => void>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly onTaskError: (error: unknown) => void) {}

  /** Runs `task` after `delayMs`; counts as pending until it has run. */
  schedule(delayMs: number, task: () => void): void {
    this.pending += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        task();
      } catch (error) {
        this.onTaskError(error);
      } finally {
        this.settle();
      }
    }, delayMs);
    this.timers.add(timer);
  }

  /** Counts `work` as pending until it settles; its rejection goes to the error callback. */
  track(work: Promise<unknown>): void {
    this.pending += 1;
    work.catch(this.onTaskError).finally(() => this.settle());
  }

  /** Waits `delayMs` on behalf of a request; resolves false when cancelled. Not counted as pending. */
  sleep(delayMs: number): Promise<boolean> {
    if (delayMs <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve(true);
      }, delayMs);
      this.sleepers.set(timer, resolve);
    });
  }

  /** Resolves once nothing is scheduled or in flight. */
  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops every scheduled task and wakes every sleeper; in-flight promises still settle. */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.pending -= this.timers.size;
    this.timers.clear();
    for (const [timer, resolve] of this.sleepers) {
      clearTimeout(timer);
      resolve(false);
    }
    this.sleepers.clear();
    this.notifyIfIdle();
  }

  private settle(): void {
    this.pending -= 1;
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
