import { Router } from 'express';

/** A named dependency check for readiness: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 2000;

async function passes(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz`: the process is alive (no dependency checked, so a Postgres outage does not get every
 * pod restarted). `/readyz`: Postgres and Redis answer, so the pod may take traffic.
 */
export function healthRoutes(checks: Readonly<Record<string, ReadinessCheck>>): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => passes(checks[name]!)));
    const report = Object.fromEntries(
      names.map((name, index) => [name, results[index] ? 'ok' : 'unavailable']),
    );
    const ready = results.every(Boolean);
    response.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks: report });
  });
  return router;
}
