import { Fragment } from 'preact';
import { CopyableValue } from '../../components/copy-button';
import { ErrorNotice, Loading } from '../../components/notice';
import { useConsole } from '../../console-context';
import { useResource } from '../../hooks/use-resource';
import { paths } from '../../routes';
import { UrlGatewaySection } from './url-gateway';

/**
 * The guide's API Integration tab: the three things a billing system needs, less the key (which
 * is on the API Keys page), the test cURL of the guide's Step 4, and the URL gateway's template.
 */
export function IntegrationTab({ instanceId, instanceName }: { instanceId: string; instanceName: string }) {
  const { api } = useConsole();
  const integration = useResource(() => api.getIntegration(instanceId), [api, instanceId]);
  const data = integration.data;

  return (
    <>
      <h2>API Integration</h2>
      <p>
        Configure your billing system (WISPMAN, Splynx, your own software) with these values and an API key
        with the <code>send_message</code> permission from the <a href={paths.apiKeys}>API Keys</a> page.
      </p>
      <ErrorNotice message={integration.error} />
      {integration.loading && !data && <Loading what="the integration details" />}
      {data && (
        <>
          <CopyableValue id="api-endpoint-url" label="API Endpoint URL" value={data.api_endpoint_url} />
          <CopyableValue id="instance-id" label="Instance ID" value={data.instance_id} />
          <h3>Request</h3>
          <dl class="details">
            <dt>Method</dt>
            <dd>
              <code>{data.method}</code>
            </dd>
            {Object.entries(data.headers).map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>
                  <code>{value}</code>
                </dd>
              </Fragment>
            ))}
          </dl>
          <h3>Test it</h3>
          <p>
            Run this in a terminal after replacing <code>YOUR_API_KEY</code> with your key, then watch the
            message in the <a href={paths.instance(instanceId, 'messages')}>Messages</a> tab.
          </p>
          <CopyableValue id="curl-example" label="cURL example" value={data.curl_example} multiline />
          <UrlGatewaySection gateway={data.url_gateway} instanceName={instanceName} />
        </>
      )}
    </>
  );
}
