import { curlExample, sendNotificationUrl, type Instance } from '@telenexus/core';

/** What the guide's "API Integration" tab shows: everything a billing system needs but the key. */
export interface IntegrationView {
  readonly api_endpoint_url: string;
  readonly instance_id: string;
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly curl_example: string;
}

export function toIntegrationView(instance: Instance, publicBaseUrl: string): IntegrationView {
  return {
    api_endpoint_url: sendNotificationUrl(publicBaseUrl, instance.id),
    instance_id: instance.id,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer YOUR_API_KEY' },
    curl_example: curlExample(publicBaseUrl, instance.id),
  };
}
