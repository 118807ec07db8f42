import { auditChanges, type AuditAction, type AuditTarget } from '@telenexus/core';
import type { AuditEventRepository } from '@telenexus/db';
import type { Output } from './output';

/** One management action the operator performed on the command line. */
export interface CliAuditEntry {
  readonly accountId: string;
  readonly action: AuditAction;
  readonly target: AuditTarget;
  /** Public views (never the secret-carrying ones) of the target before and after. */
  readonly before?: object | null;
  readonly after?: object | null;
  readonly detail?: string;
}

/**
 * Records a CLI action in the audit log, with the actor `cli` (the operator on the server; there is
 * no key to name) and no client address. The action has already happened, so a failed insert is
 * said on stderr and does not fail the command, as in the API.
 */
export async function recordCliAudit(
  auditEvents: Pick<AuditEventRepository, 'append'>,
  output: Output,
  entry: CliAuditEntry,
): Promise<void> {
  try {
    await auditEvents.append({
      accountId: entry.accountId,
      action: entry.action,
      outcome: 'succeeded',
      actor: { kind: 'cli', apiKeyId: null, apiKeyName: null },
      clientIp: null,
      target: entry.target,
      changes: auditChanges(entry.before, entry.after),
      detail: entry.detail ?? null,
    });
  } catch (error) {
    output.say(
      `Warning: ${entry.action} succeeded but could not be recorded in the audit log (${
        error instanceof Error ? error.message : String(error)
      })`,
    );
  }
}
