import type { WebhookEndpoint } from '@telenexus/api-contract';
import { DateTime } from '../components/date-time';

/**
 * Why an endpoint is not being sent every event — its circuit breaker is open or it was disabled
 * for failing — since when, and how to take it back. Nothing shows while the circuit is closed.
 */
export function EndpointCircuitNotice({
  endpoint,
  onEnable,
}: {
  endpoint: WebhookEndpoint;
  onEnable: () => void;
}) {
  const { circuit } = endpoint;
  if (circuit.state === 'closed') return null;
  const failingSince = circuit.failing_since ? (
    <>
      since <DateTime value={circuit.failing_since} />
    </>
  ) : null;
  if (circuit.state === 'open') {
    return (
      <div class="warning" role="status">
        <p>
          Every delivery attempt has failed {failingSince} ({circuit.consecutive_failures} in a row), so this
          endpoint is only probed now, with growing gaps
          {circuit.next_probe_at && (
            <>
              {' '}
              (next probe <DateTime value={circuit.next_probe_at} />)
            </>
          )}
          . Its events wait and none is lost: once a probe gets a 2xx, they are all delivered.
        </p>
      </div>
    );
  }
  return (
    <div class="notice notice-error" role="alert">
      <p>
        Telenexus disabled this endpoint
        {circuit.disabled_at && (
          <>
            {' '}
            on <DateTime value={circuit.disabled_at} />
          </>
        )}
        : every delivery attempt had failed {failingSince}. Its events are kept, not lost. Fix your receiver
        (the deliveries below show its answers), then enable it again: everything waiting is delivered at
        once.
      </p>
      <div class="actions">
        <button type="button" class="button button-small button-primary" onClick={onEnable}>
          Enable again
        </button>
      </div>
    </div>
  );
}
