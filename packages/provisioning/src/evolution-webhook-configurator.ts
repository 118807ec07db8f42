import { randomBytes } from 'node:crypto';
import type { Instance } from '@telenexus/core';
import type { EvolutionGateway } from '@telenexus/evolution';
import type { InstanceRepository } from '@telenexus/db';

/**
 * The Evolution events we act on: receipts, send confirmations, connection changes, replies, and
 * the QR codes of a number being paired again.
 */
export const EVOLUTION_WEBHOOK_EVENTS = [
  'MESSAGES_UPDATE',
  'SEND_MESSAGE',
  'CONNECTION_UPDATE',
  'MESSAGES_UPSERT',
  'QRCODE_UPDATED',
];

/** Where Evolution posts one instance's events; the token in the path authenticates it. */
export function evolutionWebhookUrl(baseUrl: string, instanceId: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/webhooks/evolution/${instanceId}/${token}`;
}

export interface EvolutionWebhookConfiguratorOptions {
  /** Evolution, or undefined when none is configured (the instance then records why). */
  readonly evolution: Pick<EvolutionGateway, 'setWebhook'> | undefined;
  /** Our base URL as Evolution reaches it. */
  readonly webhookBaseUrl: string;
}

/**
 * Points an instance's Evolution webhook at us (`POST /webhook/set/{name}`), with a secret path
 * token and a JWT key so Evolution signs each call. Credentials are created once and then kept, so
 * re-applying is idempotent and never opens a window in which Evolution's calls are refused.
 */
export class EvolutionWebhookConfigurator {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly options: EvolutionWebhookConfiguratorOptions,
  ) {}

  /** Configures Evolution and records the outcome on the instance; never throws for Evolution's failures. */
  async apply(instance: Instance): Promise<Instance> {
    const withCredentials =
      (await this.instances.ensureWebhookCredentials(instance.id, secret(), secret())) ?? instance;
    const { webhookToken, webhookJwtKey } = withCredentials;
    if (!this.options.evolution) {
      return (
        (await this.instances.recordWebhookResult(instance.id, 'EVOLUTION_API_URL is not configured')) ??
        instance
      );
    }
    if (!webhookToken || !webhookJwtKey)
      throw new Error(`Instance ${instance.id} has no webhook credentials`);
    try {
      await this.options.evolution.setWebhook(
        { instanceName: withCredentials.evolutionInstanceName, token: withCredentials.evolutionToken },
        {
          url: evolutionWebhookUrl(this.options.webhookBaseUrl, instance.id, webhookToken),
          events: EVOLUTION_WEBHOOK_EVENTS,
          jwtKey: webhookJwtKey,
        },
      );
      return (await this.instances.recordWebhookResult(instance.id, null)) ?? withCredentials;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return (
        (await this.instances.recordWebhookResult(instance.id, `Evolution refused the webhook: ${reason}`)) ??
        instance
      );
    }
  }
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}
