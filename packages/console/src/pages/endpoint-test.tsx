import { useState } from 'preact/hooks';
import type { WebhookEndpoint } from '@telenexus/api-contract';
import { describeError } from '../api/api-error';
import { ErrorNotice, InfoNotice } from '../components/notice';
import { useConsole } from '../console-context';
import { describeTestOutcome } from '../format/webhook-test-outcome';

/**
 * "Send test event": the dispatcher POSTs a signed `endpoint.test` to the endpoint, and the result
 * is shown in words, so a billing system's developer can check their receiver from the console.
 */
export function EndpointTest({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { api } = useConsole();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  const send = async (): Promise<void> => {
    setBusy(true);
    setOutcome(undefined);
    setError(undefined);
    try {
      setOutcome(describeTestOutcome(await api.testWebhookEndpoint(endpoint.id)));
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="endpoint-test">
      <button
        type="button"
        class="button button-small"
        disabled={busy || !endpoint.enabled}
        onClick={() => void send()}
      >
        {busy ? 'Sending test event…' : 'Send test event'}
        <span class="visually-hidden"> to {endpoint.url}</span>
      </button>
      {outcome && <InfoNotice>{outcome}</InfoNotice>}
      <ErrorNotice message={error} />
    </div>
  );
}
