import { Fragment } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Message, MessageWithTimeline } from '@telenexus/api-contract';
import {
  DIRECTIONS,
  FAILURE_REASON_CODES,
  CANCELABLE_STATUSES,
  FINAL_STATUSES,
  MESSAGE_STATUSES,
  MESSAGE_TYPES,
} from '@telenexus/core';
import { describeError } from '../../api/api-error';
import type { MessageFilters } from '../../api/api-client';
import { DateTime } from '../../components/date-time';
import { ConfirmDialog, Dialog } from '../../components/dialog';
import { CheckboxField, SelectField, TextField } from '../../components/form-fields';
import { LoadMoreButton } from '../../components/load-more-button';
import { ErrorNotice, Loading } from '../../components/notice';
import { StatusBadge } from '../../components/status-badge';
import { useConsole } from '../../console-context';
import { formatAmount, humanize } from '../../format/format';
import { useInterval } from '../../hooks/use-interval';
import { useResource } from '../../hooks/use-resource';

const PAGE_SIZE = 50;
/** The API's largest page: a refresh reloads at most this many of the rows already shown. */
const MAX_PAGE_SIZE = 200;
/** Receipts arrive within seconds of a send; this is often enough to watch them come in. */
const REFRESH_MS = 2000;
/** No receipt will change these any more. */

const EMPTY_FILTERS: Required<MessageFilters> = {
  direction: '',
  status: '',
  message_type: '',
  reason_code: '',
  invoice_id: '',
  phone_number: '',
  from: '',
  to: '',
};

const anyOption = (label: string) => ({ value: '', label });

function Filters({ onApply }: { onApply: (filters: MessageFilters) => void }) {
  const [draft, setDraft] = useState<Required<MessageFilters>>(EMPTY_FILTERS);
  const set =
    <K extends keyof MessageFilters>(name: K) =>
    (value: string): void =>
      setDraft({ ...draft, [name]: value });

  return (
    <form
      class="filters"
      aria-label="Message filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply({
          ...draft,
          invoice_id: draft.invoice_id.trim(),
          phone_number: draft.phone_number.trim(),
        });
      }}
    >
      <SelectField
        label="Direction"
        value={draft.direction}
        onValue={set('direction')}
        options={[
          anyOption('Any direction'),
          ...DIRECTIONS.map((value) => ({ value, label: humanize(value) })),
        ]}
      />
      <SelectField
        label="Status"
        value={draft.status}
        onValue={set('status')}
        options={[
          anyOption('Any status'),
          ...MESSAGE_STATUSES.map((value) => ({ value, label: humanize(value) })),
        ]}
      />
      <SelectField
        label="Type"
        value={draft.message_type}
        onValue={set('message_type')}
        options={[
          anyOption('Any type'),
          ...MESSAGE_TYPES.map((value) => ({ value, label: humanize(value) })),
        ]}
      />
      <SelectField
        label="Failure reason"
        value={draft.reason_code}
        onValue={set('reason_code')}
        options={[
          anyOption('Any reason'),
          ...FAILURE_REASON_CODES.map((value) => ({ value, label: humanize(value) })),
        ]}
      />
      <TextField label="Invoice" value={draft.invoice_id} onValue={set('invoice_id')} placeholder="INV-001" />
      <TextField
        label="Phone number"
        type="tel"
        value={draft.phone_number}
        onValue={set('phone_number')}
        placeholder="254712345678"
      />
      <TextField label="From date" type="date" value={draft.from} onValue={set('from')} />
      <TextField
        label="To date"
        type="date"
        value={draft.to}
        onValue={set('to')}
        hint="Inclusive; whole days in UTC."
      />
      <div class="filter-actions">
        <button type="submit" class="button button-primary">
          Apply filters
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            setDraft(EMPTY_FILTERS);
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

