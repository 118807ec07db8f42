import { useState } from 'preact/hooks';
import type { ApiKey } from '@telenexus/api-contract';
import { PERMISSIONS, type Permission } from '@telenexus/core';
import { ApiError, describeError } from '../api/api-error';
import { DateTime } from '../components/date-time';
import { ConfirmDialog, Dialog } from '../components/dialog';
import { CheckboxGroup, FormActions, TextField } from '../components/form-fields';
import { PageTitle } from '../components/layout';
import { ErrorNotice, InfoNotice, Loading } from '../components/notice';
import { SecretOnceDialog } from '../components/secret-once-dialog';
import { Badge } from '../components/status-badge';
import { useConsole } from '../console-context';
import { PERMISSION_HINTS } from '../format/format';
import { useResource } from '../hooks/use-resource';

type PendingAction = { readonly kind: 'revoke' | 'rotate'; readonly key: ApiKey };

interface Shown {
  readonly title: string;
  readonly key: string;
}

function CreateKeyForm({ onCreated, onCancel }: { onCreated: (shown: Shown) => void; onCancel: () => void }) {
  const { api } = useConsole();
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<ReadonlySet<Permission>>(new Set(['send_message']));
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!name.trim()) {
      setError(new ApiError('Give the key a name, for example "WISPMAN Integration".', 400));
      return;
    }
    if (permissions.size === 0) {
      setError(new ApiError('Choose at least one permission.', 400));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createApiKey(
        name.trim(),
        PERMISSIONS.filter((permission) => permissions.has(permission)),
      );
      onCreated({ title: `API key "${created.name}" created`, key: created.key });
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(describeError(caught), 0));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        label="Name"
        value={name}
        onValue={setName}
        required
        maxLength={200}
        placeholder="WISPMAN Integration"
        hint="Who or what will use it, so you recognise it in the list later."
        autofocus
      />
      <CheckboxGroup
        legend="Permissions"
        options={PERMISSIONS}
        selected={permissions}
        onSelected={setPermissions}
        hints={PERMISSION_HINTS}
      />
      <ErrorNotice message={error?.message} problems={error?.fieldProblems} />
      <FormActions submitLabel="Create" busyLabel="Creating…" busy={busy} onCancel={onCancel} />
    </form>
  );
}

function keyLabel(key: ApiKey): string {
  return `${key.prefix}…${key.last4}`;
}

/**
 * The guide's API Keys page: every key of the account (never the key itself), creating one (shown
 * once), revoking and rotating.
 */
export function ApiKeysPage() {
  const { api } = useConsole();
  const keys = useResource(() => api.listApiKeys(), [api]);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const [pending, setPending] = useState<PendingAction | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  const confirmPending = async (): Promise<void> => {
    if (!pending) return;
    if (pending.kind === 'revoke') {
      await api.revokeApiKey(pending.key.id);
      setDone(
        `The key "${pending.key.name}" (${keyLabel(pending.key)}) is revoked. It stops working at once.`,
      );
    } else {
      const replacement = await api.rotateApiKey(pending.key.id, 0);
      setShown({ title: `New key for "${replacement.name}"`, key: replacement.key });
      setDone(`The key "${pending.key.name}" was rotated: the old one stopped working.`);
    }
    setPending(undefined);
    await keys.reload();
  };

  const rows = keys.data?.data ?? [];

  return (
    <>
      <div class="page-head">
        <PageTitle>API Keys</PageTitle>
        <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
          Create API Key
        </button>
      </div>
      <p class="lead">
        Billing systems authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>. Give each system
        its own key with only <code>send_message</code> (and <code>receive_message</code> if it reads
        replies).
      </p>
      {done && <InfoNotice>{done}</InfoNotice>}
      <ErrorNotice message={keys.error} />
      {keys.loading && !keys.data && <Loading what="API keys" />}
      {keys.data && (
        <div class="table-wrap">
          <table class="table responsive-table">
            <caption class="visually-hidden">API keys of this account</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Permissions</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((key) => (
                <tr key={key.id} data-key-id={key.id}>
                  <td data-label="Name">{key.name}</td>
                  <td data-label="Key">
                    <code>{keyLabel(key)}</code>
                  </td>
                  <td data-label="Permissions">{key.permissions.join(', ')}</td>
                  <td data-label="Status">
                    <Badge tone={key.status === 'active' ? 'good' : 'neutral'}>
                      {key.status === 'active' ? 'Active' : key.status === 'revoked' ? 'Revoked' : 'Expired'}
                    </Badge>
                  </td>
                  <td data-label="Created">
                    <DateTime value={key.created_at} />
                  </td>
                  <td data-label="Last used">
                    {key.last_used_at ? <DateTime value={key.last_used_at} /> : 'Never'}
                  </td>
                  <td data-label="Actions" class="actions">
                    {key.status === 'active' && (
                      <>
                        <button
                          type="button"
                          class="button button-small"
                          onClick={() => setPending({ kind: 'rotate', key })}
                        >
                          Rotate<span class="visually-hidden"> {key.name}</span>
                        </button>
                        <button
                          type="button"
                          class="button button-small button-danger"
                          onClick={() => setPending({ kind: 'revoke', key })}
                        >
                          Revoke<span class="visually-hidden"> {key.name}</span>
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Dialog open={creating} title="Create API Key" onClose={() => setCreating(false)}>
        <CreateKeyForm
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setDone(undefined);
            setShown(created);
            void keys.reload();
          }}
        />
      </Dialog>

      <SecretOnceDialog
        title={shown?.title ?? ''}
        label="API key"
        secret={shown?.key}
        onClose={() => setShown(undefined)}
      >
        <p class="hint">
          Use it as <code>Authorization: Bearer &lt;API key&gt;</code>. The endpoint URL and instance ID are
          on each instance's API Integration tab.
        </p>
      </SecretOnceDialog>

      <ConfirmDialog
        open={pending !== undefined}
        title={pending?.kind === 'rotate' ? 'Rotate this key?' : 'Revoke this key?'}
        confirmLabel={pending?.kind === 'rotate' ? 'Rotate key' : 'Revoke key'}
        danger
        onConfirm={confirmPending}
        onCancel={() => setPending(undefined)}
      >
        {pending && (
          <p>
            {pending.kind === 'rotate'
              ? `A new key with the same name and permissions replaces "${pending.key.name}" (${keyLabel(pending.key)}); the old one stops working at once. Update every system that uses it.`
              : `"${pending.key.name}" (${keyLabel(pending.key)}) stops working at once. Billing systems using it will get 401 answers.`}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
