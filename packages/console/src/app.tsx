import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { ApiClient } from './api/api-client';
import { Layout } from './components/layout';
import { ConsoleContext, type ConsoleSession } from './console-context';
import { ApiKeysPage } from './pages/api-keys.page';
import { AuditPage } from './pages/audit.page';
import { InstancePage } from './pages/instance.page';
import { InstancesPage } from './pages/instances.page';
import { NotFoundPage } from './pages/not-found.page';
import { SignInPage } from './pages/sign-in.page';
import { WebhooksPage } from './pages/webhooks.page';
import { BASE, paths } from './routes';
import { forgetSession, loadSession, saveSession, type StoredSession } from './session/session-store';

function Home() {
  const { route } = useLocation();
  useEffect(() => route(paths.instances, true), [route]);
  return null;
}

const SIGNED_OUT = 'You have signed out. The API key was removed from this browser tab.';
const KEY_REJECTED =
  'Telenexus no longer accepts the API key you signed in with (it may have been revoked or rotated). Sign in again.';

/** Signed in: the pages. Signed out: the sign-in form, with why when there is a reason. */
export function App() {
  const [stored, setStored] = useState<StoredSession | null>(loadSession);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const session = useMemo<ConsoleSession | null>(() => {
    if (!stored) return null;
    const end = (why: string): void => {
      forgetSession();
      setNotice(why);
      setStored(null);
    };
    return {
      api: new ApiClient(stored.apiKey, () => end(KEY_REJECTED)),
      role: stored.role,
      readOnly: stored.role !== 'admin',
      signOut: () => end(SIGNED_OUT),
    };
  }, [stored]);

  if (!session) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(signedIn) => {
          saveSession(signedIn);
          setNotice(undefined);
          setStored(signedIn);
        }}
      />
    );
  }

  // Support staff's console has no keys, webhooks or audit log: those addresses are not found.
  const adminRoutes = session.readOnly
    ? []
    : [
        <Route key="api-keys" path={`${BASE}/api-keys`} component={ApiKeysPage} />,
        <Route key="webhooks" path={`${BASE}/webhooks`} component={WebhooksPage} />,
        <Route key="audit" path={`${BASE}/audit`} component={AuditPage} />,
      ];

  return (
    <ConsoleContext.Provider value={session}>
      <LocationProvider scope={BASE}>
        <Layout onSignOut={session.signOut}>
          <ErrorBoundary>
            <Router>
              <Route path={`${BASE}/`} component={Home} />
              <Route path={`${BASE}/instances`} component={InstancesPage} />
              <Route path={`${BASE}/instances/:id/:tab?`} component={InstancePage} />
              {adminRoutes}
              <Route default component={NotFoundPage} />
            </Router>
          </ErrorBoundary>
        </Layout>
      </LocationProvider>
    </ConsoleContext.Provider>
  );
}
