/** How billing systems reach ingress, and how Evolution reaches it for its webhooks. */
export interface BaseUrls {
  readonly publicBaseUrl: string;
  readonly evolutionWebhookBaseUrl: string;
}

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * The base URLs as every process derives them: `PUBLIC_BASE_URL`, else `http://localhost:<PORT>`;
 * `EVOLUTION_WEBHOOK_BASE_URL`, else the public one.
 */
export function baseUrls(variables: {
  readonly PORT: number;
  readonly PUBLIC_BASE_URL?: string;
  readonly EVOLUTION_WEBHOOK_BASE_URL?: string;
}): BaseUrls {
  const publicBaseUrl = withoutTrailingSlash(
    variables.PUBLIC_BASE_URL ?? `http://localhost:${variables.PORT}`,
  );
  return {
    publicBaseUrl,
    evolutionWebhookBaseUrl: withoutTrailingSlash(variables.EVOLUTION_WEBHOOK_BASE_URL ?? publicBaseUrl),
  };
}
