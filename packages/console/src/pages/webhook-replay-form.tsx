import { useState } from 'preact/hooks';
import type { WebhookEndpoint, WebhookReplay } from '@telenexus/api-contract';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@telenexus/core';
import { ApiError, describeError } from '../api/api-error';
import { CheckboxGroup, TextField } from '../components/form-fields';
import { ErrorNotice, InfoNotice } from '../components/notice';
import { useConsole } from '../console-context';

/** The answer in one sentence: how many events go out again. */
export function describeReplay(answer: WebhookReplay): string {
  if (answer.replayed === 0)
    return 'No events were addressed to this endpoint in that window: nothing to send.';
  const events = answer.replayed === 1 ? '1 event' : `${answer.replayed.toLocaleString('en')} events`;
  return `${events} queued for redelivery, each with its original event id.`;
}

/** `YYYY-MM-DDTHH:mm` in the browser's zone, as a datetime-local input shows it. */
function localInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A datetime-local value (the browser's zone) as an instant with its offset; undefined if unreadable. */
function instantOf(value: string): string | undefined {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/**
 * "Replay": after the billing system's receiver was down, sends it again every event addressed to
 * it in a window (in the browser's time zone), optionally of some types only, and says how many.
 */
export function ReplayForm({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const { api } = useConsole();
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 24 * 3600_000)));
  const [until, setUntil] = useState('');
  const [types, setTypes] = useState<ReadonlySet<WebhookEventType>>(new Set(WEBHOOK_EVENT_TYPES));
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<WebhookReplay | undefined>(undefined);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const from = instantOf(since);
    const to = until === '' ? undefined : instantOf(until);
    if (!from || (until !== '' && !to)) {
      setError(new ApiError('Enter a date and time for "From" (and for "Until", or leave it empty).', 400));
      return;
    }
    if (types.size === 0) {
      setError(new ApiError('Choose at least one event type.', 400));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(
        await api.replayWebhookEvents(endpoint.id, {
          since: from,
          ...(to ? { until: to } : {}),
          // Every type checked: leave the filter out, so types added later are replayed too.
          ...(types.size === WEBHOOK_EVENT_TYPES.length
            ? {}
            : { types: WEBHOOK_EVENT_TYPES.filter((type) => types.has(type)) }),
        }),
      );
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
    } finally {
      setBusy(false);
    }
  };

  if (answer) {
    return (
      <>
        <InfoNotice>{describeReplay(answer)}</InfoNotice>
        <div class="dialog-actions">
          <button type="button" class="button button-primary" autofocus onClick={onClose}>
            Close
          </button>
        </div>
      </>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <p class="hint">
        Every event addressed to <code>{endpoint.url}</code> in the window is sent again as a new delivery
        with its original event id, whether it was delivered, failed or is still pending: a receiver that
        dedupes on the event id takes each once. At most 30 days per replay. Times are in your browser&apos;s
        time zone.
      </p>
      <TextField label="From" type="datetime-local" value={since} onValue={setSince} required autofocus />
      <TextField
        label="Until"
        type="datetime-local"
        value={until}
        onValue={setUntil}
        optional
        hint="Empty: until now."
      />
      <CheckboxGroup
        legend="Event types"
        options={WEBHOOK_EVENT_TYPES}
        selected={types}
        onSelected={setTypes}
      />
      <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
      <div class="dialog-actions">
        <button type="button" class="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Replaying…' : 'Replay events'}
        </button>
      </div>
    </form>
  );
}
