import { curlExample } from '@telenexus/core';
import { dispatcherMetricsPort, type CliConfig } from './cli-config';
import type { DemoSetup, FirstAccount, FirstStart } from './demo-seed';
import type { EvolutionSurvey } from './evolution-probe';

export interface StartBannerFacts {
  readonly config: CliConfig;
  /** Where Evolution is, as the banner says it. */
  readonly evolution: string;
  readonly firstStart: FirstStart | undefined;
  /** Only with a real Evolution. */
  readonly evolutionInstances: EvolutionSurvey | undefined;
  readonly dashboard: { readonly username: string; readonly password: string; readonly generated?: boolean };
}

/** What `start` prints once everything answers: where things are, and on a first start what to do next. */
export function startBanner(facts: StartBannerFacts): string {
  const { config, dashboard } = facts;
  const lines = [
    '',
    'Telenexus is running.',
    `  API:        ${config.publicBaseUrl}`,
    `  Console:    ${config.publicBaseUrl}/console/  (sign in with an admin key)`,
    `  Queues:     ${config.publicBaseUrl}/admin/queues  (operator dashboard)`,
    `  Evolution:  ${facts.evolution}`,
    `  Metrics:    ${metricsWhere(config)}`,
    dashboard.generated
      ? `  Queue dashboard sign-in for this run: ${dashboard.username} / ${dashboard.password} (set DASHBOARD_USERNAME and DASHBOARD_PASSWORD to choose your own)`
      : `  Queue dashboard sign-in: DASHBOARD_USERNAME / DASHBOARD_PASSWORD from your environment`,
  ];
  if (!config.evolutionUrl) {
    lines.push(`  Sandbox deliveries: http://127.0.0.1:${config.sandboxPort}/__sandbox/deliveries`);
  }
  if (facts.evolutionInstances && 'error' in facts.evolutionInstances) {
    lines.push(
      '',
      `Warning: could not list Evolution's instances (${facts.evolutionInstances.error}).`,
      '  Check EVOLUTION_API_URL and EVOLUTION_API_KEY (the global key of your Evolution API).',
    );
  }
  lines.push(...firstStartLines(config, facts.firstStart, facts.evolutionInstances));
  lines.push('', 'Press Ctrl+C to stop.', '');
  return lines.join('\n');
}

/** Where Prometheus scrapes each service: ports of their own, never the API's. */
function metricsWhere(config: CliConfig): string {
  if (config.metricsPort === 0) return "free ports chosen at start (METRICS_PORT=0): see each service's log";
  return (
    `http://127.0.0.1:${config.metricsPort}/metrics (ingress), ` +
    `http://127.0.0.1:${dispatcherMetricsPort(config)}/metrics (dispatcher)`
  );
}

/** What a first start created and what to do next; with nothing created, how to make a key. */
export function firstStartLines(
  config: CliConfig,
  first: FirstStart | undefined,
  survey: EvolutionSurvey | undefined,
): string[] {
  if (first?.kind === 'demo') return demoLines(config, first.demo);
  if (first?.kind === 'account') return accountLines(first.account, survey);
  return [
    '',
    'Create a key with: npx telenexus keys create --account <account id> --name "My billing system" --permissions send_message',
  ];
}

function keyLines(account: FirstAccount): string[] {
  return [
    `  API key (shown only now; store it): ${account.apiKey}`,
    `  Admin key (shown only now):         ${account.adminKey}`,
  ];
}

function demoLines(config: CliConfig, demo: DemoSetup): string[] {
  return [
    '',
    'First start: a demo account, API key and instance were created.',
    ...keyLines(demo),
    `  Instance ID:                        ${demo.instanceId}`,
    '  The API key sends (send_message, receive_message); the admin key manages keys, instances',
    '  and webhook endpoints through the API.',
    '',
    "Send the integration guide's test notification:",
    '',
    curlExample(config.publicBaseUrl, demo.instanceId, demo.apiKey),
    '',
    `Then: curl -H "Authorization: Bearer ${demo.apiKey}" ${config.publicBaseUrl}/api/v1/messages/<message_id>`,
  ];
}

/**
 * A real Evolution's first start: nothing on Evolution was touched, so say which command links an
 * instance (the one that points its webhook at us), filled in with an instance Evolution has.
 */
function accountLines(account: FirstAccount, survey: EvolutionSurvey | undefined): string[] {
  const instances = survey && 'instances' in survey ? survey.instances : [];
  const suggested = instances.find((instance) => instance.connectionState === 'open') ?? instances[0];
  const lines = [
    '',
    'First start: an account and its keys were created. Nothing was changed on your Evolution API.',
    `  Account ID:                         ${account.accountId}`,
    ...keyLines(account),
    '',
    'Next, link the Evolution instance that holds your WhatsApp number (this points its webhook at Telenexus):',
    '',
    `  npx telenexus instances create --account ${account.accountId} --name "Billing" --evolution-instance ${suggested?.name ?? '<evolution instance name>'}`,
    '',
    '  Add --country KE --timezone Africa/Nairobi (your own) so local numbers like 0712… and quiet hours work.',
  ];
  if (instances.length > 0) {
    const list = instances.map((instance) => `${instance.name} (${instance.connectionState})`).join(', ');
    lines.push(`  Evolution's instances: ${list}`);
  }
  return lines;
}
