import {
  CONNECTION_REASONS,
  DomainError,
  type ConnectionEvent,
  type ConnectionState,
  type Instance,
  type InstanceQrCode,
} from '@telenexus/core';
import type { InstanceRepository } from '@telenexus/db';
import {
  isEvolutionRequestError,
  type EvolutionPairingGateway,
  type EvolutionTarget,
} from '@telenexus/evolution';

/** An instance's WhatsApp connection as the QR Code tab shows it. */
export interface InstanceConnectionStatus {
  readonly state: ConnectionState;
  /** The QR code of the pairing in progress; null when open or none exists yet. */
  readonly qr: InstanceQrCode | null;
  /** The latest changes, newest first. */
  readonly events: readonly ConnectionEvent[];
}

/** How many connection changes an answer carries. */
export const CONNECTION_TIMELINE_LIMIT = 20;

/** Finds an account's instance, as every instance route does (others' ids are not found). */
export interface AccountInstanceFinder {
  get(accountId: string, id: string): Promise<Instance>;
}

type ConnectionStore = Pick<
  InstanceRepository,
  'updateConnectionState' | 'saveQrCode' | 'latestQrCode' | 'connectionTimeline'
>;

/**
 * The guide's QR Code tab: an instance's connection, Reconnect (Evolution's `/instance/connect`,
 * which answers a QR code to scan) and logging the number out. Evolution's answers are recorded
 * like any other news of the connection, through the one method that records them.
 */
export class InstanceConnections {
  constructor(
    private readonly finder: AccountInstanceFinder,
    private readonly instances: ConnectionStore,
    private readonly evolution: EvolutionPairingGateway | undefined,
  ) {}

  /** The state as last recorded, the QR code kept from Evolution's webhooks, and the timeline. */
  async status(accountId: string, id: string): Promise<InstanceConnectionStatus> {
    const instance = await this.finder.get(accountId, id);
    return this.describe(instance.id, instance.connectionState);
  }

  /**
   * Asks Evolution to connect: a closed instance starts pairing and a QR code comes back (with a
   * pairing code when `number` is given); an open one stays open.
   */
  async connect(accountId: string, id: string, number?: string): Promise<InstanceConnectionStatus> {
    const instance = await this.finder.get(accountId, id);
    const evolution = this.requireEvolution();
    const answer = await evolutionCall(() => evolution.connect(targetOf(instance), number));
    await this.instances.updateConnectionState(instance.id, answer.state, CONNECTION_REASONS.connectAnswer);
    if (answer.qr && answer.state !== 'open') {
      const { code, base64, pairingCode, count } = answer.qr;
      await this.instances.saveQrCode(instance.id, { code, image: base64, pairingCode }, count);
    }
    return this.describe(instance.id, answer.state);
  }

  /** Logs the number out of WhatsApp; an instance already closed counts as logged out. */
  async logout(accountId: string, id: string): Promise<InstanceConnectionStatus> {
    const instance = await this.finder.get(accountId, id);
    const evolution = this.requireEvolution();
    await evolutionCall(() => evolution.logout(targetOf(instance)));
    await this.instances.updateConnectionState(instance.id, 'close', CONNECTION_REASONS.loggedOut);
    return this.describe(instance.id, 'close');
  }

  private async describe(instanceId: string, state: ConnectionState): Promise<InstanceConnectionStatus> {
    const [qr, events] = await Promise.all([
      state === 'open' ? null : this.instances.latestQrCode(instanceId),
      this.instances.connectionTimeline(instanceId, CONNECTION_TIMELINE_LIMIT),
    ]);
    return { state, qr, events };
  }

  private requireEvolution(): EvolutionPairingGateway {
    if (!this.evolution) {
      throw new DomainError('evolution_unavailable', 'Evolution API is not configured (EVOLUTION_API_URL)');
    }
    return this.evolution;
  }
}

function targetOf(instance: Instance): EvolutionTarget {
  return { instanceName: instance.evolutionInstanceName, token: instance.evolutionToken };
}

/**
 * Evolution's failures in the API's words: not reachable, timed out or failing (5xx) is
 * `evolution_unavailable`; an answer refusing us (a bad key, an unknown instance, an error it
 * caught itself) is `evolution_rejected`, with Evolution's own words. Addresses are never told.
 */
async function evolutionCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isEvolutionRequestError(error)) throw error;
    const status = error.httpStatus;
    if (status === undefined || status >= 500) {
      const why =
        status !== undefined
          ? `answered HTTP ${status}`
          : error.code === 'ETIMEDOUT'
            ? 'did not answer in time'
            : 'could not be reached';
      throw new DomainError('evolution_unavailable', `Evolution API ${why}; try again shortly`, {
        cause: error,
      });
    }
    throw new DomainError('evolution_rejected', `Evolution API refused the request: ${error.message}`, {
      cause: error,
    });
  }
}
