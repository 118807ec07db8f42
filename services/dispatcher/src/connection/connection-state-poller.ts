import { CONNECTION_REASONS, type ConnectionState, type Instance } from '@telenexus/core';
import type { EvolutionGateway } from '@telenexus/evolution';
import type { Logger } from '@telenexus/logger';

export interface PolledInstanceStore {
  listAll(): Promise<Instance[]>;
  updateConnectionState(id: string, state: ConnectionState, reason: string): Promise<boolean>;
}

/**
 * Asks Evolution for every instance's connection state, so a lost `connection.update` webhook cannot
 * leave an instance wrongly "connected" (or wrongly refused as not connected) for long.
 */
export class ConnectionStatePoller {
  constructor(
    private readonly instances: PolledInstanceStore,
    private readonly evolution: Pick<EvolutionGateway, 'connectionState'>,
    private readonly logger: Logger,
    private readonly probes: { claim(instanceId: string): Promise<boolean> },
  ) {}

  async pollOnce(): Promise<void> {
    for (const instance of await this.instances.listAll()) {
      try {
        // Another dispatcher (or a send that met "Connection Closed") probed it this interval.
        if (!(await this.probes.claim(instance.id))) continue;
        const state = await this.evolution.connectionState({
          instanceName: instance.evolutionInstanceName,
          token: instance.evolutionToken,
        });
        if (await this.instances.updateConnectionState(instance.id, state, CONNECTION_REASONS.poll)) {
          this.logger.info('instance connection state changed', { instanceId: instance.id, state });
        }
      } catch (error) {
        this.logger.warn('could not read instance connection state', { instanceId: instance.id, error });
      }
    }
  }
}
