import {
  afterWebhookAttempt,
  CLOSED_WEBHOOK_CIRCUIT,
  mayGiveUpWebhookDelivery,
  probeGapMs,
  webhookCircuitState,
  type WebhookCircuit,
  type WebhookCircuitPolicy,
} from './webhook-circuit';

const policy: WebhookCircuitPolicy = {
  failureThreshold: 5,
  probeBaseMs: 30_000,
  probeCapMs: 3_600_000,
  disableAfterMs: 72 * 3_600_000,
};

const start = Date.parse('2026-03-01T00:00:00Z');
const at = (ms: number): Date => new Date(start + ms);

function fail(circuit: WebhookCircuit, finishedMs: number): WebhookCircuit {
  return afterWebhookAttempt(
    circuit,
    { succeeded: false, startedAt: at(finishedMs - 10), finishedAt: at(finishedMs) },
    policy,
  ).circuit;
}

function failTimes(count: number, everyMs = 1000): WebhookCircuit {
  let circuit = CLOSED_WEBHOOK_CIRCUIT;
  for (let i = 1; i <= count; i += 1) circuit = fail(circuit, i * everyMs);
  return circuit;
}

describe('webhook circuit breaker', () => {
  it('When fewer attempts than the threshold have failed in a row, then the circuit stays closed', () => {
    const circuit = failTimes(4);
    expect(webhookCircuitState(circuit)).toBe('closed');
    expect(circuit).toMatchObject({ consecutiveFailures: 4, failingSince: at(1000 - 10), nextProbeAt: null });
  });

  it('When the threshold-th attempt in a row fails, then the circuit opens with the first probe one base gap later', () => {
    const circuit = failTimes(5);
    expect(webhookCircuitState(circuit)).toBe('open');
    expect(circuit.nextProbeAt).toEqual(at(5000 + 30_000));
  });

  it('When probes keep failing, then each gap doubles up to the cap', () => {
    expect([0, 1, 2, 3, 6, 7, 200].map((failedProbes) => probeGapMs(failedProbes, policy))).toEqual([
      30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
    const afterTwoFailedProbes = fail(fail(failTimes(5), 40_000), 100_000);
    expect(afterTwoFailedProbes.nextProbeAt).toEqual(at(100_000 + 120_000));
  });

  it('When retries of one delivery and first tries of others fail, then they all count toward the same streak', () => {
    // The breaker does not know or care which delivery an attempt carried: five failed POSTs in a
    // row, however they are spread over events, open it.
    const circuit = failTimes(5, 60_000);
    expect(webhookCircuitState(circuit)).toBe('open');
  });

  it('When a probe succeeds, then the circuit closes, the streak is cleared and the waiting deliveries are released', () => {
    const change = afterWebhookAttempt(
      failTimes(7),
      { succeeded: true, startedAt: at(99_000), finishedAt: at(100_000) },
      policy,
    );
    expect(change).toEqual({
      circuit: { ...CLOSED_WEBHOOK_CIRCUIT, lastSucceededAt: at(100_000) },
      closed: true,
      disabled: false,
    });
    expect(webhookCircuitState(change.circuit)).toBe('closed');
  });

  it('When a success comes while the circuit is closed, then nothing is released', () => {
    const change = afterWebhookAttempt(
      failTimes(2),
      { succeeded: true, startedAt: at(9000), finishedAt: at(10_000) },
      policy,
    );
    expect(change.closed).toBe(false);
    expect(change.circuit.consecutiveFailures).toBe(0);
  });

  it('When the endpoint is still failing the disable time after its first failure, then it is disabled once', () => {
    const hour = 3_600_000;
    // One probe an hour, as the capped gaps make it: the streak start stays put.
    let circuit = failTimes(5);
    circuit = fail(circuit, 71 * hour);
    expect(webhookCircuitState(circuit)).toBe('open');
    const change = afterWebhookAttempt(
      circuit,
      { succeeded: false, startedAt: at(72 * hour), finishedAt: at(72 * hour + 1000) },
      policy,
    );
    expect(change.disabled).toBe(true);
    expect(change.circuit.disabledAt).toEqual(at(72 * hour + 1000));
    expect(change.circuit.failingSince).toEqual(at(1000 - 10));
    expect(webhookCircuitState(change.circuit)).toBe('disabled');

    const again = afterWebhookAttempt(
      change.circuit,
      { succeeded: false, startedAt: at(73 * hour), finishedAt: at(73 * hour) },
      policy,
    );
    expect(again.disabled).toBe(false);
    expect(again.circuit.disabledAt).toEqual(change.circuit.disabledAt);
  });

  it('When an attempt in flight at the disabling succeeds, then the endpoint stays disabled until an admin enables it', () => {
    const disabled: WebhookCircuit = { ...failTimes(6), disabledAt: at(50_000) };
    const change = afterWebhookAttempt(
      disabled,
      { succeeded: true, startedAt: at(50_000), finishedAt: at(50_100) },
      policy,
    );
    expect(webhookCircuitState(change.circuit)).toBe('disabled');
    expect(change.circuit.consecutiveFailures).toBe(0);
  });

  it('When a delivery is past its retry window, then it is given up only if the endpoint accepted something since it was created', () => {
    const created = at(10_000);
    expect(mayGiveUpWebhookDelivery(created, CLOSED_WEBHOOK_CIRCUIT)).toBe(false);
    expect(mayGiveUpWebhookDelivery(created, { ...CLOSED_WEBHOOK_CIRCUIT, lastSucceededAt: at(5000) })).toBe(
      false,
    );
    expect(
      mayGiveUpWebhookDelivery(created, { ...CLOSED_WEBHOOK_CIRCUIT, lastSucceededAt: at(20_000) }),
    ).toBe(true);
  });
});
