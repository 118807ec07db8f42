/**
 * The public API's wire shapes, in one place: each is a JSON Schema (`as const`), and each type is
 * derived from its schema by `json-schema-to-ts`, so the schema the OpenAPI document publishes, the
 * type the server's views must satisfy and the type the web console reads are the same thing.
 * No I/O; the only dependency is the domain's vocabularies.
 */
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import {
  apiKeyListSchema,
  apiKeySchema,
  createApiKeyRequestSchema,
  createdApiKeySchema,
  rotateApiKeyRequestSchema,
  rotatedApiKeySchema,
} from './api-key.schema';
import { auditEventPageSchema, auditEventSchema, type auditEventListQuerySchema } from './audit-event.schema';
import { fieldErrorSchema, problemSchema } from './common.schema';
import { gatewaySendRequestSchema, gatewaySendResponseSchema } from './gateway.schema';
import { consoleSignInSchema } from './console-sign-in.schema';
import {
  createInstanceRequestSchema,
  instanceListSchema,
  instanceSchema,
  integrationSchema,
  pacingSchema,
  quietHoursSchema,
  updateInstanceRequestSchema,
} from './instance.schema';
import {
  connectInstanceRequestSchema,
  connectionEventSchema,
  instanceConnectionSchema,
  instanceQrCodeSchema,
} from './instance-connection.schema';
import {
  batchPageSchema,
  type batchListQuerySchema,
  instanceQueueSchema,
  waitingMessageSchema,
} from './instance-queue.schema';
import {
  messageEventSchema,
  type messageListQuerySchema,
  messagePageSchema,
  messageSchema,
  messageWithTimelineSchema,
} from './message.schema';
import {
  batchSummarySchema,
  sendNotificationRequestSchema,
  sendNotificationResponseSchema,
  sendNotificationsRequestSchema,
  sendNotificationsResponseSchema,
} from './notification.schema';
import {
  evolutionWebhookResultSchema,
  healthSchema,
  problemTypeSchema,
  readinessSchema,
} from './operations.schema';
import {
  accountWordingFieldsRequestSchema,
  accountWordingSchema,
  saveTemplateRequestSchema,
  savedTemplateSchema,
  templateDraftPreviewRequestSchema,
  templateDraftPreviewSchema,
  type templatePreviewQuerySchema,
  templatePreviewsSchema,
  templateSampleSchema,
} from './template-preview.schema';
import {
  createWebhookEndpointRequestSchema,
  updateWebhookEndpointRequestSchema,
  webhookDeliveryAttemptSchema,
  type webhookDeliveryListQuerySchema,
  webhookDeliveryPageSchema,
  webhookDeliverySchema,
  webhookDeliveryWithAttemptsSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
  webhookEventSchema,
  instanceWebhookEventSchema,
} from './webhook.schema';
import {
  replyWebhookEventSchema,
  testWebhookEventSchema,
  webhookEndpointTestQueuedSchema,
  webhookEndpointTestResultSchema,
} from './webhook-event.schema';
import { replayWebhookEventsRequestSchema, webhookReplaySchema } from './webhook-replay.schema';

export * from './api-key.schema';
export * from './audit-event.schema';
export * from './common.schema';
export * from './console-sign-in.schema';
export * from './gateway.schema';
export * from './instance.schema';
export * from './instance-connection.schema';
export * from './instance-queue.schema';
export * from './message.schema';
export * from './notification.schema';
export * from './operations.schema';
export * from './template-preview.schema';
export * from './webhook.schema';
export * from './webhook-event.schema';
export * from './webhook-replay.schema';

/**
 * Every named wire shape, under the name the OpenAPI document gives it (`#/components/schemas/…`).
 * A schema embedded in another is published once, here, and referenced from there.
 */
