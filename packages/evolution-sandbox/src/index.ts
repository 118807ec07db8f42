export { createEvolutionSandbox, type EvolutionSandbox, type SandboxServer } from './evolution-sandbox';
export type {
  EvolutionSandboxControl,
  SandboxFaultState,
  SandboxIncomingInput,
  SandboxInstanceInput,
  SandboxReceiptInput,
} from './sandbox-control';
export {
  DEFAULT_SANDBOX_API_KEY,
  DEFAULT_SANDBOX_SETTINGS,
  DEFAULT_WEBHOOK_RETRY,
  type EvolutionSandboxOptions,
  type SandboxLogger,
  type SandboxSettings,
  type WebhookRetryPolicy,
} from './sandbox-options';
export type {
  SandboxConnectionState,
  SandboxDelivery,
  SandboxDeliveryFilter,
  SandboxInstanceView,
  SandboxStatusRecord,
  SandboxWebhookAttempt,
  SandboxWebhookRow,
} from './sandbox-records';
export {
  SANDBOX_FAULT_KINDS,
  type SandboxFault,
  type SandboxFaultKind,
  type SandboxFaultProbabilities,
} from './fault-injector';
export { SandboxControlError, type SandboxControlErrorCode } from './sandbox-control-error';
export { SANDBOX_CONTROL_PATH } from './control-routes';
export { EVOLUTION_EVENT_NAMES, type EvolutionEventName } from './evolution-event-names';
