import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { EvolutionHttpClient, EvolutionRequestError, type SendOutcome } from '../src';

/*
 * The client against real sockets that misbehave, to prove the written/not-written line is drawn
 * from what actually happened on the wire, not from the error's name.
 */

// Larger than the loopback socket buffers (send + receive) can absorb, so the client is still
// writing when the peer gives up. Linux autotunes them to at most a few tens of MB.
const BIGGER_THAN_SOCKET_BUFFERS = 96 * 1024 * 1024;

interface Closable {
  close(): Promise<void>;
}

const opened: Closable[] = [];

afterAll(async () => {
  await Promise.all(opened.map((server) => server.close()));
});

async function tcpServer(
  onConnection: (socket: net.Socket) => void,
  options: net.ServerOpts = {},
): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(options, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function httpServer(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Reads a whole request body, then calls `then`. */
function afterBody(
  then: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): http.RequestListener {
  return (request, response) => {
    request.resume();
    request.on('end', () => then(request, response));
  };
}

async function sendVia(
  baseUrl: string,
  options: { timeoutMs?: number; text?: string } = {},
): Promise<SendOutcome> {
  const client = new EvolutionHttpClient({
    baseUrl,
    globalApiKey: 'k',
    timeoutMs: options.timeoutMs ?? 5000,
  });
  try {
    return await client.sendText({
      instanceName: 'billing01',
      number: '254712345678',
      text: options.text ?? 'hi',
    });
  } finally {
    client.close();
  }
}

describe('EvolutionHttpClient on failing networks', () => {
  describe('before the request is written', () => {
    it('When the port is closed, then the outcome is transient (ECONNREFUSED)', async () => {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise<void>((resolve) => probe.close(() => resolve()));

      const outcome = await sendVia(`http://127.0.0.1:${port}`);

      expect(outcome).toMatchObject({
        kind: 'transient',
        reason: expect.stringContaining('ECONNREFUSED') as unknown,
      });
    });

    it('When the host name does not resolve, then the outcome is transient', async () => {
      expect((await sendVia('http://evolution.invalid', { timeoutMs: 3000 })).kind).toBe('transient');
    });

    it('When the server resets while the body is still being written, then the outcome is transient', async () => {
      const url = await tcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));

      // A deadline far off: encoding 96 MB takes seconds on a loaded machine, and the deadline
      // passing first would be the next test's case, not this one's.
      const outcome = await sendVia(url, { timeoutMs: 25_000, text: 'x'.repeat(BIGGER_THAN_SOCKET_BUFFERS) });

      expect(outcome).toEqual({
        kind: 'transient',
        reason: 'Connection failed before the request was sent (ECONNRESET)',
      });
    });

    it('When the server never reads and the deadline passes mid-write, then the outcome is transient', async () => {
      const url = await tcpServer(() => undefined, { pauseOnConnect: true });

      const outcome = await sendVia(url, { timeoutMs: 500, text: 'x'.repeat(BIGGER_THAN_SOCKET_BUFFERS) });

      expect(outcome).toEqual({
        kind: 'transient',
        reason: 'Timed out before the request reached Evolution',
      });
    });
  });

  describe('after the request is written', () => {
    it('When the server reads the request and resets the connection, then the outcome is ambiguous', async () => {
      const url = await httpServer(afterBody((request) => request.socket.resetAndDestroy()));

      expect(await sendVia(url)).toEqual({
        kind: 'ambiguous',
        reason: 'Connection lost after the request was sent (ECONNRESET)',
      });
    });

    it('When the server reads the request and closes without answering (socket hang up), then the outcome is ambiguous', async () => {
      const url = await httpServer(afterBody((request) => request.socket.end()));

      expect((await sendVia(url)).kind).toBe('ambiguous');
    });

    it('When the server reads the request and never answers, then the deadline gives an ambiguous outcome', async () => {
      const url = await httpServer(afterBody(() => undefined));

      // Long enough for a loaded machine to write the request first: that is the case here.
      expect(await sendVia(url, { timeoutMs: 2000 })).toEqual({
        kind: 'ambiguous',
        reason: 'Timed out waiting for Evolution after the request was sent',
      });
    });

    it('When the response is cut off after its status line, then the outcome is ambiguous', async () => {
      const url = await httpServer(
        afterBody((request, response) => {
          response.writeHead(201, { 'content-type': 'application/json', 'content-length': '500' });
          response.write('{"key":{"id":"3EB0', () => request.socket.resetAndDestroy());
        }),
      );

      expect((await sendVia(url)).kind).toBe('ambiguous');
    });

    it('When a keep-alive socket served a success before, then a reset of the next request is still judged per request', async () => {
      let calls = 0;
      const url = await httpServer(
        afterBody((request, response) => {
          calls += 1;
          if (calls === 1) {
            response.writeHead(201, { 'content-type': 'application/json' }).end('{"key":{"id":"3EB0AAA"}}');
          } else {
            request.socket.resetAndDestroy();
          }
        }),
      );
      const client = new EvolutionHttpClient({ baseUrl: url, globalApiKey: 'k' });
      const request = { instanceName: 'billing01', number: '254712345678', text: 'hi' };

      const first = await client.sendText(request);
      const second = await client.sendText(request);
      client.close();

      expect(first).toEqual({ kind: 'sent', providerMessageId: '3EB0AAA' });
      expect(second.kind).toBe('ambiguous');
    });
  });

  describe('proving an instance token', () => {
    const prove = async (baseUrl: string) => {
      const client = new EvolutionHttpClient({ baseUrl, globalApiKey: 'k', timeoutMs: 5000 });
      try {
        return await client.proveInstanceToken('billing01', 'instance-token');
      } finally {
        client.close();
      }
    };

    it('When Evolution cannot be reached, then it throws instead of answering not proven', async () => {
      const url = await tcpServer((socket) => socket.destroy());
      await expect(prove(url)).rejects.toBeInstanceOf(EvolutionRequestError);
    });

    it.each([500, 502, 503, 429])(
      'When Evolution answers HTTP %i, then it throws with that status instead of answering not proven',
      async (status) => {
        const url = await httpServer((_request, response) => response.writeHead(status).end());
        await expect(prove(url)).rejects.toMatchObject({ httpStatus: status });
      },
    );

    it('When something answers 200 without naming the instance, then it throws instead of proving', async () => {
      const url = await httpServer((_request, response) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      );
      await expect(prove(url)).rejects.toBeInstanceOf(EvolutionRequestError);
    });

    it('When the token is checked, then it goes as the apikey on the route naming the instance', async () => {
      const seen: { url?: string; apikey?: string } = {};
      const url = await httpServer((request, response) => {
        seen.url = request.url;
        seen.apikey = request.headers.apikey as string;
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"instance":{"instanceName":"billing01","state":"close"}}');
      });
      await expect(prove(url)).resolves.toBe('proven');
      expect(seen).toEqual({ url: '/instance/connectionState/billing01', apikey: 'instance-token' });
    });
  });

  describe('what goes on the wire', () => {
    it('When sending, then the path encodes the instance name, apikey prefers the token, and linkPreview is false', async () => {
      const seen: { url?: string; apikey?: string; body?: unknown } = {};
      const url = await httpServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          seen.url = request.url;
          seen.apikey = request.headers.apikey as string;
          seen.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          response.writeHead(201, { 'content-type': 'application/json' }).end('{"key":{"id":"3EB0BBB"}}');
        });
      });
      const client = new EvolutionHttpClient({ baseUrl: `${url}/evolution/`, globalApiKey: 'global' });

      await client.sendText({
        instanceName: 'billing 01/ke',
        token: 'instance-token',
        number: '254712345678',
        text: 'hi',
      });
      client.close();

      expect(seen).toEqual({
        url: '/evolution/message/sendText/billing%2001%2Fke',
        apikey: 'instance-token',
        body: { number: '254712345678', text: 'hi', linkPreview: false },
      });
    });

    it('When Evolution answers something that is not JSON, then the outcome is still classified', async () => {
      const url = await httpServer(
        afterBody((_request, response) => response.writeHead(502).end('<html>Bad Gateway</html>')),
      );

      expect(await sendVia(url)).toEqual({
        kind: 'ambiguous',
        httpStatus: 502,
        reason: 'Evolution failed unexpectedly: <html>Bad Gateway</html>',
      });
    });
  });
});
