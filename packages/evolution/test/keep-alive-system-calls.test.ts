import http from 'node:http';
import type net from 'node:net';
import type { AddressInfo } from 'node:net';
import { EvolutionHttpClient } from '../src';

/*
 * Every request through a pooled socket used to re-enable TCP keep-alive twice (axios with one
 * delay, Node's agent with another), two system calls per send. The calls that reach the socket's
 * handle are counted here, on the sockets the client itself pools.
 */

type KeepAliveCall = (this: unknown, enable: boolean, delaySeconds: number) => number;

let server: http.Server;
let baseUrl: string;
const connections: net.Socket[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"key":{"id":"3EB0CCC"}}'),
    );
  });
  server.on('connection', (socket: net.Socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Counts the calls of the TCP handle class's own setKeepAlive (every socket's) until restored. */
function countHandleKeepAliveCalls(socket: net.Socket): { calls: () => number; restore: () => void } {
  const prototype = Object.getPrototypeOf((socket as unknown as { _handle: object })._handle) as {
    setKeepAlive: KeepAliveCall;
  };
  const original = prototype.setKeepAlive;
  let calls = 0;
  prototype.setKeepAlive = function (this: unknown, enable, delaySeconds) {
    calls += 1;
    return original.call(this, enable, delaySeconds);
  };
  return { calls: () => calls, restore: () => (prototype.setKeepAlive = original) };
}

describe('Keep-alive sockets of the Evolution client', () => {
  it('When sends reuse a pooled socket, then TCP keep-alive is not set again on each of them', async () => {
    const client = new EvolutionHttpClient({ baseUrl, globalApiKey: 'k' });
    const send = () => client.sendText({ instanceName: 'billing01', number: '254712345678', text: 'hi' });
    try {
      expect(await send()).toEqual({ kind: 'sent', providerMessageId: '3EB0CCC' });
      const counter = countHandleKeepAliveCalls(connections[0]!);
      try {
        for (let index = 0; index < 5; index += 1) expect((await send()).kind).toBe('sent');
      } finally {
        counter.restore();
      }

      expect(connections).toHaveLength(1);
      expect(counter.calls()).toBe(0);
    } finally {
      client.close();
    }
  });
});
