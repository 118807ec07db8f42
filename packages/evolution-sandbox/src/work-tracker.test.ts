import { WorkTracker } from './work-tracker';

describe('WorkTracker', () => {
  it('When nothing is pending, then whenIdle resolves at once', async () => {
    await expect(new WorkTracker(() => undefined).whenIdle()).resolves.toBeUndefined();
  });

  it('When tasks are scheduled and tracked, then whenIdle waits for all of them, follow-ups included', async () => {
    const tracker = new WorkTracker(() => undefined);
    const ran: string[] = [];
    tracker.schedule(5, () => {
      ran.push('first');
      tracker.schedule(1, () => ran.push('follow-up'));
    });
    tracker.track(Promise.resolve().then(() => ran.push('tracked')));
    await tracker.whenIdle();
    expect(ran.sort()).toEqual(['first', 'follow-up', 'tracked']);
  });

  it('When a task throws or a tracked promise rejects, then the error callback gets it and idleness still comes', async () => {
    const errors: unknown[] = [];
    const tracker = new WorkTracker((error) => errors.push(error));
    tracker.schedule(0, () => {
      throw new Error('boom');
    });
    tracker.track(Promise.reject(new Error('bust')));
    await tracker.whenIdle();
    expect(errors.map((error) => (error as Error).message).sort()).toEqual(['boom', 'bust']);
  });

  it('When cancelled, then scheduled tasks never run and sleepers wake with false', async () => {
    const tracker = new WorkTracker(() => undefined);
    const task = jest.fn();
    tracker.schedule(60_000, task);
    const sleeping = tracker.sleep(60_000);
    const idle = tracker.whenIdle();
    tracker.cancelAll();
    await expect(sleeping).resolves.toBe(false);
    await idle;
    expect(task).not.toHaveBeenCalled();
  });
});