export const WIRE_SCHEMAS = {
  Problem: problemSchema,
  FieldError: fieldErrorSchema,
  ProblemType: problemTypeSchema,
  SendNotificationRequest: sendNotificationRequestSchema,
  SendNotificationResponse: sendNotificationResponseSchema,
  SendNotificationsRequest: sendNotificationsRequestSchema,
  SendNotificationsResponse: sendNotificationsResponseSchema,
  GatewaySendRequest: gatewaySendRequestSchema,
  GatewaySendResponse: gatewaySendResponseSchema,
  BatchSummary: batchSummarySchema,
  Message: messageSchema,
  MessageEvent: messageEventSchema,
  MessageWithTimeline: messageWithTimelineSchema,
  MessagePage: messagePageSchema,
  ApiKey: apiKeySchema,
  CreatedApiKey: createdApiKeySchema,
  RotatedApiKey: rotatedApiKeySchema,
  ApiKeyList: apiKeyListSchema,
  CreateApiKeyRequest: createApiKeyRequestSchema,
  RotateApiKeyRequest: rotateApiKeyRequestSchema,
  AuditEvent: auditEventSchema,
  AuditEventPage: auditEventPageSchema,
  Instance: instanceSchema,
  InstanceList: instanceListSchema,
  Pacing: pacingSchema,
  QuietHours: quietHoursSchema,
  CreateInstanceRequest: createInstanceRequestSchema,
  UpdateInstanceRequest: updateInstanceRequestSchema,
  Integration: integrationSchema,
  InstanceConnection: instanceConnectionSchema,
  InstanceQrCode: instanceQrCodeSchema,
  ConnectionEvent: connectionEventSchema,
  ConnectInstanceRequest: connectInstanceRequestSchema,
  InstanceQueue: instanceQueueSchema,
  WaitingMessage: waitingMessageSchema,
  BatchPage: batchPageSchema,
  ConsoleSignIn: consoleSignInSchema,
  TemplatePreviews: templatePreviewsSchema,
  TemplateDraftPreviewRequest: templateDraftPreviewRequestSchema,
  TemplateDraftPreview: templateDraftPreviewSchema,
  TemplateSample: templateSampleSchema,
  SavedTemplate: savedTemplateSchema,
  AccountWording: accountWordingSchema,
  AccountWordingFieldsRequest: accountWordingFieldsRequestSchema,
  SaveTemplateRequest: saveTemplateRequestSchema,
  WebhookEvent: webhookEventSchema,
  InstanceWebhookEvent: instanceWebhookEventSchema,
  ReplyWebhookEvent: replyWebhookEventSchema,
  TestWebhookEvent: testWebhookEventSchema,
  WebhookEndpointTestResult: webhookEndpointTestResultSchema,
  WebhookEndpointTestQueued: webhookEndpointTestQueuedSchema,
  WebhookEndpoint: webhookEndpointSchema,
  WebhookEndpointWithSecret: webhookEndpointWithSecretSchema,
  WebhookEndpointList: webhookEndpointListSchema,
  CreateWebhookEndpointRequest: createWebhookEndpointRequestSchema,
  UpdateWebhookEndpointRequest: updateWebhookEndpointRequestSchema,
  WebhookDelivery: webhookDeliverySchema,
  WebhookDeliveryAttempt: webhookDeliveryAttemptSchema,
  WebhookDeliveryWithAttempts: webhookDeliveryWithAttemptsSchema,
  WebhookDeliveryPage: webhookDeliveryPageSchema,
  ReplayWebhookEventsRequest: replayWebhookEventsRequestSchema,
  WebhookReplay: webhookReplaySchema,
  EvolutionWebhookResult: evolutionWebhookResultSchema,
  Health: healthSchema,
  Readiness: readinessSchema,
} as const;

export type WireSchemaName = keyof typeof WIRE_SCHEMAS;

