import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { paths } from '../routes';

const NAV = [
  { href: paths.instances, label: 'Instances' },
  { href: paths.apiKeys, label: 'API Keys' },
  { href: paths.webhooks, label: 'Webhooks' },
] as const;

/**
 * The frame of every signed-in page: a skip link, the header with the main navigation, and the
 * page in <main>. After each navigation the new page's heading takes focus, so screen readers
 * announce where the user now is.
 */
export function Layout({ onSignOut, children }: { onSignOut: () => void; children: ComponentChildren }) {
  const { path } = useLocation();
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
        <nav aria-label="Main" class="main-nav">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={path.startsWith(item.href) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
            <li>
              <a
                href={paths.queueDashboard}
                target="_blank"
                rel="noopener noreferrer"
                title="Opens the queue dashboard in a new tab; it asks for its own sign-in"
              >
                Queue dashboard<span class="visually-hidden"> (opens in a new tab with its own sign-in)</span>
              </a>
            </li>
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
        <p>
          The <a href={paths.queueDashboard}>queue dashboard</a> has its own sign-in: any user name with an
          admin API key as the password, or the operator credentials (DASHBOARD_USERNAME and
          DASHBOARD_PASSWORD).
        </p>
      </footer>
    </>
  );
}

/** A page's heading, focusable so navigation can move focus to it. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  return <h1 tabIndex={-1}>{children}</h1>;
}
