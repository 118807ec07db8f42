import type { SandboxConnectionState, SandboxWebhookRow } from './sandbox-records';

/** The engine's mutable view of one instance (the control API hands out copies). */
export interface InstanceRecord {
  readonly name: string;
  readonly id: string;
  readonly token: string;
  state: SandboxConnectionState;
  everConnected: boolean;
  readonly ownerNumber: string;
  readonly profileName: string;
  readonly integration: string;
  readonly createdAt: number;
  webhook: SandboxWebhookRow | null;
}
