import { useState } from 'preact/hooks';
import type { WebhookDelivery, WebhookEndpoint } from '@telenexus/api-contract';
import {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  SUBSCRIBABLE_WEBHOOK_EVENT_TYPES,
  WEBHOOK_DELIVERY_STATUSES,
  type SubscribableWebhookEventType,
} from '@telenexus/core';
import { ApiError, describeError } from '../api/api-error';
import { DateTime } from '../components/date-time';
import { ConfirmDialog, Dialog } from '../components/dialog';
import { CheckboxGroup, FormActions, SelectField, TextField } from '../components/form-fields';
import { PageTitle } from '../components/layout';
import { LoadMoreButton } from '../components/load-more-button';
import { ErrorNotice, InfoNotice, Loading } from '../components/notice';
import { SecretOnceDialog } from '../components/secret-once-dialog';
import { Badge, StatusBadge } from '../components/status-badge';
import { useConsole } from '../console-context';
import { humanize } from '../format/format';
import { useCursorPages } from '../hooks/use-cursor-pages';
import { useResource } from '../hooks/use-resource';
import { EndpointCircuitNotice } from './endpoint-circuit-notice';
import { EndpointTest } from './endpoint-test';
import { ReplayForm } from './webhook-replay-form';

const EVENT_HINTS: Readonly<Record<SubscribableWebhookEventType, string>> = {
  'message.queued':
    'Opt-in: a notification was accepted and queued (a scheduled one: when its send_at came). One more delivery per message; leave it off unless you need it.',
  'message.sent': 'WhatsApp accepted the message.',
  'message.delivered': "The message reached the customer's phone.",
  'message.read': 'The customer opened it.',
  'message.failed': 'It could not be sent; the event says why.',
  'message.expired': 'It could only have gone out after its expiry, so it was not sent.',
  'message.canceled': 'A payment confirmation made it unnecessary before it was sent.',
  'instance.disconnected':
    'An instance lost its WhatsApp connection; nothing is accepted for it until it is back.',
  'instance.connected': 'An instance has its WhatsApp connection back.',
  'message.received':
    'A customer wrote to your number (a reply like "I paid"), with the invoice of the last message sent to them.',
};

function CreateEndpointForm({
  onCreated,
  onCancel,
}: {
  onCreated: (secret: string) => void;
  onCancel: () => void;
}) {
  const { api } = useConsole();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<ReadonlySet<SubscribableWebhookEventType>>(
    new Set(DEFAULT_WEBHOOK_EVENT_TYPES),
  );
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (events.size === 0) {
      setError(new ApiError('Choose at least one event.', 400));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createWebhookEndpoint({
        url: url.trim(),
        description: description.trim(),
        events: SUBSCRIBABLE_WEBHOOK_EVENT_TYPES.filter((type) => events.has(type)),
      });
      onCreated(created.secret);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        label="URL"
        type="url"
        value={url}
        onValue={setUrl}
        required
        placeholder="https://billing.example.com/telenexus/webhooks"
        hint="An https address on the public internet. Telenexus POSTs a signed JSON event to it."
        autofocus
      />
      <TextField
        label="Description"
        value={description}
        onValue={setDescription}
        optional
        maxLength={500}
        placeholder="WISPMAN"
      />
      <CheckboxGroup
        legend="Events"
        options={SUBSCRIBABLE_WEBHOOK_EVENT_TYPES}
        selected={events}
        onSelected={setEvents}
        hints={EVENT_HINTS}
      />
      <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
      <FormActions submitLabel="Add endpoint" busyLabel="Adding…" busy={busy} onCancel={onCancel} />
    </form>
  );
}

