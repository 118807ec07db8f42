import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useConsole } from '../console-context';
import { paths } from '../routes';

/** `admin`: only admins see the entry; support staff's read-only console shows the others. */
const NAV = [
  { href: paths.instances, label: 'Instances', admin: false },
  { href: paths.apiKeys, label: 'API Keys', admin: true },
  { href: paths.webhooks, label: 'Webhooks', admin: true },
  { href: paths.audit, label: 'Audit', admin: true },
] as const;

/**
 * The frame of every signed-in page: a skip link, the header with the main navigation, and the
 * page in <main>. After each navigation the new page's heading takes focus, so screen readers
 * announce where the user now is.
 */
export function Layout({ onSignOut, children }: { onSignOut: () => void; children: ComponentChildren }) {
  const { path } = useLocation();
  const { readOnly } = useConsole();
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path]);

  return (
    <>
      <a class="skip-link" href="#content">
        Skip to content
      </a>
      <header class="site-header">
        <a class="brand" href={paths.instances}>
          Telenexus
        </a>
        {readOnly && (
          <span class="role-marker" title="Signed in with a support key: you can see, not change">
            Support (read-only)
          </span>
        )}
        <nav aria-label="Main" class="main-nav">
          <ul>
            {NAV.filter((item) => !readOnly || !item.admin).map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={path.startsWith(item.href) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
            {/* bull-board shows every account's jobs: operator only, never support staff. */}
            {!readOnly && (
              <li>
                <a
                  href={paths.queueDashboard}
                  target="_blank"
                  rel="noopener noreferrer"
                  title="Opens the queue dashboard in a new tab; it asks for its own sign-in"
                >
                  Queue dashboard
                  <span class="visually-hidden"> (opens in a new tab with its own sign-in)</span>
                </a>
              </li>
            )}
          </ul>
        </nav>
        <button type="button" class="button button-small sign-out" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="content" class="content" tabIndex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        {readOnly ? (
          <p>
            Support (read-only): you see this account's instances, messages, batches and queues. Changes are
            made by the account's admins.
          </p>
        ) : (
          <p>
            The <a href={paths.queueDashboard}>queue dashboard</a> has its own sign-in: any user name with an
            admin API key as the password, or the operator credentials (DASHBOARD_USERNAME and
            DASHBOARD_PASSWORD).
          </p>
        )}
      </footer>
    </>
  );
}

/** A page's heading, focusable so navigation can move focus to it. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  return <h1 tabIndex={-1}>{children}</h1>;
}
