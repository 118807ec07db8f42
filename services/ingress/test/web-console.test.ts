import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { consoleRoutes } from '../src/console/console.routes';
import { useIngress } from '../../../test/support/use-ingress';

const context = useIngress();
let built: string;
let empty: string;

beforeAll(() => {
  built = mkdtempSync(join(tmpdir(), 'telenexus-console-'));
  mkdirSync(join(built, 'assets'));
  writeFileSync(join(built, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(built, 'assets', 'index-Ab12Cd34.js'), 'console.log("app")');
  empty = mkdtempSync(join(tmpdir(), 'telenexus-console-empty-'));
});

afterAll(() => {
  rmSync(built, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

function consoleApp(directory: string | null) {
  const app = express();
  app.use('/console', consoleRoutes({ directory }));
  return app;
}

const SECURITY_HEADERS = {
  'content-security-policy': expect.stringContaining("script-src 'self'"),
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

describe('The web console at /console', () => {
  it('When the built console is asked for, then ingress serves it with its security headers, from / too', async () => {
    const root = await request(context.ingress.app).get('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/console/');

    const page = await request(context.ingress.app).get('/console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="app"></div>');
    expect(page.headers).toMatchObject(SECURITY_HEADERS);
    const policy = page.headers['content-security-policy'] as string;
    for (const directive of [
      "default-src 'none'",
      "style-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
    ])
      expect(policy).toContain(directive);
    expect(policy).not.toContain('unsafe-inline');

    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await request(context.ingress.app).get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('When a deep link is opened, then it gets the app (not cached), and a missing asset is a 404', async () => {
    const app = consoleApp(built);

    for (const path of [
      '/console/',
      '/console/instances/0a485512-968d-4ae3-aeae-40ac8750a160/messages',
      '/console/api-keys',
    ]) {
      const response = await request(app).get(path);
      expect(response.status).toBe(200);
      expect(response.text).toBe('<!doctype html><div id="app"></div>');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
    }
    const withoutSlash = await request(app).get('/console');
    expect(withoutSlash.status).toBe(301);
    expect(withoutSlash.headers.location).toBe('/console/');

    const asset = await request(app).get('/console/assets/index-Ab12Cd34.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(app).get('/console/assets/index-Gone0000.js')).status).toBe(404);
    expect((await request(app).get('/console/index.html')).headers['cache-control']).toBe('no-cache');
  });

  it('When the console was not built, then /console says to run npm run build instead of failing', async () => {
    for (const directory of [empty, null]) {
      const response = await request(consoleApp(directory)).get('/console/instances');

      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('The Telenexus console is not built');
      expect(response.text).toContain('npm run build');
      expect(response.headers).toMatchObject(SECURITY_HEADERS);
    }
  });

  it('When the console is built while ingress runs, then it is served without a restart', async () => {
    const later = mkdtempSync(join(tmpdir(), 'telenexus-console-later-'));
    try {
      const app = consoleApp(later);
      expect((await request(app).get('/console/')).status).toBe(503);
      writeFileSync(join(later, 'index.html'), '<!doctype html><p>built</p>');
      const response = await request(app).get('/console/');
      expect(response.status).toBe(200);
      expect(response.text).toContain('built');
    } finally {
      rmSync(later, { recursive: true, force: true });
    }
  });
});
