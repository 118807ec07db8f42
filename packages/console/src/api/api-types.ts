/** The public API's answers, as the README documents them (snake_case, like the guide). */

// The API's vocabularies come from the domain package itself: `@telenexus/core` is its
// dependency-free api-vocabulary module here (see vite.config.ts and tsconfig.json).
import type {
  ConnectionState,
  Direction,
  MessageStatus,
  MessageType,
  Permission,
  WebhookDeliveryStatus,
  WebhookEventType,
} from '@telenexus/core';

export {
  CONNECTION_STATES,
  DIRECTIONS,
  MESSAGE_STATUSES,
  MESSAGE_TYPES,
  PERMISSIONS,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type ConnectionState,
  type Direction,
  type MessageStatus,
  type MessageType,
  type Permission,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '@telenexus/core';

export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly last4: string;
  readonly permissions: readonly Permission[];
  readonly status: 'active' | 'revoked' | 'expired';
  readonly created_at: string;
  readonly last_used_at: string | null;
  readonly revoked_at: string | null;
  readonly expires_at: string | null;
}

/** The answer to creating or rotating a key: the only time the key itself is shown. */
export interface CreatedApiKey extends ApiKey {
  readonly key: string;
}

export interface Pacing {
  readonly min_gap_ms: number;
  readonly jitter_ms: number;
  readonly daily_cap: number | null;
}

export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

export interface Instance {
  readonly id: string;
  readonly name: string;
  readonly evolution_instance_name: string;
  readonly has_evolution_token: boolean;
  readonly connection_state: ConnectionState;
  readonly connection_state_at: string | null;
  readonly country: string | null;
  readonly timezone: string;
  readonly evolution_webhook: { readonly configured_at: string | null; readonly error: string | null };
  readonly pacing: Pacing;
  readonly quiet_hours: QuietHours | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface InstanceInput {
  readonly name?: string;
  readonly evolution_instance_name?: string;
  readonly evolution_token?: string | null;
  readonly country?: string | null;
  readonly timezone?: string | null;
  readonly pacing?: Partial<Pacing>;
  readonly quiet_hours?: QuietHours | null;
}

export interface Integration {
  readonly api_endpoint_url: string;
  readonly instance_id: string;
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly curl_example: string;
}

export interface Message {
  readonly id: string;
  readonly instance_id: string;
  readonly direction: Direction;
  readonly status: MessageStatus;
  readonly message_type: MessageType | null;
  readonly phone_number: string;
  readonly customer_name: string | null;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly invoice_id: string | null;
  readonly due_date: string | null;
  readonly text: string | null;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly provider_message_id: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly sent_at: string | null;
  readonly delivered_at: string | null;
  readonly read_at: string | null;
  readonly failed_at: string | null;
}

export interface MessageEvent {
  readonly type: string;
  readonly status: string | null;
  readonly detail: string | null;
  readonly created_at: string;
}

export interface MessageWithTimeline extends Message {
  readonly events: readonly MessageEvent[];
}

/** The Messages tab's filters, as the API's query parameters. */
export interface MessageFilters {
  readonly direction?: Direction | '';
  readonly status?: MessageStatus | '';
  readonly message_type?: MessageType | '';
  readonly invoice_id?: string;
  readonly phone_number?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly next_cursor: string | null;
}

export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly events: readonly WebhookEventType[];
  readonly enabled: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  readonly secret: string;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly endpoint_id: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly message_id: string | null;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly next_attempt_at: string | null;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
  readonly created_at: string;
  readonly delivered_at: string | null;
  readonly failed_at: string | null;
}

export interface TemplateSample {
  readonly customer_name: string;
  readonly amount: number;
  readonly currency: string;
  readonly invoice_id: string;
  readonly due_date: string | null;
}

export interface TemplatePreview {
  readonly message_type: MessageType;
  readonly text: string;
}

export interface TemplatePreviews {
  readonly data: readonly TemplatePreview[];
  readonly sample: TemplateSample;
}
