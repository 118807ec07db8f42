import { EvolutionHttpClient, type EvolutionInstanceSummary } from '@telenexus/evolution';
import { SANDBOX_CONTROL_PATH } from '@telenexus/evolution-sandbox';

/** A real Evolution as `start` found it: its instances, or why they could not be read. */
export type EvolutionSurvey =
  { readonly instances: readonly EvolutionInstanceSummary[] } | { readonly error: string };

/** Lists a real Evolution's instances, which only reads it; a failure is described, not thrown. */
export async function describeEvolution(evolution: {
  readonly url: string;
  readonly apiKey: string;
}): Promise<EvolutionSurvey> {
  if (evolution.apiKey === '') return { error: 'EVOLUTION_API_KEY is not set' };
  const client = new EvolutionHttpClient({
    baseUrl: evolution.url,
    globalApiKey: evolution.apiKey,
    timeoutMs: 5000,
  });
  try {
    return { instances: await client.listInstances() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    client.close();
  }
}

/**
 * Whether the Evolution at `url` is our built-in sandbox (it answers its own health route), the only
 * Evolution on which a first start may create a demo instance.
 */
export async function isBuiltInSandbox(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}${SANDBOX_CONTROL_PATH}/health`, {
      signal: AbortSignal.timeout(3000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
