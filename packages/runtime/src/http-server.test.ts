import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { closeServer, listen } from './http-server';

function statusOf(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    call.on('error', reject);
    call.end();
  });
}

describe('listen', () => {
  const app = express().get('/echo', (_request, response) => {
    response.status(200).end();
  });
  const longPath = `/echo?text=${'%F0%9F%8E%89'.repeat(2500)}`; // 30 KB: 2,500 emoji, percent-encoded

  it('When a request line is longer than 16 KiB and maxHeaderSize allows it, then it is answered', async () => {
    const server = await listen(app, 0, '127.0.0.1', { maxHeaderSize: 64 * 1024 });
    try {
      expect(await statusOf((server.address() as AddressInfo).port, longPath)).toBe(200);
    } finally {
      await closeServer(server);
    }
  });

  it("When no maxHeaderSize is given, then Node's 16 KiB holds and the same request answers 431", async () => {
    const server = await listen(app, 0, '127.0.0.1');
    try {
      expect(await statusOf((server.address() as AddressInfo).port, longPath)).toBe(431);
    } finally {
      await closeServer(server);
    }
  });

  it('When the port is taken, then it rejects with the reason instead of starting', async () => {
    const first = await listen(app, 0, '127.0.0.1');
    try {
      await expect(listen(app, (first.address() as AddressInfo).port, '127.0.0.1')).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await closeServer(first);
    }
  });
});
