import { useEffect, useRef, useState } from 'preact/hooks';
import type { InstanceConnection } from '@telenexus/api-contract';
import { ApiError, describeError } from '../../api/api-error';
import { DateTime } from '../../components/date-time';
import { ConfirmDialog } from '../../components/dialog';
import { TextField } from '../../components/form-fields';
import { ErrorNotice, InfoNotice, Loading } from '../../components/notice';
import { ConnectionBadge } from '../../components/status-badge';
import { useConsole } from '../../console-context';
import { useInterval } from '../../hooks/use-interval';
import { useResource } from '../../hooks/use-resource';

/** What to do, by state (open shows no form). */
const PROMPTS: Readonly<Record<string, string>> = {
  connecting: 'Pairing: scan the QR code below with WhatsApp on the phone of this number.',
  close:
    'The number is not connected, so no notification is accepted for it. Press Reconnect and scan the QR ' +
    'code with WhatsApp on its phone.',
  unknown:
    'Evolution has not reported this number’s connection yet. If it is not connected, press Reconnect and ' +
    'scan the QR code with WhatsApp on its phone.',
};

/** What support staff are told, by state: they see the connection, an admin pairs the number. */
const READ_ONLY_PROMPTS: Readonly<Record<string, string>> = {
  connecting: 'The number is being paired again; an admin of the account is scanning its QR code.',
  close:
    'The number is not connected: nothing is accepted for it and its queued messages are held. An admin of ' +
    'the account can reconnect it.',
  unknown: 'Evolution has not reported this number’s connection yet.',
};

/** WhatsApp shows a new QR code every 20–60 s; reading every 2 s shows each one, and the scan, at once. */
const POLL_MS = 2_000;

function QrCode({ qr }: { qr: NonNullable<InstanceConnection['qr']> }) {
  return (
    <figure class="qr-code">
      <img
        src={qr.image}
        alt="QR code to scan with WhatsApp on the instance's phone"
        width={264}
        height={264}
      />
      <figcaption>
        On the phone: WhatsApp → <strong>Linked devices</strong> → <strong>Link a device</strong>, then scan
        this code. A new one appears by itself when it expires
        <span class="muted"> (code {qr.count})</span>.
      </figcaption>
      {qr.pairing_code && (
        <p>
          Or choose <strong>Link with phone number instead</strong> and type{' '}
          <code class="pairing-code" aria-label="Pairing code">
            {qr.pairing_code}
          </code>
        </p>
      )}
    </figure>
  );
}

function Timeline({ events }: { events: InstanceConnection['events'] }) {
  if (events.length === 0) return <p class="muted">No connection change recorded yet.</p>;
  return (
    <ol class="timeline" aria-label="Connection changes, newest first">
      {events.map((event, index) => (
        <li key={`${event.at}-${index}`} data-connection-state={event.state}>
          <DateTime value={event.at} />
          <ConnectionBadge state={event.state} />
          <span class="timeline-detail">{event.reason}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * The guide's QR Code tab: the WhatsApp connection with its badge (green open, amber connecting,
 * red closed), Reconnect to pair the number again with a QR code (or a pairing code), and the
 * connection's timeline. While the tab is shown and the number is not connected it reads the
 * connection every couple of seconds, so new QR codes and the scan itself appear by themselves.
 */
export function QrCodeTab({
  instanceId,
  knownState,
  onStateChanged,
}: {
  instanceId: string;
  /** The state the page shows; when the tab learns another, the page is told. */
  knownState: string;
  onStateChanged: () => void;
}) {
  const { api, readOnly } = useConsole();
  const connection = useResource(() => api.getConnection(instanceId), [api, instanceId]);
  const [answer, setAnswerState] = useState<InstanceConnection | undefined>(undefined);
  /** Bumped with every answer, so a reading that began before it does not replace it. */
  const answerGeneration = useRef(0);
  const setAnswer = (value: InstanceConnection): void => {
    answerGeneration.current += 1;
    setAnswerState(value);
  };
  const [number, setNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loggingOut, setLoggingOut] = useState(false);

  // The newest of the last reading and the last answer to Reconnect or Log out.
  const data = answer ?? connection.data;
  const state = data?.state;
  useInterval(
    async () => {
      const generation = answerGeneration.current;
      await connection.reload();
      if (answerGeneration.current === generation) setAnswerState(undefined);
    },
    POLL_MS,
    state !== undefined && state !== 'open',
  );
  useEffect(() => {
    if (state !== undefined && state !== knownState) onStateChanged();
  }, [state, knownState]);

  const reconnect = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setAnswer(await api.connectInstance(instanceId, number.trim() || undefined));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
    } finally {
      setBusy(false);
    }
  };

  const logout = async (): Promise<void> => {
    setAnswer(await api.logoutInstance(instanceId));
    setLoggingOut(false);
  };

  return (
    <>
      <h2>QR Code</h2>
      <ErrorNotice message={connection.error} />
      {connection.loading && !data && <Loading what="the WhatsApp connection" />}
      {data && (
        <>
          <dl class="details">
            <dt>WhatsApp</dt>
            <dd data-testid="connection-state">
              <ConnectionBadge state={data.state} />
            </dd>
          </dl>
          {data.state === 'open' ? (
            <InfoNotice>
              <p>The number is connected: notifications go out through it.</p>
            </InfoNotice>
          ) : readOnly ? (
            // Pairing the number again is for the account's admins; support sees the state only.
            <p>{READ_ONLY_PROMPTS[data.state] ?? READ_ONLY_PROMPTS.close}</p>
          ) : (
            <form class="reconnect" onSubmit={(submitted) => void reconnect(submitted)} noValidate>
              <p>{PROMPTS[data.state] ?? PROMPTS.close}</p>
              <TextField
                label="WhatsApp number"
                type="tel"
                inputMode="numeric"
                value={number}
                onValue={setNumber}
                optional
                placeholder="254712345678"
                hint="Digits with the country code, to get a pairing code to type on the phone instead of scanning."
              />
              <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
              <button type="submit" class="button button-primary" disabled={busy}>
                {busy ? 'Asking Evolution…' : 'Reconnect'}
              </button>
            </form>
          )}
          {data.state !== 'open' && data.qr && <QrCode qr={data.qr} />}
          {data.state === 'connecting' && !data.qr && !readOnly && (
            <p class="loading" role="status">
              Waiting for the QR code…
            </p>
          )}
          <h3>Connection changes</h3>
          <Timeline events={data.events} />
          {data.state !== 'close' && !readOnly && (
            <p>
              <button
                type="button"
                class="button button-small button-danger"
                onClick={() => setLoggingOut(true)}
              >
                Log the number out
              </button>
            </p>
          )}
          <ConfirmDialog
            open={loggingOut}
            title="Log the number out?"
            confirmLabel="Log out"
            danger
            onConfirm={logout}
            onCancel={() => setLoggingOut(false)}
          >
            <p>
              WhatsApp unlinks this number from Evolution. Nothing is accepted for the instance until it is
              paired again with a QR code.
            </p>
          </ConfirmDialog>
        </>
      )}
    </>
  );
}
