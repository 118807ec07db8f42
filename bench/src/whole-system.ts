import type { BenchOptions } from './bench-options';
import type { BenchSystem, HttpService } from './bench-system';
import { runLoad, type MeasuredLoad } from './load';
import { tenantWithInstances } from './paced-backlog';
import { meter, progress } from './phases';

/** The shape of the system `npm start` runs: the dispatcher on, pacing on, 10 instances. */
export const WHOLE_SYSTEM_INSTANCES = 10;

/**
 * Single sends against the whole system as `npm start` runs it: ingress and a dispatcher side by
 * side on the same cores, the load spread over 10 instances with the product's default pace (3 s
 * apart, with jitter; the product's default quiet hours and caps), so the dispatcher works the
 * paced backlog the load builds while ingress accepts. Compared with the bare route's single sends
 * of the same run. Pacing is turned off again afterwards, for the measurements that follow.
 */
export async function measureWholeSystem(
  system: BenchSystem,
  options: BenchOptions,
  ingress: HttpService,
): Promise<MeasuredLoad> {
  const tenant = await tenantWithInstances(system, WHOLE_SYSTEM_INSTANCES);
  const { pool } = system.database;
  await pool.query(
    `UPDATE instances SET pacing_min_gap_ms = DEFAULT, pacing_jitter_ms = DEFAULT, daily_cap = DEFAULT,
            quiet_hours_start = DEFAULT, quiet_hours_end = DEFAULT, connection_state = 'open'
      WHERE id = ANY($1::uuid[])`,
    [tenant.instanceIds],
  );
  await system.resetData();
  const dispatcher = await system.startDispatcher(options.concurrency);
  try {
    progress(`  ${WHOLE_SYSTEM_INSTANCES} paced instances, dispatcher on`);
    return await runLoad(
      {
        url: ingress.baseUrl,
        paths: tenant.instanceIds.map(
          (instanceId) => `/api/v1/billing/send-notification?instance_id=${instanceId}`,
        ),
        headers: { authorization: `Bearer ${tenant.sendKey}` },
        scenario: 'single',
        batchSize: 1,
        connections: options.connections,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        tag: `${system.runId}-whole-system`,
      },
      [ingress.process.pid, dispatcher.process.pid],
      // Both services together: the dispatcher's work on the backlog is part of what a send costs.
      (loadPid) =>
        meter(system, {
          service: { pids: [ingress.process.pid, dispatcher.process.pid] },
          load: { pids: [loadPid] },
          sandbox: { pids: [system.sandbox.process.pid] },
        }),
    );
  } finally {
    await dispatcher.process.stop();
    await pool.query(
      `UPDATE instances SET pacing_min_gap_ms = 0, pacing_jitter_ms = 0, daily_cap = NULL,
              quiet_hours_start = NULL, quiet_hours_end = NULL
        WHERE id = ANY($1::uuid[])`,
      [tenant.instanceIds],
    );
  }
}
