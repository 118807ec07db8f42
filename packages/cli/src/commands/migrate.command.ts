import { runMigrations } from '@telenexus/db';
import type { CliConfig } from '../cli-config';
import { withConnection } from '../database-session';
import type { Output } from '../output';

/** `telenexus migrate`: applies pending migrations (safe to run from several places at once). */
export async function migrateCommand(config: CliConfig, output: Output): Promise<void> {
  const applied = await withConnection(config, (dataSource) => runMigrations(dataSource));
  output.say(applied.length === 0 ? 'Database schema is up to date.' : `Applied: ${applied.join(', ')}`);
}
