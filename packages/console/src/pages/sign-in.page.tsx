import { useState } from 'preact/hooks';
import { ApiClient } from '../api/api-client';
import { ApiError, describeError } from '../api/api-error';
import { TextField } from '../components/form-fields';
import { ErrorNotice, InfoNotice } from '../components/notice';
import type { StoredSession } from '../session/session-store';

/** Keys are `tnx_` and 43 base64url characters; anything else is surely mistyped. */
const KEY_SHAPE = /^tnx_[A-Za-z0-9_-]{20,}$/;

function signInProblem(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'Telenexus does not recognise this key. Check that it is complete and has not been revoked.';
  }
  if (error instanceof ApiError && error.status === 403) {
    return 'This key cannot sign in to the console: it needs the admin or support permission. Billing systems’ keys (send_message, receive_message) are for the API only.';
  }
  return describeError(error);
}

export interface SignInPageProps {
  /** Why the user is here again (signed out, key revoked). */
  readonly notice?: string | undefined;
  readonly onSignedIn: (session: StoredSession) => void;
}

/**
 * Sign-in with an API key that has the admin or the support permission. The sign-in route checks
 * the key and answers its role (support staff get the read-only console); nothing is stored until
 * it passes.
 */
export function SignInPage({ notice, onSignedIn }: SignInPageProps) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const candidate = key.trim();
    if (!KEY_SHAPE.test(candidate)) {
      setError(
        'That does not look like a Telenexus API key: keys start with "tnx_" and are about 47 characters long.',
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const { role } = await new ApiClient(candidate).signIn();
      onSignedIn({ apiKey: candidate, role });
    } catch (caught) {
      setError(signInProblem(caught));
      setBusy(false);
    }
  };

  return (
    <main id="content" class="sign-in">
      <div class="sign-in-card">
        <h1>Sign in to Telenexus</h1>
        {notice && <InfoNotice>{notice}</InfoNotice>}
        <form onSubmit={(event) => void submit(event)} noValidate>
          <TextField
            label="API key"
            type="password"
            value={key}
            onValue={setKey}
            required
            autoComplete="off"
            spellcheck={false}
            autofocus
            hint={
              'A key with the admin permission (npm start prints one as "Admin key"), or a support key for the read-only console.'
            }
          />
          <ErrorNotice message={error} />
          <button type="submit" class="button button-primary button-block" disabled={busy}>
            {busy ? 'Checking the key…' : 'Sign in'}
          </button>
        </form>
        <p class="hint">
          The key is kept only in this browser tab until you sign out or close it. It is never stored in a
          cookie.
        </p>
      </div>
    </main>
  );
}
