import { GroupCommit } from '@telenexus/core';
import type { AcceptanceResult, AdmissionFacts, AdmissionQuery, OutgoingAcceptance } from '@telenexus/db';
import type { AcceptanceStore } from './accept-notifications.use-case';

/** A store that reads and stores the requests of several instances in one statement each. */
export interface GroupingAcceptanceStore extends AcceptanceStore {
  readAdmissions(queries: readonly AdmissionQuery[]): Promise<AdmissionFacts[]>;
  acceptOutgoingMany(requests: readonly OutgoingAcceptance[]): Promise<AcceptanceResult[]>;
}

type Settled<T> = { readonly value: T } | { readonly error: unknown };

/** Requests read or stored together at most. */
const MAX_GROUP = 50;

/**
 * Group commit across instances and accounts. Single sends are already grouped per instance
 * (`CoalescedSingleSends`); the groups of different instances meet here: admission reads made while
 * one is in flight are made together in one statement, and so are the requests stored meanwhile,
 * so a run spread over many instances costs about as many statements as one instance's.
 *
 * The statement that stores several requests commits or fails whole. When Postgres refuses it
 * (one request's data, say), each request is stored again on its own, so it fails, or not, as it
 * would have alone: one account's bad request never fails another's. A batch is stored on its own.
 */
export class CoalescedAcceptanceStore implements AcceptanceStore {
  private readonly admissions: GroupCommit<AdmissionQuery, AdmissionFacts>;
  private readonly acceptances: GroupCommit<OutgoingAcceptance, Settled<AcceptanceResult>>;

  constructor(private readonly store: GroupingAcceptanceStore) {
    this.admissions = new GroupCommit((queries) => store.readAdmissions(queries), { maxGroup: MAX_GROUP });
    this.acceptances = new GroupCommit((requests) => this.storeTogether(requests), {
      maxGroup: MAX_GROUP,
      // One statement stores one request per instance: a confirmation cancels within its instance.
      key: (request) => request.instanceId,
    });
  }

  readAdmission(query: AdmissionQuery): Promise<AdmissionFacts> {
    return this.admissions.submit(query);
  }

  async acceptOutgoing(request: OutgoingAcceptance): Promise<AcceptanceResult> {
    if (request.batch) return this.store.acceptOutgoing(request);
    const settled = await this.acceptances.submit(request);
    if ('error' in settled) throw settled.error;
    return settled.value;
  }

  recordBatchCounts(batchId: string, accepted: number, rejected: number): Promise<void> {
    return this.store.recordBatchCounts(batchId, accepted, rejected);
  }

  private async storeTogether(requests: readonly OutgoingAcceptance[]): Promise<Settled<AcceptanceResult>[]> {
    if (requests.length === 1) return [await settle(this.store.acceptOutgoing(requests[0]!))];
    try {
      return (await this.store.acceptOutgoingMany(requests)).map((value) => ({ value }));
    } catch (error) {
      if (!refusedByPostgres(error)) return requests.map(() => ({ error }));
      return Promise.all(requests.map((request) => settle(this.store.acceptOutgoing(request))));
    }
  }
}

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/**
 * Whether Postgres answered the statement with an error of its own, so it certainly did nothing.
 * A lost connection or a server going away leaves unknown whether it committed: storing the
 * requests again could store some twice, so those fail as they are.
 */
function refusedByPostgres(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown } }).driverError?.code;
  if (typeof code !== 'string' || code.length !== 5) return false;
  // 08: connection exception; 53: insufficient resources; 57: operator intervention; 58, XX: system.
  return !['08', '53', '57', '58', 'XX'].includes(code.slice(0, 2));
}
