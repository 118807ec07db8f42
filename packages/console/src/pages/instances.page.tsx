import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Instance } from '@telenexus/api-contract';
import { ApiError, describeError } from '../api/api-error';
import { DateTime } from '../components/date-time';
import { Dialog } from '../components/dialog';
import { FormActions, TextField } from '../components/form-fields';
import { PageTitle } from '../components/layout';
import { ErrorNotice, Loading } from '../components/notice';
import { ConnectionBadge } from '../components/status-badge';
import { useConsole } from '../console-context';
import { useResource } from '../hooks/use-resource';
import { paths } from '../routes';

function CreateInstanceForm({
  onCreated,
  onCancel,
}: {
  onCreated: (instance: Instance) => void;
  onCancel: () => void;
}) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [evolutionName, setEvolutionName] = useState('');
  const [country, setCountry] = useState('KE');
  const [timezone, setTimezone] = useState('Africa/Nairobi');
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onCreated(
        await api.createInstance({
          name: name.trim(),
          evolution_instance_name: evolutionName.trim(),
          country: country.trim() || null,
          timezone: timezone.trim() || null,
          ...(token.trim() ? { evolution_token: token.trim() } : {}),
        }),
      );
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <TextField label="Name" value={name} onValue={setName} required placeholder="Billing" autofocus />
      <TextField
        label="Evolution instance name"
        value={evolutionName}
        onValue={setEvolutionName}
        required
        placeholder="billing01"
        hint="The instance paired with the WhatsApp number in Evolution's manager."
      />
      <TextField
        label="Evolution instance token"
        type="password"
        value={token}
        onValue={setToken}
        required
        autoComplete="off"
        hint="The instance's own token, which proves the number is yours: Evolution Manager shows it on the instance (Evolution's create answer calls it hash). Only the operator may leave it empty."
      />
      <TextField
        label="Country"
        value={country}
        onValue={setCountry}
        optional
        maxLength={2}
        hint="Two letters (KE). Local numbers like 0712 345 678 then get this country's code."
      />
      <TextField
        label="Time zone"
        value={timezone}
        onValue={setTimezone}
        optional
        hint="An IANA time zone, used for quiet hours and daily caps (Africa/Nairobi)."
      />
      <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
      <FormActions submitLabel="Create instance" busyLabel="Creating…" busy={busy} onCancel={onCancel} />
    </form>
  );
}

/** The guide's Instances page: each WhatsApp number linked to Telenexus, with its connection. */
export function InstancesPage() {
  const { api, readOnly } = useConsole();
  const { route } = useLocation();
  const instances = useResource(() => api.listInstances(), [api]);
  const [creating, setCreating] = useState(false);
  const rows = instances.data?.data ?? [];

  return (
    <>
      <div class="page-head">
        <PageTitle>Instances</PageTitle>
        {!readOnly && (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            Create instance
          </button>
        )}
      </div>
      <p class="lead">
        Each instance is one WhatsApp number in Evolution. Open one for its API Integration details, its
        messages and its settings.
      </p>
      <ErrorNotice message={instances.error} />
      {instances.loading && !instances.data && <Loading what="instances" />}
      {instances.data && rows.length === 0 && (
        <p>
          {readOnly
            ? 'This account has no instances yet.'
            : 'No instances yet. Create one for the WhatsApp number your billing notifications go out from.'}
        </p>
      )}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table responsive-table">
            <caption class="visually-hidden">Instances of this account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Connection</th>
                <th scope="col">Evolution instance</th>
                <th scope="col">Country</th>
                <th scope="col">Time zone</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((instance) => (
                <tr key={instance.id}>
                  <td data-label="Name">
                    <a href={paths.instance(instance.id)} class="strong-link">
                      {instance.name}
                    </a>
                  </td>
                  <td data-label="Connection">
                    <ConnectionBadge state={instance.connection_state} />
                  </td>
                  <td data-label="Evolution instance">
                    <code>{instance.evolution_instance_name}</code>
                  </td>
                  <td data-label="Country">{instance.country ?? '—'}</td>
                  <td data-label="Time zone">{instance.timezone}</td>
                  <td data-label="Created">
                    <DateTime value={instance.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={creating} title="Create instance" onClose={() => setCreating(false)}>
        <CreateInstanceForm
          onCancel={() => setCreating(false)}
          onCreated={(instance) => {
            setCreating(false);
            route(paths.instance(instance.id));
          }}
        />
      </Dialog>
    </>
  );
}