function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { api } = useConsole();
  const [status, setStatus] = useState('');
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const pages = useCursorPages(
    (cursor) => api.listWebhookDeliveries(endpoint.id, { status, cursor }),
    [api, endpoint.id, status],
  );
  const { first, items: rows } = pages;

  const retry = async (delivery: WebhookDelivery): Promise<void> => {
    setError(undefined);
    setNotice(undefined);
    try {
      await api.retryWebhookDelivery(delivery.id);
      setNotice(`The ${delivery.event_type} delivery will be sent again now.`);
      await first.reload();
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <div class="deliveries">
      <div class="list-toolbar">
        <SelectField
          label="Delivery status"
          value={status}
          onValue={setStatus}
          options={[
            { value: '', label: 'Any status' },
            ...WEBHOOK_DELIVERY_STATUSES.map((value) => ({ value, label: humanize(value) })),
          ]}
        />
        <button type="button" class="button button-small" onClick={() => void first.reload()}>
          Refresh
        </button>
      </div>
      {notice && <InfoNotice>{notice}</InfoNotice>}
      <ErrorNotice message={error ?? pages.moreError ?? first.error} />
      {first.loading && !first.data && <Loading what="deliveries" />}
      {first.data && rows.length === 0 && <p>No deliveries yet.</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table responsive-table">
            <caption class="visually-hidden">Deliveries to {endpoint.url}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((delivery) => (
                <tr key={delivery.id}>
                  <td data-label="Created">
                    <DateTime value={delivery.created_at} />
                  </td>
                  <td data-label="Event">{delivery.event_type}</td>
                  <td data-label="Status">
                    <StatusBadge status={delivery.status} />
                  </td>
                  <td data-label="Attempts">{delivery.attempts}</td>
                  <td data-label="Last answer">
                    {delivery.last_status_code !== null ? `HTTP ${delivery.last_status_code}` : 'None yet'}
                    {delivery.last_error && <span class="muted"> — {delivery.last_error}</span>}
                  </td>
                  <td data-label="Actions" class="actions">
                    {delivery.status === 'failed' && (
                      <button type="button" class="button button-small" onClick={() => void retry(delivery)}>
                        Retry<span class="visually-hidden"> the {delivery.event_type} delivery</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages.cursor && <LoadMoreButton loading={pages.loadingMore} onLoad={() => void pages.loadMore()} />}
    </div>
  );
}

type PendingAction = { readonly kind: 'delete' | 'rotate'; readonly endpoint: WebhookEndpoint };

/**
 * Status webhooks: the billing system's endpoints Telenexus POSTs to when a message is sent,
 * delivered, read or fails, their signing secrets (shown once) and every delivery.
 */
export function WebhooksPage() {
  const { api } = useConsole();
  const endpoints = useResource(() => api.listWebhookEndpoints(), [api]);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const [pending, setPending] = useState<PendingAction | undefined>(undefined);
  const [openDeliveries, setOpenDeliveries] = useState<string | undefined>(undefined);
  const [replaying, setReplaying] = useState<WebhookEndpoint | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const rows = endpoints.data?.data ?? [];

  const setEnabled = async (endpoint: WebhookEndpoint, enabled: boolean): Promise<void> => {
    setError(undefined);
    try {
      await api.updateWebhookEndpoint(endpoint.id, { enabled });
      await endpoints.reload();
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <>
      <div class="page-head">
        <PageTitle>Webhooks</PageTitle>
        <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
          Add endpoint
        </button>
      </div>
      <p class="lead">
        Telenexus tells your billing system when a message is sent, delivered, read or failed by POSTing a
        signed event to these endpoints, and retries for a day until it answers 2xx.
      </p>
      <ErrorNotice message={error ?? endpoints.error} />
      {endpoints.loading && !endpoints.data && <Loading what="webhook endpoints" />}
      {endpoints.data && rows.length === 0 && <p>No endpoints yet.</p>}
      <ul class="card-list">
        {rows.map((endpoint) => (
          <li key={endpoint.id} class="card">
            <div class="card-head">
              <h2 class="card-title">
                <code>{endpoint.url}</code>
              </h2>
              {endpoint.circuit.state === 'disabled' && endpoint.enabled ? (
                <Badge tone="bad">Disabled for failing</Badge>
              ) : (
                <Badge tone={endpoint.enabled ? 'good' : 'neutral'}>
                  {endpoint.enabled ? 'Enabled' : 'Disabled'}
                </Badge>
              )}
            </div>
            {endpoint.description && <p>{endpoint.description}</p>}
            <p class="muted">
              Events: {endpoint.events.join(', ')} · added <DateTime value={endpoint.created_at} />
            </p>
            {endpoint.previous_secret_expires_at && (
              <p class="muted">
                The secret replaced by the last rotation also signs until{' '}
                <DateTime value={endpoint.previous_secret_expires_at} />.
              </p>
            )}
            <EndpointCircuitNotice endpoint={endpoint} onEnable={() => void setEnabled(endpoint, true)} />
            <div class="actions">
              <button
                type="button"
                class="button button-small"
                aria-expanded={openDeliveries === endpoint.id}
                onClick={() => setOpenDeliveries(openDeliveries === endpoint.id ? undefined : endpoint.id)}
              >
                {openDeliveries === endpoint.id ? 'Hide deliveries' : 'Show deliveries'}
              </button>
              <button
                type="button"
                class="button button-small"
                disabled={!endpoint.enabled}
                title={endpoint.enabled ? undefined : 'Enable the endpoint to replay events to it'}
                onClick={() => setReplaying(endpoint)}
              >
                Replay<span class="visually-hidden"> events to {endpoint.url}</span>
              </button>
              <button
                type="button"
                class="button button-small"
                onClick={() => void setEnabled(endpoint, !endpoint.enabled)}
              >
                {endpoint.enabled ? 'Disable' : 'Enable'}
              </button>
              <button
                type="button"
                class="button button-small"
                onClick={() => setPending({ kind: 'rotate', endpoint })}
              >
                Rotate secret
              </button>
              <button
                type="button"
                class="button button-small button-danger"
                onClick={() => setPending({ kind: 'delete', endpoint })}
              >
                Delete
              </button>
            </div>
            <EndpointTest endpoint={endpoint} />
            {openDeliveries === endpoint.id && <Deliveries endpoint={endpoint} />}
          </li>
        ))}
      </ul>

      <Dialog open={creating} title="Add webhook endpoint" onClose={() => setCreating(false)}>
        <CreateEndpointForm
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setSecret(created);
            void endpoints.reload();
          }}
        />
      </Dialog>

      <Dialog open={replaying !== undefined} title="Replay events" onClose={() => setReplaying(undefined)}>
        {replaying && <ReplayForm endpoint={replaying} onClose={() => setReplaying(undefined)} />}
      </Dialog>

      <SecretOnceDialog
        title="Signing secret"
        label="signing secret"
        secret={secret}
        onClose={() => setSecret(undefined)}
      >
        <p class="hint">
          Deliveries follow Standard Webhooks: verify each POST's <code>webhook-signature</code> with this
          secret using the official Standard Webhooks library for your language (see the README).
        </p>
      </SecretOnceDialog>

      <ConfirmDialog
        open={pending !== undefined}
        title={pending?.kind === 'rotate' ? 'Rotate the signing secret?' : 'Delete this endpoint?'}
        confirmLabel={pending?.kind === 'rotate' ? 'Rotate secret' : 'Delete endpoint'}
        danger
        onCancel={() => setPending(undefined)}
        onConfirm={async () => {
          if (!pending) return;
          if (pending.kind === 'rotate') {
            const rotated = await api.rotateWebhookSecret(pending.endpoint.id);
            setPending(undefined);
            setSecret(rotated.secret);
          } else {
            await api.deleteWebhookEndpoint(pending.endpoint.id);
            setPending(undefined);
          }
          await endpoints.reload();
        }}
      >
        {pending?.kind === 'rotate' ? (
          <p>
            The old secret keeps signing beside the new one for a while (24 hours unless the operator set
            otherwise; the endpoint shows until when), then it is erased: update your receiver within it.
          </p>
        ) : (
          <p>Deliveries still pending to {pending?.endpoint.url} are given up. This cannot be undone.</p>
        )}
      </ConfirmDialog>
    </>
  );
}
