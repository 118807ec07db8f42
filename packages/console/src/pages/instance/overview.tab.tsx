import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Instance, UpdateInstanceRequest } from '@telenexus/api-contract';
import { ApiError, describeError } from '../../api/api-error';
import { DateTime } from '../../components/date-time';
import { ConfirmDialog } from '../../components/dialog';
import { CheckboxField, TextField } from '../../components/form-fields';
import { ErrorNotice, InfoNotice } from '../../components/notice';
import { Badge, ConnectionBadge } from '../../components/status-badge';
import { useConsole } from '../../console-context';
import { paths } from '../../routes';

function describeQuietHours(instance: Instance): string {
  return instance.quiet_hours
    ? `${instance.quiet_hours.start} to ${instance.quiet_hours.end} (${instance.timezone}): nothing is sent inside`
    : 'Off: messages go out at any hour';
}

function describePacing(instance: Instance): string {
  const { min_gap_ms: gap, jitter_ms: jitter, daily_cap: cap } = instance.pacing;
  const pace =
    gap === 0 && jitter === 0
      ? 'No pacing'
      : `At least ${gap / 1000} s between sends, plus up to ${jitter / 1000} s at random`;
  return `${pace}; ${cap === null ? 'no daily cap' : `at most ${cap.toLocaleString()} sends a day`}`;
}

/** Whole numbers only; empty is "not given". */
function wholeNumber(text: string, field: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new ApiError(`${field} must be a whole number, 0 or more.`, 400);
  return value;
}

