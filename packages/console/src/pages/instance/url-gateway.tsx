import { useState } from 'preact/hooks';
import type { Integration } from '@telenexus/api-contract';
import { ApiError, describeError } from '../../api/api-error';
import { CopyableValue } from '../../components/copy-button';
import { ErrorNotice } from '../../components/notice';
import { useConsole } from '../../console-context';
import { paths } from '../../routes';

/**
 * The URL gateway's part of the API Integration tab: the `wa_url` phpnuxbill takes, with a
 * placeholder where the key goes, and (for admins) a `send_text` key made for it and filled in,
 * shown this once like every new key.
 */
export function UrlGatewaySection({
  gateway,
  instanceName,
}: {
  gateway: Integration['url_gateway'];
  instanceName: string;
}) {
  const { api, readOnly } = useConsole();
  const [filled, setFilled] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const createKey = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createApiKey(`URL gateway: ${instanceName}`.slice(0, 200), [
        gateway.permission,
      ]);
      setFilled(gateway.url_template.replace(gateway.key_placeholder, encodeURIComponent(created.key)));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3>URL gateway (phpnuxbill and other URL templates)</h3>
      <p>
        For billing systems that can only fill a URL and fetch it. In phpnuxbill, paste it as the WhatsApp
        server URL (<code>wa_url</code>): it puts the customer's number where <code>[number]</code> stands and
        the text where <code>[text]</code> stands. The key in it needs the <code>{gateway.permission}</code>{' '}
        permission, which opens nothing else.
      </p>
      {filled ? (
        <>
          <p>
            A <code>{gateway.permission}</code> key was created for this URL and is in it. It is shown only
            now: copy the URL before leaving the page. Revoke the key on the{' '}
            <a href={paths.apiKeys}>API Keys</a> page.
          </p>
          <CopyableValue id="gateway-url" label="WhatsApp server URL (wa_url)" value={filled} multiline />
        </>
      ) : (
        <>
          <CopyableValue
            id="gateway-url-template"
            label={`URL template (replace ${gateway.key_placeholder})`}
            value={gateway.url_template}
            multiline
          />
          {!readOnly && (
            <p>
              <button type="button" id="gateway-create-key" disabled={busy} onClick={() => void createKey()}>
                {busy ? 'Creating a key…' : `Create a ${gateway.permission} key and fill it in`}
              </button>
            </p>
          )}
        </>
      )}
      <ErrorNotice message={error} />
    </>
  );
}
