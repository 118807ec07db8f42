export * from './send-outcome';
export * from './evolution-gateway';
export * from './evolution-pairing';
export * from './evolution-payloads';
export * from './evolution-request-error';
export * from './evolution-client';
export * from './error-envelope';
export * from './retry-after';
export * from './keep-alive-agent-options';
export * from './classify-send-response';
export * from './classify-transport-failure';

export {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
} from './sandbox/evolution-sandbox';
export type {
  EvolutionSandboxControl,
  SandboxFaultState,
  SandboxIncomingInput,
  SandboxInstanceInput,
  SandboxReceiptInput,
} from './sandbox/sandbox-control';
export {
  DEFAULT_SANDBOX_API_KEY,
  DEFAULT_SANDBOX_SETTINGS,
  DEFAULT_WEBHOOK_RETRY,
  type EvolutionSandboxOptions,
  type SandboxLogger,
  type SandboxSettings,
  type WebhookRetryPolicy,
} from './sandbox/sandbox-options';
export type {
  SandboxConnectionState,
  SandboxDelivery,
  SandboxDeliveryFilter,
  SandboxInstanceView,
  SandboxStatusRecord,
  SandboxWebhookAttempt,
  SandboxWebhookRow,
} from './sandbox/sandbox-records';
export {
  SANDBOX_FAULT_KINDS,
  type SandboxFault,
  type SandboxFaultKind,
  type SandboxFaultProbabilities,
} from './sandbox/fault-injector';
export { SandboxControlError, type SandboxControlErrorCode } from './sandbox/sandbox-control-error';
export { SANDBOX_CONTROL_PATH } from './sandbox/control-routes';
export { EVOLUTION_EVENT_NAMES, type EvolutionEventName } from './sandbox/evolution-event-names';
