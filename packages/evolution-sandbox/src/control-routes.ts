import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxFault } from './fault-injector';
import { SandboxControlError } from './sandbox-control-error';
import type { SandboxIncomingInput, SandboxInstanceInput, SandboxReceiptInput } from './sandbox-control';
import type { SandboxEngine } from './sandbox-engine';
import type { SandboxConnectionState, SandboxDeliveryFilter } from './sandbox-records';

/** Mount path of the control routes. They need no apikey and are not part of Evolution. */
export const SANDBOX_CONTROL_PATH = '/__sandbox';

// A typo in a drill should not enqueue a million faults.
const MAX_FAULT_REPEAT = 10_000;

/**
 * The sandbox's own control ("admin") routes: the HTTP face of `EvolutionSandboxControl`, for
 * tests and drills running in another process. Errors answer `{"detail": "…"}`.
 */
export function controlRouter(engine: SandboxEngine): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });

  router.get('/instances', (_request, response) => {
    response.json(engine.listInstances());
  });

  router.post('/instances', (request, response) => {
    const input = pick(record(request.body), ['name', 'token', 'state', 'number', 'profileName']);
    response.status(201).json(engine.createInstance(input as unknown as SandboxInstanceInput));
  });

  router.get('/instances/:name', (request, response) => {
    const name = param(request, 'name');
    const instance = engine.listInstances().find((candidate) => candidate.name === name);
    if (!instance) throw new SandboxControlError('not_found', `The "${name}" instance does not exist`);
    response.json(instance);
  });

  router.put('/instances/:name/state', (request, response) => {
    const body = record(request.body);
    const statusReason = body.statusReason as number | undefined;
    response.json(
      engine.setConnectionState(param(request, 'name'), body.state as SandboxConnectionState, statusReason),
    );
  });

  router.post('/instances/:name/disconnect', (request, response) => {
    const statusReason = record(request.body).statusReason as number | undefined;
    response.json(engine.disconnect(param(request, 'name'), statusReason));
  });

  router.post('/instances/:name/scan', (request, response) => {
    response.json(engine.scanQrCode(param(request, 'name')));
  });

  router.post('/instances/:name/receipts', (request, response) => {
    const input = {
      ...pick(record(request.body), ['keyId', 'status', 'remoteJid']),
      instance: param(request, 'name'),
    };
    response.status(201).json(engine.emitReceipt(input as unknown as SandboxReceiptInput));
  });

  router.post('/instances/:name/incoming', (request, response) => {
    const fields = pick(record(request.body), ['number', 'text', 'pushName', 'id']);
    const input = { ...fields, instance: param(request, 'name') };
    response.status(201).json(engine.simulateIncoming(input as unknown as SandboxIncomingInput));
  });

  router.get('/not-on-whatsapp', (_request, response) => {
    response.json({ numbers: engine.notOnWhatsApp() });
  });

  router.post('/not-on-whatsapp', (request, response) => {
    response.json({ numbers: engine.markNotOnWhatsApp(record(request.body).numbers as string[]) });
  });

  router.delete('/not-on-whatsapp/:number', (request, response) => {
    response.json({ numbers: engine.markOnWhatsApp([param(request, 'number')]) });
  });

  router.get('/settings', (_request, response) => {
    response.json(engine.settings());
  });

  router.patch('/settings', (request, response) => {
    response.json(engine.updateSettings(record(request.body)));
  });

  router.get('/faults', (_request, response) => {
    response.json(engine.faults());
  });

  router.post('/faults', (request, response) => {
    const body: unknown = request.body;
    const list = Array.isArray(body) ? body : record(body).faults;
    const queued = engine.enqueueFaults(expandRepeats(list));
    response.status(201).json({ queued });
  });

  router.put('/faults/probabilities', (request, response) => {
    response.json(engine.setFaultProbabilities(record(request.body)));
  });

  router.delete('/faults', (_request, response) => {
    engine.clearFaults();
    response.status(204).end();
  });

  router.get('/deliveries', (request, response) => {
    response.json(engine.deliveries(deliveryFilter(request)));
  });

  router.get('/deliveries/count', (request, response) => {
    response.json({ count: engine.deliveryCount(deliveryFilter(request)) });
  });

  router.get('/status-updates', (request, response) => {
    const keyId = typeof request.query.keyId === 'string' ? request.query.keyId : undefined;
    response.json(engine.statusUpdates(keyId));
  });

  router.get('/webhook-attempts', (_request, response) => {
    response.json(engine.webhookAttempts());
  });

  router.get('/idle', async (_request, response) => {
    await engine.whenIdle();
    response.json({ idle: true });
  });

  router.post('/reset', (_request, response) => {
    engine.reset();
    response.status(204).end();
  });

  router.use((request, response) => {
    response.status(404).json({ detail: `No sandbox control route ${request.method} ${request.path}` });
  });
  router.use(controlErrorHandler);
  return router;
}

function controlErrorHandler(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  if (response.headersSent) {
    next(error);
    return;
  }
  if (error instanceof SandboxControlError) {
    const status = error.code === 'not_found' ? 404 : error.code === 'conflict' ? 409 : 400;
    response.status(status).json({ detail: error.message });
    return;
  }
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    response.status(status).json({ detail: error instanceof Error ? error.message : 'Bad request' });
    return;
  }
  response.status(500).json({ detail: error instanceof Error ? error.message : 'Internal error' });
}

function record(body: unknown): Readonly<Record<string, unknown>> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SandboxControlError('invalid', 'The body must be a JSON object');
  }
  return body as Readonly<Record<string, unknown>>;
}

/**
 * Copies the named fields that are present, so the engine's defaults apply to absent ones. Types
 * are the engine's to check: it validates everything that reaches it.
 */
function pick(body: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (body[name] !== undefined) picked[name] = body[name];
  return picked;
}

function param(request: Request, name: string): string {
  return String(request.params[name] ?? '');
}

function deliveryFilter(request: Request): SandboxDeliveryFilter {
  const instance = typeof request.query.instance === 'string' ? request.query.instance : undefined;
  const sinceText = typeof request.query.since === 'string' ? request.query.since : undefined;
  if (sinceText !== undefined && !/^\d+$/.test(sinceText)) {
    throw new SandboxControlError('invalid', 'since must be epoch milliseconds');
  }
  return {
    ...(instance === undefined ? {} : { instance }),
    ...(sinceText === undefined ? {} : { since: Number(sinceText) }),
  };
}

/** `{kind, count: 3}` stands for three identical faults. */
function expandRepeats(list: unknown): SandboxFault[] {
  if (!Array.isArray(list)) throw new SandboxControlError('invalid', 'faults must be an array');
  const faults: SandboxFault[] = [];
  for (const entry of list as unknown[]) {
    const { count, ...fault } = record(entry);
    const times = count === undefined ? 1 : count;
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > MAX_FAULT_REPEAT) {
      throw new SandboxControlError('invalid', `count must be an integer from 1 to ${MAX_FAULT_REPEAT}`);
    }
    for (let index = 0; index < times; index += 1) faults.push(fault as unknown as SandboxFault);
  }
  return faults;
}