export function MessageDetail({ messageId, live }: { messageId: string; live: boolean }) {
  const { api, readOnly } = useConsole();
  const message = useResource<MessageWithTimeline>(() => api.getMessage(messageId), [api, messageId]);
  const [canceling, setCanceling] = useState(false);
  const data = message.data;
  useInterval(
    message.reload,
    REFRESH_MS,
    live && data !== undefined && !FINAL_STATUSES.includes(data.status),
  );

  if (!data) return message.error ? <ErrorNotice message={message.error} /> : <Loading what="the message" />;
  return (
    <div class="message-detail">
      <ErrorNotice message={message.error} />
      <dl class="details">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={data.status} />
        </dd>
        <dt>Direction</dt>
        <dd>{humanize(data.direction)}</dd>
        {data.message_type && (
          <>
            <dt>Type</dt>
            <dd>{humanize(data.message_type)}</dd>
          </>
        )}
        <dt>Phone number</dt>
        <dd>{data.phone_number}</dd>
        {data.customer_name && (
          <>
            <dt>Customer</dt>
            <dd>{data.customer_name}</dd>
          </>
        )}
        {data.invoice_id && (
          <>
            <dt>Invoice</dt>
            <dd>{data.invoice_id}</dd>
          </>
        )}
        {data.amount !== null && (
          <>
            <dt>Amount</dt>
            <dd>{formatAmount(data.amount, data.currency)}</dd>
          </>
        )}
        {data.due_date && (
          <>
            <dt>Due date</dt>
            <dd>{data.due_date}</dd>
          </>
        )}
        {data.send_at && (
          <>
            <dt>Send at</dt>
            <dd>
              <DateTime value={data.send_at} />
            </dd>
          </>
        )}
        <dt>Attempts</dt>
        <dd>{data.attempts}</dd>
        {data.reason_code && (
          <>
            <dt>Failure reason</dt>
            <dd>{humanize(data.reason_code)}</dd>
          </>
        )}
        {data.last_error && (
          <>
            <dt>Last error</dt>
            <dd>{data.last_error}</dd>
          </>
        )}
        <dt>Message ID</dt>
        <dd>
          <code>{data.id}</code>
        </dd>
        {data.metadata &&
          Object.entries(data.metadata).map(([key, value]) => (
            <Fragment key={key}>
              <dt>
                <code>{key}</code>
              </dt>
              <dd>{value === null ? 'null' : String(value)}</dd>
            </Fragment>
          ))}
      </dl>
      {!readOnly && data.direction === 'outgoing' && CANCELABLE_STATUSES.includes(data.status) && (
        <p>
          <button type="button" class="button button-small button-danger" onClick={() => setCanceling(true)}>
            Cancel this message
          </button>
        </p>
      )}
      <ConfirmDialog
        open={canceling}
        title="Cancel this message?"
        confirmLabel="Cancel the message"
        danger
        onConfirm={async () => {
          await api.cancelMessage(messageId);
          setCanceling(false);
          await message.reload();
        }}
        onCancel={() => setCanceling(false)}
      >
        <p>It will not be sent. A message already on its way to WhatsApp cannot be taken back.</p>
      </ConfirmDialog>
      {data.text && (
        <>
          <h3>Text</h3>
          <pre class="message-text">{data.text}</pre>
        </>
      )}
      <h3>Timeline</h3>
      <ol class="timeline" aria-label="Timeline, oldest first">
        {data.events.map((event, index) => (
          <li
            key={`${event.created_at}-${index}`}
            data-event-type={event.type}
            data-event-status={event.status ?? ''}
          >
            <DateTime value={event.created_at} />
            <span class="timeline-type">{humanize(event.type)}</span>
            {event.status && <StatusBadge status={event.status} />}
            {event.detail && <span class="timeline-detail">{event.detail}</span>}
          </li>
        ))}
      </ol>
      <button type="button" class="button button-small" onClick={() => void message.reload()}>
        Refresh
      </button>
    </div>
  );
}

/**
 * The guide's Messages tab: the instance's messages newest first, filtered, a page at a time, with
 * an auto-refresh to watch receipts arrive, and each message's timeline on demand.
 */
