import { useState } from 'preact/hooks';
import type { BatchSummary, InstanceQueue } from '@telenexus/api-contract';
import type { QueueWaitReason } from '@telenexus/core';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { LoadMoreButton } from '../../components/load-more-button';
import { ErrorNotice, Loading } from '../../components/notice';
import { StatusBadge } from '../../components/status-badge';
import { useConsole } from '../../console-context';
import { humanize } from '../../format/format';
import { useCursorPages } from '../../hooks/use-cursor-pages';
import { useInterval } from '../../hooks/use-interval';
import { useResource } from '../../hooks/use-resource';
import { MessageDetail } from './messages.tab';

/** The counts move as messages go out; every few seconds is enough to watch a run drain. */
const REFRESH_MS = 5000;

const COUNTS: readonly { readonly key: keyof InstanceQueue['counts']; readonly label: string }[] = [
  { key: 'ready', label: 'Ready' },
  { key: 'waiting_for_send_at', label: 'Scheduled (send_at ahead)' },
  { key: 'scheduled', label: 'Waiting (pace, quiet hours, retry)' },
  { key: 'held', label: 'Held (disconnected)' },
  { key: 'in_flight', label: 'In flight' },
  { key: 'failed_last_24h', label: 'Failed, last 24 h' },
];

/** Why the oldest message waits, in the words support staff repeat to a customer. */
const REASONS: Readonly<Record<QueueWaitReason, string>> = {
  ready: 'Ready: it is due, and goes out next',
  pacing: 'Pacing: it waits for its turn (the pace between sends, or the daily cap)',
  quiet_hours: 'Quiet hours: it goes out when they end',
  disconnected: 'Disconnected: it is held until the WhatsApp number reconnects',
  retrying: 'Retrying after an error',
};

function Counts({ counts }: { counts: InstanceQueue['counts'] }) {
  return (
    <dl class="queue-counts" aria-label="Messages by where they are">
      {COUNTS.map(({ key, label }) => (
        <div key={key} data-count={key}>
          <dt>{label}</dt>
          <dd>{counts[key].toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

function OldestWaiting({ oldest }: { oldest: InstanceQueue['oldest_waiting'] }) {
  const [open, setOpen] = useState(false);
  if (!oldest) return <p>Nothing is waiting: every message of this instance has gone out or ended.</p>;
  return (
    <>
      <dl class="details" data-testid="oldest-waiting">
        <dt>Why it waits</dt>
        <dd data-reason={oldest.reason}>{REASONS[oldest.reason]}</dd>
        <dt>Waiting since</dt>
        <dd>
          <DateTime value={oldest.waiting_since} />
        </dd>
        {oldest.scheduled_for && (
          <>
            <dt>Next try</dt>
            <dd>
              <DateTime value={oldest.scheduled_for} />
            </dd>
          </>
        )}
        <dt>Invoice</dt>
        <dd>{oldest.invoice_id ?? '—'}</dd>
        <dt>Type</dt>
        <dd>{humanize(oldest.message_type)}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={oldest.status} />
        </dd>
        <dt>Message ID</dt>
        <dd>
          <code>{oldest.id}</code>{' '}
          <button type="button" class="button button-small" onClick={() => setOpen(true)}>
            Timeline<span class="visually-hidden"> of the oldest waiting message</span>
          </button>
        </dd>
      </dl>
      <Dialog open={open} title="Oldest waiting message" onClose={() => setOpen(false)}>
        {open && <MessageDetail messageId={oldest.id} live />}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}

function ByStatus({ counts }: { counts: BatchSummary['by_status'] }) {
  const entries = Object.entries(counts).filter(([, count]) => count !== undefined && count > 0);
  if (entries.length === 0) return <>—</>;
  return (
    <ul class="inline-list">
      {entries.map(([status, count]) => (
        <li key={status}>
          <StatusBadge status={status} /> {count}
        </li>
      ))}
    </ul>
  );
}

/** The instance's batches, newest first, a page at a time. */
function RecentBatches({ instanceId }: { instanceId: string }) {
  const { api } = useConsole();
  const pages = useCursorPages((cursor) => api.listInstanceBatches(instanceId, cursor), [api, instanceId]);
  const { first, items: batches } = pages;

  return (
    <>
      <ErrorNotice message={first.error ?? pages.moreError} />
      {first.loading && !first.data && <Loading what="batches" />}
      {first.data && batches.length === 0 && <p>No batches yet: this instance has only had single sends.</p>}
      {batches.length > 0 && (
        <div class="table-wrap">
          <table class="table responsive-table" data-testid="batches">
            <caption class="visually-hidden">Batches of this instance, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Batch</th>
                <th scope="col">Notifications</th>
                <th scope="col">Accepted</th>
                <th scope="col">Rejected</th>
                <th scope="col">Their messages now</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr key={batch.id} data-batch-id={batch.id}>
                  <td data-label="Created">
                    <DateTime value={batch.created_at} />
                  </td>
                  <td data-label="Batch">
                    <code>{batch.id}</code>
                  </td>
                  <td data-label="Notifications">{batch.item_count}</td>
                  <td data-label="Accepted">{batch.accepted}</td>
                  <td data-label="Rejected">{batch.rejected}</td>
                  <td data-label="Their messages now">
                    <ByStatus counts={batch.by_status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.cursor && <LoadMoreButton loading={pages.loadingMore} onLoad={() => void pages.loadMore()} />}
    </>
  );
}

/**
 * The instance's queue, scoped to this account: how many messages are ready, scheduled, held, in
 * flight and failed lately, the one that has waited longest and why, and the recent batches. What
 * support staff need from a queue dashboard, refreshed every few seconds.
 */
export function QueueTab({ instanceId }: { instanceId: string }) {
  const { api } = useConsole();
  const queue = useResource(() => api.getInstanceQueue(instanceId), [api, instanceId]);
  useInterval(queue.reload, REFRESH_MS, queue.data !== undefined);
  const data = queue.data;

  return (
    <>
      <h2>Queue</h2>
      <ErrorNotice message={queue.error} />
      {queue.loading && !data && <Loading what="the queue" />}
      {data && (
        <>
          <p class="muted">
            As of <DateTime value={data.as_of} />; refreshed every few seconds.
          </p>
          <Counts counts={data.counts} />
          <h3>Oldest waiting message</h3>
          <OldestWaiting oldest={data.oldest_waiting} />
        </>
      )}
      <h3>Recent batches</h3>
      <RecentBatches instanceId={instanceId} />
    </>
  );
}