/** Answers are read, never changed: every type below is readonly all the way down. */
type DeepReadonly<T> = T extends readonly (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
    : T;

/** The type of the values a wire schema describes. */
export type Wire<Schema extends JSONSchema> = DeepReadonly<FromSchema<Schema>>;

export type Problem = Wire<typeof problemSchema>;
export type ProblemType = Wire<typeof problemTypeSchema>;
export type FieldError = Wire<typeof fieldErrorSchema>;

export type SendNotificationRequest = Wire<typeof sendNotificationRequestSchema>;
export type SendNotificationResponse = Wire<typeof sendNotificationResponseSchema>;
export type SendNotificationsRequest = Wire<typeof sendNotificationsRequestSchema>;
export type GatewaySendRequest = Wire<typeof gatewaySendRequestSchema>;
export type GatewaySendResponse = Wire<typeof gatewaySendResponseSchema>;
export type SendNotificationsResponse = Wire<typeof sendNotificationsResponseSchema>;
export type BatchItemResult = SendNotificationsResponse['results'][number];
export type BatchSummary = Wire<typeof batchSummarySchema>;

export type Message = Wire<typeof messageSchema>;
export type MessageEvent = Wire<typeof messageEventSchema>;
export type MessageWithTimeline = Wire<typeof messageWithTimelineSchema>;
export type MessagePage = Wire<typeof messagePageSchema>;
/** The Messages tab's filters, as `GET /api/v1/instances/{id}/messages` takes them. */
export type MessageListQuery = Wire<typeof messageListQuerySchema>;

export type ApiKey = Wire<typeof apiKeySchema>;
export type CreatedApiKey = Wire<typeof createdApiKeySchema>;
export type RotatedApiKey = Wire<typeof rotatedApiKeySchema>;
export type ApiKeyList = Wire<typeof apiKeyListSchema>;
export type CreateApiKeyRequest = Wire<typeof createApiKeyRequestSchema>;
export type RotateApiKeyRequest = Wire<typeof rotateApiKeyRequestSchema>;

export type AuditEvent = Wire<typeof auditEventSchema>;
export type AuditEventPage = Wire<typeof auditEventPageSchema>;
/** The filters of `GET /api/v1/audit-events`. */
export type AuditEventListQuery = Wire<typeof auditEventListQuerySchema>;

export type Instance = Wire<typeof instanceSchema>;
export type InstanceList = Wire<typeof instanceListSchema>;
export type Pacing = Wire<typeof pacingSchema>;
export type QuietHours = Wire<typeof quietHoursSchema>;
export type CreateInstanceRequest = Wire<typeof createInstanceRequestSchema>;
export type UpdateInstanceRequest = Wire<typeof updateInstanceRequestSchema>;
export type Integration = Wire<typeof integrationSchema>;
export type InstanceConnection = Wire<typeof instanceConnectionSchema>;
export type InstanceQrCode = Wire<typeof instanceQrCodeSchema>;
export type ConnectionEvent = Wire<typeof connectionEventSchema>;
export type ConnectInstanceRequest = Wire<typeof connectInstanceRequestSchema>;
export type InstanceQueue = Wire<typeof instanceQueueSchema>;
export type WaitingMessage = Wire<typeof waitingMessageSchema>;
export type BatchPage = Wire<typeof batchPageSchema>;
/** The query of `GET /api/v1/instances/{id}/batches`. */
export type BatchListQuery = Wire<typeof batchListQuerySchema>;
export type ConsoleSignIn = Wire<typeof consoleSignInSchema>;

export type TemplatePreviews = Wire<typeof templatePreviewsSchema>;
export type TemplateDraftPreviewRequest = Wire<typeof templateDraftPreviewRequestSchema>;
export type TemplateDraftPreview = Wire<typeof templateDraftPreviewSchema>;
export type TemplateSample = Wire<typeof templateSampleSchema>;
export type SavedTemplate = Wire<typeof savedTemplateSchema>;
export type AccountWording = Wire<typeof accountWordingSchema>;
export type AccountWordingFieldsRequest = Wire<typeof accountWordingFieldsRequestSchema>;
export type SaveTemplateRequest = Wire<typeof saveTemplateRequestSchema>;
export type TemplatePreviewQuery = Wire<typeof templatePreviewQuerySchema>;

export type WebhookEvent = Wire<typeof webhookEventSchema>;
export type InstanceWebhookEvent = Wire<typeof instanceWebhookEventSchema>;
export type ReplyWebhookEvent = Wire<typeof replyWebhookEventSchema>;
export type TestWebhookEvent = Wire<typeof testWebhookEventSchema>;
export type WebhookEndpointTestResult = Wire<typeof webhookEndpointTestResultSchema>;
export type WebhookEndpointTestQueued = Wire<typeof webhookEndpointTestQueuedSchema>;
export type WebhookEndpoint = Wire<typeof webhookEndpointSchema>;
export type WebhookEndpointWithSecret = Wire<typeof webhookEndpointWithSecretSchema>;
export type WebhookEndpointList = Wire<typeof webhookEndpointListSchema>;
export type CreateWebhookEndpointRequest = Wire<typeof createWebhookEndpointRequestSchema>;
export type UpdateWebhookEndpointRequest = Wire<typeof updateWebhookEndpointRequestSchema>;
export type WebhookDelivery = Wire<typeof webhookDeliverySchema>;
export type WebhookDeliveryAttempt = Wire<typeof webhookDeliveryAttemptSchema>;
export type WebhookDeliveryWithAttempts = Wire<typeof webhookDeliveryWithAttemptsSchema>;
export type WebhookDeliveryPage = Wire<typeof webhookDeliveryPageSchema>;
export type WebhookDeliveryListQuery = Wire<typeof webhookDeliveryListQuerySchema>;
export type ReplayWebhookEventsRequest = Wire<typeof replayWebhookEventsRequestSchema>;
export type WebhookReplay = Wire<typeof webhookReplaySchema>;

export type EvolutionWebhookResult = Wire<typeof evolutionWebhookResultSchema>;
export type Health = Wire<typeof healthSchema>;
export type Readiness = Wire<typeof readinessSchema>;
