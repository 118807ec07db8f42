import { isDomainError, type Instance, type Principal } from '@telenexus/core';
import type { AcceptanceOutcome, ItemResult, RequestItem } from './accept-notifications.use-case';
import type { SendBody } from './text-body';

/** What accepts a request's notifications for one instance (`AcceptNotifications`). */
export interface NotificationAcceptor {
  execute(
    principal: Principal,
    instance: Instance,
    items: readonly RequestItem[],
    batch: boolean,
  ): Promise<AcceptanceOutcome>;
}

/** One single send's answer: its notification's result, and when the request was taken in. */
export interface SingleSendOutcome {
  readonly result: ItemResult;
  readonly acceptedAt: Date;
}

interface Waiting {
  readonly principal: Principal;
  readonly instance: Instance;
  readonly body: SendBody;
  resolve(outcome: SingleSendOutcome): void;
  reject(error: unknown): void;
}

/** One instance's single sends: the group being accepted, and those that came meanwhile. */
interface Lane {
  readonly waiting: Waiting[];
}

/**
 * Group commit for single sends. A send to an instance with none in progress is accepted at the end
 * of the event loop's turn, with the instance's other sends of that turn; sends to that instance
 * that arrive while one is being accepted wait for it and are then accepted together, as the
 * notifications of one request: one admission read, one multi-row statement and one `addBulk` for
 * all of them, each answered with its own result once that statement has committed. Under load a
 * group forms for every accept in flight; an idle system waits only for the end of the turn.
 *
 * Because a group is accepted as one request, concurrent sends of the same notification meet in one
 * statement exactly as repeats inside one request do: the first stores it, the others answer as its
 * retries. A refusal that belongs to the whole request (the account's queue limit) is not shared:
 * the group is then accepted send by send, so each gets the answer it would have got alone. Groups
 * are per instance because one statement stores one instance's messages.
 */
export class CoalescedSingleSends {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly acceptor: NotificationAcceptor,
    /** Sends accepted together at most; more wait for the next group. */
    private readonly maxGroup = 200,
  ) {}

  accept(principal: Principal, instance: Instance, body: SendBody): Promise<SingleSendOutcome> {
    return new Promise<SingleSendOutcome>((resolve, reject) => {
      const waiting: Waiting = { principal, instance, body, resolve, reject };
      const lane = this.lanes.get(instance.id);
      if (lane) {
        lane.waiting.push(waiting);
        return;
      }
      const started: Lane = { waiting: [waiting] };
      this.lanes.set(instance.id, started);
      // At the end of this turn: the instance's sends read in the same turn start as one group.
      setImmediate(() => void this.drain(instance.id, started));
    });
  }

  /** Accepts the lane's sends group after group until none is waiting, then retires the lane. */
  private async drain(instanceId: string, lane: Lane): Promise<void> {
    while (lane.waiting.length > 0) await this.acceptGroup(lane.waiting.splice(0, this.maxGroup));
    this.lanes.delete(instanceId);
  }

  private async acceptGroup(group: readonly Waiting[]): Promise<void> {
    try {
      const outcome = await this.run(group);
      group.forEach((waiting, index) =>
        waiting.resolve({ result: outcome.results[index]!, acceptedAt: outcome.acceptedAt }),
      );
    } catch (error) {
      if (group.length > 1 && isDomainError(error)) {
        // A refusal of the whole request: each send is asked alone, and answered as it would be alone.
        for (const waiting of group) await this.acceptGroup([waiting]);
        return;
      }
      for (const waiting of group) waiting.reject(error);
    }
  }

  private run(group: readonly Waiting[]): Promise<AcceptanceOutcome> {
    // One instance, so one account; the first send's instance is as recent as any other's.
    const [first] = group;
    return this.acceptor.execute(
      first!.principal,
      first!.instance,
      group.map((waiting, index) => ({ index, body: waiting.body })),
      false,
    );
  }
}
