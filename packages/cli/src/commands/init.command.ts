import { runMigrations } from '@telenexus/db';
import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import { createFirstAccount } from '../demo-seed';
import { describeEvolution, isBuiltInSandbox } from '../evolution-probe';
import type { Output } from '../output';
import { firstStartLines } from '../start-banner';

/**
 * `telenexus init`: what `start` does on a first start, for deployments that run the services
 * separately (docker compose, Kubernetes). Migrates, then on an empty database creates the first
 * account and its keys and prints them once, with a demo instance only when EVOLUTION_API_URL is
 * the built-in sandbox. Run again, it changes nothing.
 */
export async function initCommand(config: CliConfig, output: Output): Promise<number> {
  const sandbox = config.evolutionUrl !== undefined && (await isBuiltInSandbox(config.evolutionUrl));
  const created = await withDatabase(config, async (session) => {
    const applied = await runMigrations(session.dataSource);
    if (applied.length > 0) output.say(`Applied migrations: ${applied.join(', ')}`);
    return createFirstAccount(session, { sandbox });
  });
  if (!created) {
    output.say(
      'Already set up: an account exists, and its keys were shown when it was created.\n' +
        'Create another account with: telenexus accounts create --name NAME',
    );
    return 0;
  }
  const survey =
    !sandbox && config.evolutionUrl
      ? await describeEvolution({ url: config.evolutionUrl, apiKey: config.evolutionApiKey })
      : undefined;
  output.result(firstStartLines(config, created, survey).join('\n').trimStart());
  return 0;
}
