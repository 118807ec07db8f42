import { isUuid } from '@telenexus/core';
import { AuditEventRepository } from '@telenexus/db';
import { toAuditEventView } from '@telenexus/provisioning';
import type { CliConfig } from '../cli-config';
import { withConnection } from '../database-session';
import type { Output } from '../output';
import { table } from '../table';
import { UsageError } from '../usage-error';

/** The most events one run prints; narrow with --since or --action to see further back. */
export const MAX_AUDIT_LIMIT = 1000;

export interface AuditArguments {
  /** One account's events; every account's when absent (the operator's view). */
  readonly accountId?: string;
  readonly action?: string;
  readonly since?: string;
  readonly limit?: string;
  readonly json: boolean;
}

const ACTION = /^[a-z_]+(\.[a-z_]*)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function sinceOf(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const instant = INSTANT.test(text) ? new Date(text) : undefined;
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new UsageError('--since must be an ISO 8601 date (2026-02-01) or date-time with offset');
  }
  return instant;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 50;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`);
  }
  return limit;
}

/**
 * `telenexus audit [--account ID] [--action A] [--since ISO] [--limit N] [--json]`: the newest
 * audit events of one account or of all, as the API shows them. Read-only, and needs no SECRETS_KEY:
 * the log holds no secret.
 */
export async function auditCommand(config: CliConfig, output: Output, args: AuditArguments): Promise<void> {
  if (args.accountId !== undefined && !isUuid(args.accountId)) {
    throw new UsageError('--account must be an account id (a UUID)');
  }
  if (args.action !== undefined && !ACTION.test(args.action)) {
    throw new UsageError('--action must be an action (instance.update) or a prefix (instance.)');
  }
  const filter = {
    accountId: args.accountId,
    action: args.action,
    from: sinceOf(args.since),
    limit: limitOf(args.limit),
  };
  const page = await withConnection(config, (dataSource) =>
    new AuditEventRepository(dataSource).list(filter),
  );
  const views = page.events.map(toAuditEventView);
  if (args.json) {
    output.result(JSON.stringify({ data: views }));
    return;
  }
  output.result(
    table(
      ['TIME', 'ACCOUNT', 'ACTOR', 'ACTION', 'OUTCOME', 'TARGET', 'IP'],
      views.map((event) => [
        event.occurred_at,
        event.account_id ?? '-',
        event.actor.kind === 'api_key' ? (event.actor.api_key_name ?? 'unknown key') : event.actor.kind,
        event.action,
        event.outcome,
        event.target ? `${event.target.type} ${event.target.id}` : '-',
        event.client_ip ?? '-',
      ]),
    ),
  );
}
