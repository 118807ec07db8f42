import { useEffect, useMemo, useState } from 'preact/hooks';
import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { ApiClient } from './api/api-client';
import { Layout } from './components/layout';
import { ConsoleContext, type ConsoleSession } from './console-context';
import { ApiKeysPage } from './pages/api-keys.page';
import { InstancePage } from './pages/instance.page';
import { InstancesPage } from './pages/instances.page';
import { NotFoundPage } from './pages/not-found.page';
import { SignInPage } from './pages/sign-in.page';
import { WebhooksPage } from './pages/webhooks.page';
import { BASE, paths } from './routes';
import { forgetAdminKey, loadAdminKey, saveAdminKey } from './session/admin-key-store';

function Home() {
  const { route } = useLocation();
  useEffect(() => route(paths.instances, true), [route]);
  return null;
}

const SIGNED_OUT = 'You have signed out. The admin key was removed from this browser tab.';
const KEY_REJECTED =
  'Telenexus no longer accepts the admin key you signed in with (it may have been revoked or rotated). Sign in again.';

/** Signed in: the pages. Signed out: the sign-in form, with why when there is a reason. */
export function App() {
  const [adminKey, setAdminKey] = useState<string | null>(loadAdminKey);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const session = useMemo<ConsoleSession | null>(() => {
    if (!adminKey) return null;
    const end = (why: string): void => {
      forgetAdminKey();
      setNotice(why);
      setAdminKey(null);
    };
    return {
      api: new ApiClient(adminKey, () => end(KEY_REJECTED)),
      signOut: () => end(SIGNED_OUT),
    };
  }, [adminKey]);

  if (!session) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(key) => {
          saveAdminKey(key);
          setNotice(undefined);
          setAdminKey(key);
        }}
      />
    );
  }

  return (
    <ConsoleContext.Provider value={session}>
      <LocationProvider scope={BASE}>
        <Layout onSignOut={session.signOut}>
          <ErrorBoundary>
            <Router>
              <Route path={`${BASE}/`} component={Home} />
              <Route path={`${BASE}/instances`} component={InstancesPage} />
              <Route path={`${BASE}/instances/:id/:tab?`} component={InstancePage} />
              <Route path={`${BASE}/api-keys`} component={ApiKeysPage} />
              <Route path={`${BASE}/webhooks`} component={WebhooksPage} />
              <Route default component={NotFoundPage} />
            </Router>
          </ErrorBoundary>
        </Layout>
      </LocationProvider>
    </ConsoleContext.Provider>
  );
}
