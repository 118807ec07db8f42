import type {
  AccountWording,
  AccountWordingFieldsRequest,
  ApiKey,
  ApiKeyList,
  AuditEventPage,
  BatchPage,
  ConsoleSignIn,
  CreatedApiKey,
  CreateInstanceRequest,
  CreateWebhookEndpointRequest,
  Instance,
  InstanceConnection,
  InstanceList,
  InstanceQueue,
  Integration,
  MessageListQuery,
  MessagePage,
  MessageWithTimeline,
  RotatedApiKey,
  SavedTemplate,
  TemplateDraftPreview,
  TemplateDraftPreviewRequest,
  TemplatePreviews,
  TemplateSample,
  UpdateInstanceRequest,
  UpdateWebhookEndpointRequest,
  WebhookDeliveryPage,
  WebhookDeliveryWithAttempts,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEndpointTestQueued,
  WebhookEndpointTestResult,
  WebhookEndpointWithSecret,
  ReplayWebhookEventsRequest,
  WebhookReplay,
} from '@telenexus/api-contract';
import type { NotificationType, Permission } from '@telenexus/core';
import { ApiError, CANNOT_REACH, toApiError } from './api-error';

/** The Messages tab's filters: the API's query parameters, each of which the form may leave empty. */
export type MessageFilters = {
  readonly [K in Exclude<keyof MessageListQuery, 'limit' | 'cursor'>]?: MessageListQuery[K] | '';
};

/** A slow or hung server must not leave a spinner forever. */
const REQUEST_TIMEOUT_MS = 15_000;

type Query = Readonly<Record<string, string | number | undefined | null>>;

function withQuery(path: string, query: Query = {}): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') parameters.set(name, String(value));
  }
  const text = parameters.toString();
  return text ? `${path}?${text}` : path;
}

const segment = (id: string): string => encodeURIComponent(id);

/** Which saved text: its type and language, and the instance it is for (null: the whole account). */
export interface SavedTemplateKey {
  readonly messageType: NotificationType;
  readonly language: string;
  readonly instanceId: string | null;
}

function savedTemplatePath({ messageType, language, instanceId }: SavedTemplateKey): string {
  return withQuery(`/templates/${segment(messageType)}/${segment(language)}`, { instance_id: instanceId });
}

/**
 * The public management and Messages APIs of this Telenexus, called with the signed-in key.
 * Every failure is thrown as an {@link ApiError} in words; a 401 also calls `onUnauthorized`, so
 * the console returns to its sign-in page.
 */
