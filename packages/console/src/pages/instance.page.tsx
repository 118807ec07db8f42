import { useRoute } from 'preact-iso';
import { PageTitle } from '../components/layout';
import { ErrorNotice, Loading } from '../components/notice';
import { ConnectionBadge } from '../components/status-badge';
import { useConsole } from '../console-context';
import { useResource } from '../hooks/use-resource';
import { paths, type InstanceTab } from '../routes';
import { IntegrationTab } from './instance/integration.tab';
import { MessagesTab } from './instance/messages.tab';
import { OverviewTab } from './instance/overview.tab';
import { QrCodeTab } from './instance/qr-code.tab';
import { QueueTab } from './instance/queue.tab';
import { TemplatesTab } from './instance/templates.tab';

/** `admin`: only admins see the tab (the integration details are for setting up a billing system). */
const TABS: readonly { readonly tab: InstanceTab; readonly label: string; readonly admin?: boolean }[] = [
  { tab: 'overview', label: 'Overview' },
  { tab: 'integration', label: 'API Integration', admin: true },
  { tab: 'qr-code', label: 'QR Code' },
  { tab: 'messages', label: 'Messages' },
  { tab: 'queue', label: 'Queue' },
  { tab: 'templates', label: 'Templates' },
];

/**
 * One instance, in the guide's tabs. Each tab has its own address, so a tab can be bookmarked and
 * the browser's Back button moves between them.
 */
export function InstancePage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { api, readOnly } = useConsole();
  const tabs = TABS.filter((item) => !readOnly || !item.admin);
  const tab: InstanceTab = tabs.find((item) => item.tab === params.tab)?.tab ?? 'overview';
  const instance = useResource(() => api.getInstance(id), [api, id]);
  const data = instance.data?.id === id ? instance.data : undefined;

  return (
    <>
      <p class="breadcrumb">
        <a href={paths.instances}>Instances</a>
      </p>
      <div class="page-head">
        <PageTitle>{data?.name ?? 'Instance'}</PageTitle>
        {data && <ConnectionBadge state={data.connection_state} />}
      </div>
      <ErrorNotice message={instance.error} />
      {instance.loading && !data && <Loading what="the instance" />}
      {data && (
        <>
          <nav aria-label="Instance sections" class="tabs">
            <ul>
              {tabs.map((item) => (
                <li key={item.tab}>
                  <a
                    href={paths.instance(id, item.tab)}
                    class={`tab tab-${item.tab}`}
                    aria-current={item.tab === tab ? 'page' : undefined}
                  >
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <section class="tab-panel" aria-label={tabs.find((item) => item.tab === tab)?.label}>
            {tab === 'overview' && <OverviewTab instance={data} onChanged={() => void instance.reload()} />}
            {tab === 'integration' && <IntegrationTab instanceId={id} instanceName={data.name} />}
            {tab === 'qr-code' && (
              <QrCodeTab
                instanceId={id}
                knownState={data.connection_state}
                onStateChanged={() => void instance.reload()}
              />
            )}
            {tab === 'messages' && <MessagesTab instanceId={id} />}
            {tab === 'queue' && <QueueTab instanceId={id} />}
            {tab === 'templates' && <TemplatesTab instanceId={id} />}
          </section>
        </>
      )}
    </>
  );
}
