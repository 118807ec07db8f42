import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import {
  EvolutionHttpError,
  evolutionErrorBody,
  instanceNotFound,
  unauthorized,
} from './evolution-http-error';
import {
  parseCreateInstanceBody,
  parseFindMessagesBody,
  parseFindStatusBody,
  parseSendTextBody,
  parseWebhookBody,
} from './request-validation';
import type { InstanceRecord } from './instance-record';
import type { SandboxEngine } from './sandbox-engine';

type InstanceHandler = (
  request: Request,
  response: Response,
  instance: InstanceRecord,
) => Promise<void> | void;

// Evolution accepts large media bodies; texts are small, but the limit should not be ours to trip.
const BODY_LIMIT = '50mb';

/** The Evolution API v2 routes the product uses, answering as Evolution 2.3 does. */
export function evolutionRouter(engine: SandboxEngine): Router {
  const router = express.Router();
  router.use(async (_request, _response, next) => {
    await engine.applyLatency();
    next();
  });
  router.use(express.json({ limit: BODY_LIMIT }));

  /** Guard order as in Evolution: the instance must exist (404 even without a key), then the key. */
  const withInstance =
    (handler: InstanceHandler) =>
    async (request: Request, response: Response): Promise<void> => {
      const name = String(request.params.name ?? '');
      const instance = engine.resolveInstance(name);
      if (!instance) throw instanceNotFound(name);
      if (!engine.isAuthorized(request.get('apikey'), instance)) throw unauthorized();
      await handler(request, response, instance);
    };

  router.get('/', (request, response) => {
    response.json({
      status: 200,
      message: 'Welcome to the Evolution API, it is working!',
      version: '2.3.6',
      clientName: 'evolution_sandbox',
      manager: `${request.protocol}://${request.get('host') ?? 'localhost'}/manager`,
      documentation: 'https://doc.evolution-api.com',
    });
  });

  router.post('/instance/create', (request, response) => {
    // Creating instances needs the global key; an instance token is not enough.
    if (!engine.isGlobalKey(request.get('apikey'))) throw unauthorized();
    const body = parseCreateInstanceBody(request.body);
    response.status(201).json(engine.createFromEvolution(body));
  });

  router.get('/instance/fetchInstances', (request, response) => {
    const apikey = request.get('apikey');
    const asked = typeof request.query.instanceName === 'string' ? request.query.instanceName : undefined;
    if (engine.isGlobalKey(apikey)) {
      if (asked === undefined) {
        response.json(engine.allInstances().map((instance) => engine.fetchInstanceRow(instance)));
        return;
      }
      const instance = engine.resolveInstance(asked);
      if (!instance) throw new EvolutionHttpError(404, [`Instance "${asked}" not found`]);
      response.json([engine.fetchInstanceRow(instance)]);
      return;
    }
    // With an instance token Evolution shows that instance only, whatever was asked.
    const own = engine.instanceByToken(apikey);
    if (!own) throw unauthorized();
    response.json([engine.fetchInstanceRow(own)]);
  });

  router.get(
    '/instance/connectionState/:name',
    withInstance((_request, response, instance) => {
      response.json({ instance: { instanceName: instance.name, state: instance.state } });
    }),
  );

  router.get(
    '/instance/connect/:name',
    withInstance((request, response, instance) => {
      const number = typeof request.query.number === 'string' ? request.query.number : undefined;
      response.json(engine.connect(instance, number));
    }),
  );

  router.delete(
    '/instance/logout/:name',
    withInstance((_request, response, instance) => {
      response.json(engine.logout(instance));
    }),
  );

  router.post(
    '/message/sendText/:name',
    withInstance(async (request, response, instance) => {
      const body = parseSendTextBody(request.body);
      const result = await engine.send(instance, body);
      switch (result.action) {
        case 'respond':
          if (result.headers) response.set(result.headers);
          response.status(result.status).json(result.body);
          return;
        case 'reset':
          request.socket.resetAndDestroy();
          return;
        case 'hang':
          // Left open on purpose; closing the sandbox destroys the connection.
          return;
      }
    }),
  );

  router.post(
    '/webhook/set/:name',
    withInstance((request, response, instance) => {
      const body = parseWebhookBody(request.body);
      response.status(201).json(engine.setWebhook(instance, body));
    }),
  );

  router.get(
    '/webhook/find/:name',
    withInstance((_request, response, instance) => {
      response.json(instance.webhook);
    }),
  );

  router.post(
    '/chat/findMessages/:name',
    withInstance((request, response, instance) => {
      response.json(engine.findMessages(instance, parseFindMessagesBody(request.body)));
    }),
  );

  router.post(
    '/chat/findStatusMessage/:name',
    withInstance((request, response, instance) => {
      response.json(engine.findStatus(instance, parseFindStatusBody(request.body)));
    }),
  );

  router.use((request, response) => {
    response.status(404).json(evolutionErrorBody(404, [`Cannot ${request.method} ${request.path}`]));
  });
  router.use(evolutionErrorHandler);
  return router;
}

/** Answers every failure in Evolution's envelope. */
function evolutionErrorHandler(
  error: unknown,
  _request: Request,
  response: Response,
  next: NextFunction,
): void {
  if (response.headersSent) {
    next(error);
    return;
  }
  if (error instanceof EvolutionHttpError) {
    response.status(error.status).json(error.toBody());
    return;
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    // Body-parser failures (malformed JSON, too large) reach Evolution's global handler as plain errors.
    response
      .status(status)
      .json(evolutionErrorBody(status, error instanceof Error ? error.message : String(error)));
    return;
  }
  response
    .status(500)
    .json(evolutionErrorBody(500, error instanceof Error ? error.message : 'Internal Server Error'));
}

function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}
