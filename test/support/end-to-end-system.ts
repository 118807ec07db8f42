import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotificationQueue } from '@telenexus/queue';
import {
  createDispatcherHarness,
  type DispatcherHarness,
  type DispatcherHarnessOptions,
} from './dispatcher-harness';
import { createIngressHarness, type IngressHarness } from './ingress-harness';
import type { DatabaseContext } from './test-context';

/** Ingress and a dispatcher on one queue, sending through the Evolution sandbox. */
export interface EndToEndSystem {
  readonly db: DatabaseContext;
  readonly ingress: IngressHarness;
  readonly dispatcher: DispatcherHarness;
  close(): Promise<void>;
}

/** A listening ingress, for clients that need a URL (curl, php, python). */
export interface ListeningEndToEndSystem extends EndToEndSystem {
  readonly baseUrl: string;
}

export interface EndToEndSystemOptions {
  /** The dispatcher's own options: its clock, say, to stand at a scheduled send's time. */
  readonly dispatcher?: DispatcherHarnessOptions;
}

/**
 * The whole path a billing system's call takes (ingress accepts and enqueues, the dispatcher
 * sends), over a database opened by the caller: its `close` leaves the database open, for the
 * caller to close after it.
 */
export async function wireEndToEndSystem(
  db: DatabaseContext,
  options: EndToEndSystemOptions = {},
): Promise<EndToEndSystem> {
  const dispatcher = await createDispatcherHarness(db, options.dispatcher);
  const ingress = createIngressHarness(db, {
    queue: (redis) =>
      new NotificationQueue({ connection: redis, namespace: dispatcher.namespace, retry: { attempts: 3 } }),
  });
  return {
    db,
    ingress,
    dispatcher,
    close: async () => {
      await ingress.close();
      await dispatcher.close();
    },
  };
}

/** The system with its ingress listening on a free loopback port; its `close` stops listening first. */
export async function listeningOnLoopback(system: EndToEndSystem): Promise<ListeningEndToEndSystem> {
  const server: Server = system.ingress.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    ...system,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await system.close();
    },
  };
}
