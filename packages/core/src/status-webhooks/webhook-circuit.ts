/**
 * The circuit breaker of one webhook endpoint.
 *
 * The rule: the breaker watches the endpoint, not events. Every finished POST to it is one
 * observation, whichever delivery it carried and whether it was a first try or a retry: a 2xx
 * closes the circuit and clears the streak; anything else adds one failure. Counting attempts, not
 * events, is what lets the breaker open at all: each delivery backs off on its own schedule, so a
 * rule that waited for a delivery to fail "for good" (or that restarted the count per event) would
 * let every new event try a dead endpoint again, for ever. The streak's start (`failingSince`) is
 * fixed by its first failure and only a success moves it, so however sparse the attempts (one probe
 * an hour), the endpoint is disabled `disableAfterMs` after it started failing.
 *
 * - `failureThreshold` failures in a row open the circuit: the endpoint's deliveries wait, and one
 *   probe (the oldest due delivery) is made once `nextProbeAt` has come. Each failed probe doubles
 *   the gap, from `probeBaseMs` up to `probeCapMs`; a successful one closes the circuit and the
 *   waiting deliveries are due at once.
 * - Still failing `disableAfterMs` after the streak began: disabled. Nothing is attempted until an
 *   admin enables the endpoint again, which resets the breaker; the deliveries stay pending.
 * - The retry window gives up a delivery only if the endpoint accepted something since the delivery
 *   was created (it refuses this one but works): while the endpoint as a whole is down, its
 *   deliveries wait for it however old they are, and the breaker, not the window, decides.
 */
export interface WebhookCircuit {
  readonly consecutiveFailures: number;
  /** The first failure of the current streak; null while the last attempt succeeded. */
  readonly failingSince: Date | null;
  /** Set while the circuit is open: the earliest time of the next probe. */
  readonly nextProbeAt: Date | null;
  /** Set when the breaker disabled the endpoint (not an account's `enabled: false`). */
  readonly disabledAt: Date | null;
  /** The last 2xx, which lets the retry window tell a refused delivery from a dead endpoint. */
  readonly lastSucceededAt: Date | null;
}

export const WEBHOOK_CIRCUIT_STATES = ['closed', 'open', 'disabled'] as const;

export type WebhookCircuitState = (typeof WEBHOOK_CIRCUIT_STATES)[number];

export interface WebhookCircuitPolicy {
  /** Failed attempts in a row that open the circuit (default 5). */
  readonly failureThreshold: number;
  /** The gap before the first probe, doubled by each failed probe (default 30 s). */
  readonly probeBaseMs: number;
  /** The longest gap between probes (default 1 h). */
  readonly probeCapMs: number;
  /** Still failing this long after the streak's first failure: disabled (default 72 h). */
  readonly disableAfterMs: number;
}

/** The defaults the dispatcher's configuration starts from. */
export const DEFAULT_WEBHOOK_CIRCUIT_POLICY: WebhookCircuitPolicy = {
  failureThreshold: 5,
  probeBaseMs: 30_000,
  probeCapMs: 3_600_000,
  disableAfterMs: 72 * 3_600_000,
};

/** A new endpoint's breaker, and one an admin just enabled again. */
export const CLOSED_WEBHOOK_CIRCUIT: WebhookCircuit = {
  consecutiveFailures: 0,
  failingSince: null,
  nextProbeAt: null,
  disabledAt: null,
  lastSucceededAt: null,
};

export function webhookCircuitState(circuit: WebhookCircuit): WebhookCircuitState {
  if (circuit.disabledAt) return 'disabled';
  return circuit.nextProbeAt ? 'open' : 'closed';
}

/** What one finished attempt did to the breaker. */
export interface WebhookCircuitChange {
  readonly circuit: WebhookCircuit;
  /** This attempt closed an open circuit: the endpoint's waiting deliveries are due now. */
  readonly closed: boolean;
  /** This attempt disabled the endpoint: to be recorded in the audit log. */
  readonly disabled: boolean;
}

/**
 * Applies one finished POST to the endpoint's breaker.
 *
 * @param attempt `startedAt` opens a streak; `finishedAt` times the next probe and the disabling.
 */
export function afterWebhookAttempt(
  circuit: WebhookCircuit,
  attempt: { readonly succeeded: boolean; readonly startedAt: Date; readonly finishedAt: Date },
  policy: WebhookCircuitPolicy,
): WebhookCircuitChange {
  if (attempt.succeeded) {
    return {
      // A disabled endpoint stays disabled until an admin enables it, even if a POST already in
      // flight when it was disabled gets through: that the owner is told and decides is the point.
      circuit: {
        ...CLOSED_WEBHOOK_CIRCUIT,
        disabledAt: circuit.disabledAt,
        lastSucceededAt: attempt.finishedAt,
      },
      closed: circuit.nextProbeAt !== null,
      disabled: false,
    };
  }
  const failures = circuit.consecutiveFailures + 1;
  const failingSince = circuit.failingSince ?? attempt.startedAt;
  const open = failures >= policy.failureThreshold;
  const disable =
    circuit.disabledAt === null &&
    open &&
    attempt.finishedAt.getTime() - failingSince.getTime() >= policy.disableAfterMs;
  return {
    circuit: {
      consecutiveFailures: failures,
      failingSince,
      nextProbeAt: open
        ? new Date(attempt.finishedAt.getTime() + probeGapMs(failures - policy.failureThreshold, policy))
        : null,
      disabledAt: disable ? attempt.finishedAt : circuit.disabledAt,
      lastSucceededAt: circuit.lastSucceededAt,
    },
    closed: false,
    disabled: disable,
  };
}

/** The gap after the opening failure (0) and after each failed probe (1, 2, …). */
export function probeGapMs(failedProbes: number, policy: WebhookCircuitPolicy): number {
  // Clamp the exponent so 2^n stays finite however long the endpoint has been down.
  return Math.min(policy.probeCapMs, policy.probeBaseMs * 2 ** Math.min(Math.max(0, failedProbes), 40));
}

/**
 * Whether the retry window may give up a delivery: only if its endpoint accepted some delivery
 * after this one was created. Otherwise the endpoint is down rather than refusing this delivery, and
 * the delivery waits for it.
 */
export function mayGiveUpWebhookDelivery(deliveryCreatedAt: Date, circuit: WebhookCircuit): boolean {
  return circuit.lastSucceededAt !== null && circuit.lastSucceededAt.getTime() > deliveryCreatedAt.getTime();
}
