import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AuditEvent } from '@telenexus/api-contract';
import { AUDIT_ACTIONS } from '@telenexus/core';
import { describeError } from '../api/api-error';
import { DateTime } from '../components/date-time';
import { SelectField } from '../components/form-fields';
import { PageTitle } from '../components/layout';
import { LoadMoreButton } from '../components/load-more-button';
import { ErrorNotice, Loading } from '../components/notice';
import { Badge } from '../components/status-badge';
import { useConsole } from '../console-context';
import { humanize } from '../format/format';

/** Every kind of target, as a prefix filter (`instance.` = every action on instances). */
const PREFIXES = [...new Set(AUDIT_ACTIONS.map((action) => `${action.split('.')[0]!}.`))];

const ACTION_OPTIONS = [
  { value: '', label: 'Any action' },
  ...PREFIXES.map((prefix) => ({ value: prefix, label: `Any ${humanize(prefix.slice(0, -1))} action` })),
  ...AUDIT_ACTIONS.map((action) => ({ value: action, label: action })),
];

function actorOf(event: AuditEvent): string {
  if (event.actor.kind === 'cli') return 'Operator (command line)';
  if (event.actor.kind === 'system') return 'Telenexus (automatic)';
  return event.actor.api_key_name ?? 'An unknown key';
}

/** Before and after, side by side, as the API recorded them (never a secret: the server drops them). */
function Changes({ event }: { event: AuditEvent }) {
  return (
    <div class="audit-changes">
      {event.detail && <p>{event.detail}</p>}
      {event.changes ? (
        <dl>
          <dt>Before</dt>
          <dd>
            <pre>{event.changes.before ? JSON.stringify(event.changes.before, null, 2) : '—'}</pre>
          </dd>
          <dt>After</dt>
          <dd>
            <pre>{event.changes.after ? JSON.stringify(event.changes.after, null, 2) : '—'}</pre>
          </dd>
        </dl>
      ) : (
        <p class="muted">No settings changed.</p>
      )}
    </div>
  );
}

/**
 * The account's audit log: every management action (keys, instances, webhook endpoints, sign-ins),
 * who did it from where, newest first; each row opens to show what changed.
 */
export function AuditPage() {
  const { api } = useConsole();
  const [action, setAction] = useState('');
  const [rows, setRows] = useState<readonly AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());

  const load = async (after: string | null, shown: readonly AuditEvent[]): Promise<void> => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await api.listAuditEvents({ action, cursor: after });
      setRows([...shown, ...page.data]);
      setCursor(page.next_cursor);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setLoading(false);
    }
  };

  // Another filter starts the list again.
  useEffect(() => {
    void load(null, []);
  }, [api, action]);

  const toggle = (id: string): void => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };

  return (
    <>
      <div class="page-head">
        <PageTitle>Audit</PageTitle>
      </div>
      <p class="lead">
        Every change to this account's keys, instances and webhooks, and every console sign-in, with who made
        it and from where. The log cannot be edited or deleted, and never holds a secret.
      </p>
      <div class="list-toolbar">
        <SelectField label="Action" value={action} onValue={setAction} options={ACTION_OPTIONS} />
        <button type="button" class="button button-small" onClick={() => void load(null, [])}>
          Refresh
        </button>
      </div>
      <ErrorNotice message={error} />
      {loading && rows.length === 0 && <Loading what="audit events" />}
      {!loading && !error && rows.length === 0 && <p>No audit events yet.</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table responsive-table audit-table">
            <caption class="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Target</th>
                <th scope="col">IP address</th>
                <th scope="col">
                  <span class="visually-hidden">Changes</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => {
                const expanded = open.has(event.id);
                const detailsId = `audit-${event.id}`;
                return (
                  <Fragment key={event.id}>
                    <tr>
                      <td data-label="Time">
                        <DateTime value={event.occurred_at} />
                      </td>
                      <td data-label="Actor">{actorOf(event)}</td>
                      <td data-label="Action">
                        <code>{event.action}</code>
                      </td>
                      <td data-label="Outcome">
                        <Badge tone={event.outcome === 'succeeded' ? 'good' : 'bad'}>
                          {humanize(event.outcome)}
                        </Badge>
                      </td>
                      <td data-label="Target">
                        {event.target ? (
                          <>
                            {humanize(event.target.type)} <code>{event.target.id}</code>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td data-label="IP address">{event.client_ip ?? '—'}</td>
                      <td data-label="Changes" class="actions">
                        <button
                          type="button"
                          class="button button-small"
                          aria-expanded={expanded}
                          aria-controls={expanded ? detailsId : undefined}
                          onClick={() => toggle(event.id)}
                        >
                          {expanded ? 'Hide' : 'Show'} changes
                          <span class="visually-hidden"> of {event.action}</span>
                        </button>
                      </td>
                    </tr>
                    {expanded && (
                      <tr id={detailsId} class="audit-details">
                        <td colSpan={7}>
                          <Changes event={event} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {cursor && <LoadMoreButton onLoad={() => void load(cursor, rows)} />}
    </>
  );
}
