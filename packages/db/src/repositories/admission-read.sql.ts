import { MESSAGE_TRANSITIONS, RESUBMITTABLE_STATUSES } from '@telenexus/core';
import { statusList, WAITING_STATUSES } from './message-transition.sql';
import type { AdmissionFacts, AdmissionQuery } from './outgoing-acceptance';
import type { Row } from './row-mappers';
import type { SqlParameters } from './sql-parameters';

/**
 * What a send request is admitted against, in one statement: the account's queued messages
 * (counted up to the limit on the partial index of queued messages, led by the account), the
 * instance's messages still waiting for a send slot, and which of the request's notifications an
 * earlier message still stands for.
 */
export function admissionColumns(query: AdmissionQuery, p: SqlParameters): string {
  const queuedStatus = statusList([MESSAGE_TRANSITIONS.accept.to]);
  const accountQueued =
    query.countQueuedUpTo > 0
      ? `(SELECT count(*) FROM (
           SELECT 1 FROM messages WHERE account_id = ${p.add(query.accountId)}
             AND status IN (${statusList(WAITING_STATUSES)})
           LIMIT ${p.add(query.countQueuedUpTo)}) queued)::int`
      : '0';
  // A scheduled message holds its slot, which the pacer's next free slot already counts; one not yet
  // placed, or held while its number was away (it sleeps until a recheck), takes a slot before
  // anything accepted now. Each count has its partial index.
  const instance = query.countBacklog ? p.add(query.instanceId) : '';
  const backlog = query.countBacklog
    ? `((SELECT count(*) FROM messages
          WHERE instance_id = ${instance} AND status = ${queuedStatus} AND next_attempt_at IS NULL)
        + (SELECT count(*) FROM messages
          WHERE instance_id = ${instance} AND held_at IS NOT NULL AND status = ${queuedStatus}
            AND next_attempt_at IS NOT NULL))::int`
    : '0';
  const replayed =
    query.dedupeKeys.length > 0
      ? // By primary key, then expiry: offered both, the planner may scan every live key by expiry.
        // Each key's message by its id, one at a time (see the accept statement's `live`).
        `ARRAY(SELECT encode(d.key, 'hex')
           FROM (SELECT * FROM dedupe_keys WHERE key = ANY(${p.add(query.dedupeKeys)}::bytea[]) OFFSET 0) d
           WHERE d.expires_at >= now()
             AND (SELECT m.status FROM messages m WHERE m.id = d.message_id)
                 <> ALL(${p.add(RESUBMITTABLE_STATUSES)}::text[]))`
      : `ARRAY[]::text[]`;
  return `${accountQueued} AS account_queued, ${backlog} AS backlog, ${replayed} AS replayed_keys`;
}

/** The facts one row of {@link admissionColumns} holds. */
export function toAdmissionFacts(row: Row | undefined): AdmissionFacts {
  return {
    accountQueued: Number(row?.account_queued ?? 0),
    backlog: Number(row?.backlog ?? 0),
    replayedKeys: new Set((row?.replayed_keys as string[] | undefined) ?? []),
  };
}