export class ApiClient {
  constructor(
    private readonly apiKey: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.apiKey}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch {
      throw new ApiError(CANNOT_REACH, 0);
    }
    if (response.status === 204) return undefined as T;
    const parsed: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw toApiError(response.status, parsed);
    }
    if (parsed === undefined)
      throw new ApiError('Telenexus sent an answer the console cannot read.', response.status);
    return parsed as T;
  }

  /** Checks the key and answers which console it gets; a key without admin or support answers 403. */
  signIn(): Promise<ConsoleSignIn> {
    return this.request('POST', '/console/sign-in');
  }

  listApiKeys(): Promise<ApiKeyList> {
    return this.request('GET', '/api-keys');
  }

  createApiKey(name: string, permissions: readonly Permission[]): Promise<CreatedApiKey> {
    return this.request('POST', '/api-keys', { name, permissions });
  }

  revokeApiKey(id: string): Promise<ApiKey> {
    return this.request('DELETE', `/api-keys/${segment(id)}`);
  }

  rotateApiKey(id: string, graceSeconds: number): Promise<RotatedApiKey> {
    return this.request('POST', `/api-keys/${segment(id)}/rotate`, { grace_seconds: graceSeconds });
  }

  listInstances(): Promise<InstanceList> {
    return this.request('GET', '/instances');
  }

  getInstance(id: string): Promise<Instance> {
    return this.request('GET', `/instances/${segment(id)}`);
  }

  createInstance(input: CreateInstanceRequest): Promise<Instance> {
    return this.request('POST', '/instances', input);
  }

  updateInstance(id: string, input: UpdateInstanceRequest): Promise<Instance> {
    return this.request('PATCH', `/instances/${segment(id)}`, input);
  }

  deleteInstance(id: string): Promise<void> {
    return this.request('DELETE', `/instances/${segment(id)}`);
  }

  reapplyEvolutionWebhook(id: string): Promise<Instance> {
    return this.request('POST', `/instances/${segment(id)}/evolution-webhook`);
  }

  getIntegration(id: string): Promise<Integration> {
    return this.request('GET', `/instances/${segment(id)}/integration`);
  }

  getConnection(id: string): Promise<InstanceConnection> {
    return this.request('GET', `/instances/${segment(id)}/connection`);
  }

  /** Reconnect: Evolution starts pairing and answers a QR code (and a pairing code for `number`). */
  connectInstance(id: string, number?: string): Promise<InstanceConnection> {
    return this.request('POST', `/instances/${segment(id)}/connect`, number ? { number } : {});
  }

  logoutInstance(id: string): Promise<InstanceConnection> {
    return this.request('POST', `/instances/${segment(id)}/logout`);
  }

  listMessages(
    instanceId: string,
    filters: MessageFilters,
    page: { readonly cursor?: string | null; readonly limit?: number } = {},
  ): Promise<MessagePage> {
    return this.request(
      'GET',
      withQuery(`/instances/${segment(instanceId)}/messages`, {
        ...filters,
        cursor: page.cursor,
        limit: page.limit,
      }),
    );
  }

  getInstanceQueue(id: string): Promise<InstanceQueue> {
    return this.request('GET', `/instances/${segment(id)}/queue`);
  }

  listInstanceBatches(id: string, cursor?: string | null): Promise<BatchPage> {
    return this.request('GET', withQuery(`/instances/${segment(id)}/batches`, { cursor }));
  }

  getMessage(id: string): Promise<MessageWithTimeline> {
    return this.request('GET', `/messages/${segment(id)}`);
  }

  cancelMessage(id: string): Promise<MessageWithTimeline> {
    return this.request('DELETE', `/messages/${segment(id)}`);
  }

  /** Values are sent as typed, empty ones too: an empty `due_date` previews texts without one. */
  previewTemplates(sample: Partial<Record<keyof TemplateSample, string>> = {}): Promise<TemplatePreviews> {
    const query = new URLSearchParams(sample).toString();
    return this.request('GET', query ? `/templates/preview?${query}` : '/templates/preview');
  }

  previewAccountTemplate(draft: TemplateDraftPreviewRequest): Promise<TemplateDraftPreview> {
    return this.request('POST', '/templates/preview', draft);
  }

  /** The account's company name, payment instructions and saved texts. */
  getAccountWording(): Promise<AccountWording> {
    return this.request('GET', '/templates');
  }

  updateAccountWordingFields(fields: AccountWordingFieldsRequest): Promise<AccountWording> {
    return this.request('PATCH', '/templates', fields);
  }

  /** Creates or replaces the text; the answer carries the language in its canonical form. */
  saveTemplate(key: SavedTemplateKey, text: string): Promise<SavedTemplate> {
    return this.request('PUT', savedTemplatePath(key), { text });
  }

  deleteTemplate(key: SavedTemplateKey): Promise<void> {
    return this.request('DELETE', savedTemplatePath(key));
  }

  listWebhookEndpoints(): Promise<WebhookEndpointList> {
    return this.request('GET', '/webhook-endpoints');
  }

  createWebhookEndpoint(input: CreateWebhookEndpointRequest): Promise<WebhookEndpointWithSecret> {
    return this.request('POST', '/webhook-endpoints', input);
  }

  updateWebhookEndpoint(id: string, input: UpdateWebhookEndpointRequest): Promise<WebhookEndpoint> {
    return this.request('PATCH', `/webhook-endpoints/${segment(id)}`, input);
  }

  deleteWebhookEndpoint(id: string): Promise<void> {
    return this.request('DELETE', `/webhook-endpoints/${segment(id)}`);
  }

  rotateWebhookSecret(id: string): Promise<WebhookEndpointWithSecret> {
    return this.request('POST', `/webhook-endpoints/${segment(id)}/rotate-secret`);
  }

  /** Sends an `endpoint.test` event; the answer is its first POST, or that it is still queued. */
  testWebhookEndpoint(id: string): Promise<WebhookEndpointTestResult | WebhookEndpointTestQueued> {
    return this.request('POST', `/webhook-endpoints/${segment(id)}/test`);
  }

  /** Queues the events of a window again for the endpoint, with their original event ids. */
  replayWebhookEvents(id: string, input: ReplayWebhookEventsRequest): Promise<WebhookReplay> {
    return this.request('POST', `/webhook-endpoints/${segment(id)}/replay`, input);
  }

  listWebhookDeliveries(
    endpointId: string,
    filters: { readonly status?: string; readonly cursor?: string | null },
  ): Promise<WebhookDeliveryPage> {
    return this.request('GET', withQuery(`/webhook-endpoints/${segment(endpointId)}/deliveries`, filters));
  }

  retryWebhookDelivery(id: string): Promise<WebhookDeliveryWithAttempts> {
    return this.request('POST', `/webhook-deliveries/${segment(id)}/retry`);
  }

  /** The audit log, newest first; `action` is an action or a prefix (`instance.`). */
  listAuditEvents(filters: {
    readonly action?: string;
    readonly cursor?: string | null;
  }): Promise<AuditEventPage> {
    return this.request('GET', withQuery('/audit-events', filters));
  }
}