function EditInstanceForm({ instance, onSaved }: { instance: Instance; onSaved: (message: string) => void }) {
  const { api } = useConsole();
  const [name, setName] = useState(instance.name);
  const [country, setCountry] = useState(instance.country ?? '');
  const [timezone, setTimezone] = useState(instance.timezone);
  const [language, setLanguage] = useState(instance.default_language ?? '');
  const [gap, setGap] = useState(String(instance.pacing.min_gap_ms));
  const [jitter, setJitter] = useState(String(instance.pacing.jitter_ms));
  const [cap, setCap] = useState(instance.pacing.daily_cap === null ? '' : String(instance.pacing.daily_cap));
  const [quiet, setQuiet] = useState(instance.quiet_hours !== null);
  const [quietStart, setQuietStart] = useState(instance.quiet_hours?.start ?? '21:00');
  const [quietEnd, setQuietEnd] = useState(instance.quiet_hours?.end ?? '07:00');
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    try {
      const change: UpdateInstanceRequest = {
        name: name.trim(),
        country: country.trim() || null,
        timezone: timezone.trim(),
        // Empty clears it: notifications without a language then get the built-in English texts.
        default_language: language.trim() || null,
        pacing: {
          min_gap_ms: wholeNumber(gap, 'Minimum gap') ?? 0,
          jitter_ms: wholeNumber(jitter, 'Jitter') ?? 0,
          daily_cap: wholeNumber(cap, 'Daily cap'),
        },
        quiet_hours: quiet ? { start: quietStart, end: quietEnd } : null,
        ...(token.trim() ? { evolution_token: token.trim() } : {}),
      };
      setBusy(true);
      await api.updateInstance(instance.id, change);
      setToken('');
      onSaved('Settings saved.');
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate class="form-grid">
      <TextField label="Name" value={name} onValue={setName} required />
      <TextField
        label="Country"
        value={country}
        onValue={setCountry}
        optional
        maxLength={2}
        hint="Two letters; local numbers (0712…) get this country's code."
      />
      <TextField
        label="Time zone"
        value={timezone}
        onValue={setTimezone}
        hint="IANA name, e.g. Africa/Nairobi."
      />
      <TextField
        label="Default language"
        value={language}
        onValue={setLanguage}
        optional
        maxLength={35}
        hint="BCP 47, e.g. sw; empty: the built-in English texts."
      />
      <TextField
        label="Minimum gap between sends (ms)"
        type="number"
        inputMode="numeric"
        min={0}
        value={gap}
        onValue={setGap}
        hint="3000 by default. WhatsApp bans numbers that send too fast."
      />
      <TextField
        label="Random jitter (ms)"
        type="number"
        inputMode="numeric"
        min={0}
        value={jitter}
        onValue={setJitter}
        hint="Up to this much is added to every gap."
      />
      <TextField
        label="Daily cap"
        type="number"
        inputMode="numeric"
        min={0}
        value={cap}
        onValue={setCap}
        optional
        hint="Sends per local day; empty means no cap."
      />
      <div class="form-span">
        <CheckboxField
          label="Quiet hours"
          checked={quiet}
          onChecked={setQuiet}
          hint="Nothing is sent inside them, in the instance's time zone; messages wait for their end."
        />
      </div>
      {quiet && (
        <>
          <TextField label="Quiet hours start" type="time" value={quietStart} onValue={setQuietStart} />
          <TextField label="Quiet hours end" type="time" value={quietEnd} onValue={setQuietEnd} />
        </>
      )}
      <div class="form-span">
        <TextField
          label="New Evolution token"
          type="password"
          autoComplete="off"
          value={token}
          onValue={setToken}
          optional
          hint={
            instance.has_evolution_token
              ? "A token is stored. Leave empty to keep it; a new one must be this instance's own (Evolution checks it)."
              : "None stored: the operator's global Evolution key is used. Leave empty to keep it so; a token must be this instance's own (Evolution checks it)."
          }
        />
      </div>
      <div class="form-span">
        <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

/** The instance's settings, its Evolution webhook, editing and deleting. */
export function OverviewTab({ instance, onChanged }: { instance: Instance; onChanged: () => void }) {
  const { api, readOnly } = useConsole();
  const { route } = useLocation();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [deleting, setDeleting] = useState(false);
  const [reapplying, setReapplying] = useState(false);
  const webhook = instance.evolution_webhook;

  const reapply = async (): Promise<void> => {
    setReapplying(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const updated = await api.reapplyEvolutionWebhook(instance.id);
      if (updated.evolution_webhook.error) setError(`Evolution refused: ${updated.evolution_webhook.error}`);
      else setNotice("Evolution's webhook points at Telenexus again.");
      onChanged();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setReapplying(false);
    }
  };

  return (
    <>
      {notice && <InfoNotice>{notice}</InfoNotice>}
      <ErrorNotice message={error} />
      <h2>Settings</h2>
      <dl class="details">
        <dt>Instance ID</dt>
        <dd>
          <code>{instance.id}</code>
        </dd>
        <dt>Connection</dt>
        <dd>
          <ConnectionBadge state={instance.connection_state} />{' '}
          {instance.connection_state_at && (
            <span class="muted">
              since <DateTime value={instance.connection_state_at} />
            </span>
          )}
        </dd>
        <dt>Evolution instance</dt>
        <dd>
          <code>{instance.evolution_instance_name}</code>{' '}
          <span class="muted">{instance.has_evolution_token ? '(own token)' : '(global key)'}</span>
        </dd>
        <dt>Country</dt>
        <dd>{instance.country ?? 'None: numbers must carry their country code'}</dd>
        <dt>Time zone</dt>
        <dd>{instance.timezone}</dd>
        <dt>Default language</dt>
        <dd>
          {instance.default_language ? (
            <code>{instance.default_language}</code>
          ) : (
            'None: notifications without a language get the built-in English texts'
          )}
        </dd>
        <dt>Pacing</dt>
        <dd>{describePacing(instance)}</dd>
        <dt>Quiet hours</dt>
        <dd>{describeQuietHours(instance)}</dd>
        <dt>Evolution webhook</dt>
        <dd>
          {webhook.error ? (
            <Badge tone="bad">Not configured</Badge>
          ) : webhook.configured_at ? (
            <Badge tone="good">Configured</Badge>
          ) : (
            <Badge tone="neutral">Not configured yet</Badge>
          )}{' '}
          {webhook.configured_at && (
            <span class="muted">
              on <DateTime value={webhook.configured_at} />
            </span>
          )}
          {webhook.error && <p class="muted">Evolution said: {webhook.error}</p>}
          {!readOnly && (
            <p>
              <button
                type="button"
                class="button button-small"
                disabled={reapplying}
                onClick={() => void reapply()}
              >
                {reapplying ? 'Applying…' : 'Point Evolution’s webhook at Telenexus again'}
              </button>
            </p>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          <DateTime value={instance.created_at} />
        </dd>
      </dl>

      {/* Support staff see the settings; changing or deleting is for the account's admins. */}
      {!readOnly && (
        <>
          <h2>Edit settings</h2>
          <EditInstanceForm
            key={instance.updated_at}
            instance={instance}
            onSaved={(message) => {
              setNotice(message);
              onChanged();
            }}
          />

          <h2>Delete instance</h2>
          <p>
            The instance stops taking and sending messages at once. Its message history stays. Billing systems
            using its ID get 404 answers.
          </p>
          <button type="button" class="button button-danger" onClick={() => setDeleting(true)}>
            Delete instance
          </button>
          <ConfirmDialog
            open={deleting}
            title={`Delete "${instance.name}"?`}
            confirmLabel="Delete instance"
            danger
            onCancel={() => setDeleting(false)}
            onConfirm={async () => {
              await api.deleteInstance(instance.id);
              setDeleting(false);
              route(paths.instances);
            }}
          >
            <p>
              Notifications sent to this instance will be refused and queued ones will not be sent. This
              cannot be undone.
            </p>
          </ConfirmDialog>
        </>
      )}
    </>
  );
}
