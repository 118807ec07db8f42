import { randomBytes } from 'node:crypto';
import { hashEvolutionWebhookToken, mintEvolutionWebhookToken, type Instance } from '@telenexus/core';
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
 * How long the path token replaced by pointing Evolution at us again is still accepted: Evolution
 * may already hold events for the old URL (queued, or being retried), and a 401 is one it never
 * retries, so refusing them would lose receipts and replies. Its retries span about 20 minutes;
 * 30 outlasts them, and any longer would keep a superseded secret alive for nothing.
 */
export const WEBHOOK_TOKEN_GRACE_MS = 30 * 60 * 1000;

/**
 * Points an instance's Evolution webhook at us (`POST /webhook/set/{name}`), with a secret path
 * token and a JWT key so Evolution signs each call. Only the token's hash is stored, so each apply
 * issues a new token (the previous one stays valid for {@link WEBHOOK_TOKEN_GRACE_MS}); the JWT key
 * is created once, kept encrypted and re-applied as it is.
 */
export class EvolutionWebhookConfigurator {
  constructor(
    private readonly instances: InstanceRepository,
    private readonly options: EvolutionWebhookConfiguratorOptions,
  ) {}

  /** Configures Evolution and records the outcome on the instance; never throws for Evolution's failures. */
  async apply(instance: Instance): Promise<Instance> {
    if (!this.options.evolution) {
      // No token is issued: one Evolution never hears of would only cut short the one it has.
      return (
        (await this.instances.recordWebhookResult(instance.id, 'EVOLUTION_API_URL is not configured')) ??
        instance
      );
    }
    const token = mintEvolutionWebhookToken();
    const tokenHash = hashEvolutionWebhookToken(token);
    // Stored before Evolution hears of it, so its first event with the new URL is already accepted.
    const issued = await this.instances.issueWebhookToken(
      instance.id,
      tokenHash,
      jwtKey(),
      WEBHOOK_TOKEN_GRACE_MS,
    );
    if (!issued?.webhookJwtKey) throw new Error(`Instance ${instance.id} has no webhook credentials`);
    try {
      await this.options.evolution.setWebhook(
        { instanceName: issued.evolutionInstanceName, token: issued.evolutionToken },
        {
          url: evolutionWebhookUrl(this.options.webhookBaseUrl, instance.id, token),
          events: EVOLUTION_WEBHOOK_EVENTS,
          jwtKey: issued.webhookJwtKey,
        },
      );
      return (await this.instances.recordWebhookResult(instance.id, null)) ?? issued;
    } catch (error) {
      await this.instances.restorePreviousWebhookToken(instance.id, tokenHash);
      // Evolution may quote what it refused; the instance shows this reason, never the secrets.
      const reason = (error instanceof Error ? error.message : String(error))
        .replaceAll(token, '[token]')
        .replaceAll(issued.webhookJwtKey, '[jwt key]');
      return (
        (await this.instances.recordWebhookResult(instance.id, `Evolution refused the webhook: ${reason}`)) ??
        instance
      );
    }
  }
}

function jwtKey(): string {
  return randomBytes(32).toString('base64url');
}
