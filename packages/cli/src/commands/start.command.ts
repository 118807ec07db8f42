import { randomBytes } from 'node:crypto';
import { appendToEnvFile, newSecretsKeyEntry } from '@telenexus/config';
import { runMigrations } from '@telenexus/db';
import { dispatcherMetricsPort, loadCliConfig, type CliConfig } from '../cli-config';
import { entryPoint, startChild, stopAll, waitUntilAnswering, type ChildService } from '../child-services';
import { withDatabase } from '../database-session';
import { createFirstAccount } from '../demo-seed';
import { describeEvolution } from '../evolution-probe';
import { startBanner } from '../start-banner';
import { checkRedis } from '../dependency-check';
import type { Output } from '../output';

/** The sandbox's global key when the operator has not chosen one. */
const SANDBOX_DEFAULT_KEY = 'sandbox-global-key';

/**
 * `telenexus start` (what `npm start` runs): checks Postgres and Redis, migrates, seeds a demo on an
 * empty database, then runs the Evolution sandbox (unless EVOLUTION_API_URL is set), ingress and
 * the dispatcher as child processes until interrupted. If any child dies, the rest are stopped.
 *
 * @returns the exit code for the CLI.
 */
export async function startCommand(configured: CliConfig, output: Output): Promise<number> {
  const config = withSecretsKey(configured, output);
  await checkRedis(config.redis.url);
  await withDatabase(config, async ({ dataSource }) => {
    const applied = await runMigrations(dataSource);
    if (applied.length > 0) output.say(`Applied migrations: ${applied.join(', ')}`);
  });

  const children: ChildService[] = [];
  // The services derive the same defaults, but say them once so every process agrees.
  const environment: NodeJS.ProcessEnv = {
    ...config.variables,
    PUBLIC_BASE_URL: config.publicBaseUrl,
    EVOLUTION_WEBHOOK_BASE_URL: config.evolutionWebhookBaseUrl,
  };
  // The queue dashboard admits only the operator: without configured credentials, make up a
  // password for this run and print it, so a local start can still open the dashboard.
  const dashboard = config.dashboardCredentials ?? {
    username: 'operator',
    password: randomBytes(18).toString('base64url'),
    generated: true,
  };
  environment.DASHBOARD_USERNAME = dashboard.username;
  environment.DASHBOARD_PASSWORD = dashboard.password;
  let evolution = config.evolutionUrl
    ? { url: config.evolutionUrl, apiKey: config.evolutionApiKey }
    : undefined;
  let evolutionDescription = config.evolutionUrl ?? '';

  if (!evolution) {
    const sandboxUrl = `http://127.0.0.1:${config.sandboxPort}`;
    const apiKey = config.evolutionApiKey || SANDBOX_DEFAULT_KEY;
    const sandbox = startChild(
      'evolution-sandbox',
      entryPoint('packages/evolution-sandbox', 'dist/main.js'),
      {
        ...environment,
        SANDBOX_PORT: String(config.sandboxPort),
        SANDBOX_HOST: '127.0.0.1',
        EVOLUTION_API_KEY: apiKey,
        SANDBOX_AUTO_CREATE_INSTANCES: 'true',
      },
    );
    children.push(sandbox);
    if (!(await waitUntilAnswering(`${sandboxUrl}/`, sandbox))) {
      output.say(`The Evolution sandbox did not start on port ${config.sandboxPort} (SANDBOX_PORT).`);
      await stopAll(children);
      return 1;
    }
    evolution = { url: sandboxUrl, apiKey };
    environment.EVOLUTION_API_URL = sandboxUrl;
    environment.EVOLUTION_API_KEY = apiKey;
    // One machine, local receivers: let billing-system webhooks point at localhost unless told otherwise.
    environment.WEBHOOK_ALLOW_PRIVATE_URLS ??= 'true';
    evolutionDescription = `${sandboxUrl} — the built-in sandbox: a simulation, no real WhatsApp message is sent`;
  }

  const sandboxMode = !config.evolutionUrl;
  const firstStart = await withDatabase(
    config,
    async (session) => {
      const created = await createFirstAccount(session, { sandbox: sandboxMode });
      // The sandbox keeps nothing between runs: point every instance's webhook at us again.
      if (sandboxMode) {
        for (const instance of await session.instances.listAll()) {
          await session.provisioning.instances.reapplyWebhook(instance.accountId, instance.id);
        }
      }
      return created;
    },
    evolution,
  );
  // Against a real Evolution only read it: which instances could be linked, and whether our key works.
  const evolutionInstances = sandboxMode ? undefined : await describeEvolution(evolution);

  // Each its own metrics port: both would otherwise take METRICS_PORT from the shared environment.
  const ingress = startChild('ingress', entryPoint('services/ingress', 'dist/main.js'), {
    ...environment,
    METRICS_PORT: String(config.metricsPort),
  });
  const dispatcher = startChild('dispatcher', entryPoint('services/dispatcher', 'dist/main.js'), {
    ...environment,
    METRICS_PORT: String(dispatcherMetricsPort(config)),
  });
  children.push(ingress, dispatcher);

  let stopRequested = false;
  const stopping = new Promise<number>((resolve) => {
    const stop = (): void => {
      stopRequested = true;
      void stopAll(children).then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const firstExit = Promise.race(
    children.map((child) => child.exited.then((code) => ({ child, code }))),
  ).then(async ({ child, code }) => {
    if (stopRequested) return 0;
    output.say(`${child.name} exited (${code}); stopping the others.`);
    await stopAll(children);
    return 1;
  });

  if (await waitUntilAnswering(`http://127.0.0.1:${config.ingressPort}/healthz`, ingress)) {
    output.say(
      startBanner({ config, evolution: evolutionDescription, firstStart, evolutionInstances, dashboard }),
    );
  }
  return Promise.race([stopping, firstExit]);
}

/**
 * The first start makes the key that encrypts stored secrets and saves it in `.env`, so every later
 * start, CLI command and service reads the same one.
 */
function withSecretsKey(config: CliConfig, output: Output): CliConfig {
  if (config.secretsKey) return config;
  const entry = newSecretsKeyEntry();
  const file = appendToEnvFile('SECRETS_KEY', entry, config.variables);
  output.say(
    `Made SECRETS_KEY, the key of the stored secrets, and saved it in ${file}: keep it with the database.`,
  );
  return loadCliConfig({ ...config.variables, SECRETS_KEY: entry });
}