export function MessagesTab({ instanceId }: { instanceId: string }) {
  const { api } = useConsole();
  const [filters, setFilters] = useState<MessageFilters>({});
  const [messages, setMessages] = useState<readonly Message[] | undefined>(undefined);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [selected, setSelected] = useState<Message | undefined>(undefined);
  const generation = useRef(0);
  const shown = useRef(0);
  shown.current = messages?.length ?? 0;

  /** Reloads from the newest, keeping as many rows as are shown (within one page of the API). */
  const refresh = useCallback(
    async (reset: boolean): Promise<void> => {
      const request = ++generation.current;
      const limit = reset ? PAGE_SIZE : Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, shown.current));
      try {
        const page = await api.listMessages(instanceId, filters, { limit });
        if (request !== generation.current) return;
        setMessages(page.data);
        setNextCursor(page.next_cursor);
        setError(undefined);
      } catch (caught) {
        if (request === generation.current) setError(describeError(caught));
      }
    },
    [api, instanceId, filters],
  );

  useEffect(() => {
    setMessages(undefined);
    void refresh(true);
  }, [refresh]);

  useInterval(
    () => (document.hidden ? Promise.resolve() : refresh(false)),
    REFRESH_MS,
    autoRefresh && messages !== undefined,
  );

  const loadMore = async (): Promise<void> => {
    if (!nextCursor) return;
    const request = generation.current;
    setLoadingMore(true);
    try {
      const page = await api.listMessages(instanceId, filters, { cursor: nextCursor, limit: PAGE_SIZE });
      if (request !== generation.current) return;
      setMessages([...(messages ?? []), ...page.data]);
      setNextCursor(page.next_cursor);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <>
      <h2>Messages</h2>
      <Filters onApply={setFilters} />
      <div class="list-toolbar">
        <CheckboxField
          label={`Auto-refresh every ${REFRESH_MS / 1000} seconds`}
          checked={autoRefresh}
          onChecked={setAutoRefresh}
        />
        <button type="button" class="button button-small" onClick={() => void refresh(false)}>
          Refresh now
        </button>
      </div>
      <ErrorNotice message={error} />
      {messages === undefined && !error && <Loading what="messages" />}
      {messages !== undefined && messages.length === 0 && (
        <p>
          No messages match these filters yet. Send one with the cURL example from the API Integration tab.
        </p>
      )}
      {messages !== undefined && messages.length > 0 && (
        <div class="table-wrap">
          <table class="table responsive-table messages-table">
            <caption class="visually-hidden">Messages of this instance, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">Direction</th>
                <th scope="col">Type</th>
                <th scope="col">Phone</th>
                <th scope="col">Customer</th>
                <th scope="col">Invoice</th>
                <th scope="col">Amount</th>
                <th scope="col">
                  <span class="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody aria-live="off">
              {messages.map((message) => (
                <tr key={message.id} data-message-id={message.id} data-status={message.status}>
                  <td data-label="Created">
                    <DateTime value={message.created_at} />
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={message.status} />
                  </td>
                  <td data-label="Direction">{humanize(message.direction)}</td>
                  <td data-label="Type">{humanize(message.message_type)}</td>
                  <td data-label="Phone">{message.phone_number}</td>
                  <td data-label="Customer">{message.customer_name ?? '—'}</td>
                  <td data-label="Invoice">{message.invoice_id ?? '—'}</td>
                  <td data-label="Amount">{formatAmount(message.amount, message.currency)}</td>
                  <td data-label="Details" class="actions">
                    <button type="button" class="button button-small" onClick={() => setSelected(message)}>
                      Timeline
                      <span class="visually-hidden">
                        {' '}
                        of the message to {message.phone_number}
                        {message.invoice_id ? ` for ${message.invoice_id}` : ''}
                      </span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && <LoadMoreButton loading={loadingMore} onLoad={() => void loadMore()} />}
      <Dialog
        open={selected !== undefined}
        title={selected ? `Message to ${selected.phone_number}` : 'Message'}
        onClose={() => setSelected(undefined)}
      >
        {selected && <MessageDetail messageId={selected.id} live={autoRefresh} />}
        <div class="dialog-actions">
          <button type="button" class="button" onClick={() => setSelected(undefined)}>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}
