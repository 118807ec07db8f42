import type { Integration } from '@telenexus/api-contract';
import {
  curlExample,
  GATEWAY_KEY_PLACEHOLDER,
  gatewayUrlTemplate,
  sendNotificationUrl,
  type Instance,
} from '@telenexus/core';

/** What the guide's "API Integration" tab shows: everything a billing system needs but the key. */
export function toIntegrationView(instance: Instance, publicBaseUrl: string): Integration {
  return {
    api_endpoint_url: sendNotificationUrl(publicBaseUrl, instance.id),
    instance_id: instance.id,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer YOUR_API_KEY' },
    curl_example: curlExample(publicBaseUrl, instance.id),
    url_gateway: {
      url_template: gatewayUrlTemplate(publicBaseUrl, instance.id),
      method: 'GET',
      key_placeholder: GATEWAY_KEY_PLACEHOLDER,
      permission: 'send_text',
    },
  };
}
