import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { EvolutionHttpClient, EvolutionRequestError, parseConnectAnswer } from '@telenexus/evolution';
import type { EvolutionSandbox, SandboxServer } from '../src';
import { createPairingSandbox } from './support/pairing-sandbox';

/** Pairing through the client: `connect` and `logout` against the sandbox, and the answers only some versions give. */

let sandbox: EvolutionSandbox;
let server: SandboxServer;
let client: EvolutionHttpClient;

beforeAll(async () => {
  sandbox = createPairingSandbox('global-key');
  server = await sandbox.listen(0);
  client = new EvolutionHttpClient({ baseUrl: server.url, globalApiKey: 'global-key', timeoutMs: 5000 });
});

afterAll(async () => {
  client.close();
  await server.close();
});

const newInstance = (state: 'open' | 'connecting' | 'close') =>
  sandbox.createInstance({ name: `billing-${randomUUID().slice(0, 8)}`, state });

describe('EvolutionHttpClient.connect', () => {
  it('When the instance is closed, then it is connecting and the QR code to scan comes back', async () => {
    const instance = newInstance('close');

    const answer = await client.connect({ instanceName: instance.name, token: instance.token });

    expect(answer).toEqual({
      state: 'connecting',
      qr: {
        code: expect.stringMatching(/^2@/),
        base64: expect.stringMatching(/^data:image\/png;base64,/),
        pairingCode: null,
        count: 1,
      },
    });
    expect(answer.qr?.code).toBe(
      sandbox.listInstances().find((row) => row.name === instance.name)?.qrCode?.code,
    );
  });

  it('When a number is given, then the QR code comes with a pairing code', async () => {
    const instance = newInstance('close');

    const answer = await client.connect({ instanceName: instance.name }, '254712345678');

    expect(answer.qr?.pairingCode).toMatch(/^[A-Z0-9]{8}$/);
  });

  it('When the instance is open, then it says open and no QR code', async () => {
    const instance = newInstance('open');

    expect(await client.connect({ instanceName: instance.name })).toEqual({ state: 'open', qr: null });
  });

  it('When no QR code exists yet ({"count":0}), then it is connecting without one', async () => {
    const instance = newInstance('connecting');

    expect(await client.connect({ instanceName: instance.name })).toEqual({ state: 'connecting', qr: null });
  });

  it('When the instance is unknown to Evolution, then an EvolutionRequestError carries the 404', async () => {
    const failure = client.connect({ instanceName: 'not-there' });

    await expect(failure).rejects.toBeInstanceOf(EvolutionRequestError);
    await expect(failure).rejects.toMatchObject({ operation: 'connect', httpStatus: 404 });
  });

  it('When Evolution cannot be reached, then the error carries the network code and no status', async () => {
    const unreachable = new EvolutionHttpClient({ baseUrl: 'http://127.0.0.1:1', globalApiKey: 'k' });
    try {
      await expect(unreachable.connect({ instanceName: 'billing01' })).rejects.toMatchObject({
        operation: 'connect',
        httpStatus: undefined,
        code: 'ECONNREFUSED',
      });
    } finally {
      unreachable.close();
    }
  });

  it('When Evolution answers the error it caught itself ({"error":true}), then it is an EvolutionRequestError with its words', async () => {
    const failing = http.createServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: true, message: 'Error: Connection Failure' }));
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const other = new EvolutionHttpClient({
      baseUrl: `http://127.0.0.1:${(failing.address() as AddressInfo).port}`,
      globalApiKey: 'k',
    });
    try {
      await expect(other.connect({ instanceName: 'billing01' })).rejects.toMatchObject({
        message: 'Evolution connect failed: Error: Connection Failure',
        httpStatus: 200,
      });
    } finally {
      other.close();
      failing.closeAllConnections();
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });
});

describe('Reading connect answers', () => {
  it('When a version answers its fallback {instance: {status}, qrcode}, then the state and QR code are read from it', () => {
    const qrcode = { pairingCode: null, code: '2@a,b,c,d', base64: 'data:image/png;base64,AA', count: 2 };

    expect(
      parseConnectAnswer({ instance: { instanceName: 'b', status: 'connecting' }, qrcode }, 200),
    ).toEqual({
      state: 'connecting',
      qr: { code: '2@a,b,c,d', base64: 'data:image/png;base64,AA', pairingCode: null, count: 2 },
    });
  });

  it('When the answer is neither a state nor a QR code, then it is refused as unreadable', () => {
    expect(() => parseConnectAnswer(['what'], 200)).toThrow(/something other than a state or a QR code/);
    expect(() => parseConnectAnswer({ instance: { state: 'sleeping' } }, 200)).toThrow(EvolutionRequestError);
  });
});

describe('EvolutionHttpClient.logout', () => {
  it('When the instance is connected, then it is logged out and closed', async () => {
    const instance = newInstance('open');

    expect(await client.logout({ instanceName: instance.name })).toBe('logged-out');
    expect(sandbox.listInstances().find((row) => row.name === instance.name)?.state).toBe('close');
  });

  it('When the instance is already closed (400 "is not connected"), then it counts as done', async () => {
    const instance = newInstance('close');

    expect(await client.logout({ instanceName: instance.name })).toBe('already-closed');
  });

  it('When the key is refused, then an EvolutionRequestError carries the 401', async () => {
    const instance = newInstance('open');

    await expect(client.logout({ instanceName: instance.name, token: 'wrong' })).rejects.toMatchObject({
      operation: 'logout',
      httpStatus: 401,
    });
  });
});
