import request from 'supertest';
import { buildOpenApiDocument } from '../src/api-docs/openapi-document';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';
import { useIngress } from '../../../test/support/use-ingress';

const context = useIngress();

describe('GET /api/openapi.json', () => {
  it('When it is fetched without a key, then it is the OpenAPI 3.1 document, its server PUBLIC_BASE_URL', async () => {
    const response = await request(context.ingress.app).get('/api/openapi.json').expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual(
      JSON.parse(JSON.stringify(buildOpenApiDocument({ publicBaseUrl: TEST_PUBLIC_BASE_URL }))),
    );
    expect(response.body.servers).toEqual([{ url: TEST_PUBLIC_BASE_URL, description: expect.any(String) }]);
    expect(response.body.components.schemas.NotFoundProblem.properties.type).toEqual({
      const: `${TEST_PUBLIC_BASE_URL}/api/problems/not_found`,
    });
  });
});

describe('GET /docs', () => {
  it('When the reference page is fetched, then it loads Swagger UI from this server under a strict policy', async () => {
    const response = await request(context.ingress.app).get('/docs').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-');
    expect(response.headers['x-frame-options']).toBe('DENY');
    const sources = [...response.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources).toContain('/api/openapi.json');
    expect(sources.every((source) => source.startsWith('/'))).toBe(true);
    expect(response.text).not.toMatch(/<script>|<style>|style=/);
    for (const source of sources.filter((candidate) => candidate.startsWith('/docs/assets/'))) {
      const asset = await request(context.ingress.app).get(source).expect(200);
      expect(asset.headers['content-security-policy']).toBe(response.headers['content-security-policy']);
    }
  });

  it("When the renderer's files are fetched, then its bundle is served as JavaScript and its demo page is not", async () => {
    const bundle = await request(context.ingress.app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
    expect(bundle.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers['x-content-type-options']).toBe('nosniff');
    const initializer = await request(context.ingress.app).get('/docs/assets/reference-page.js').expect(200);
    expect(initializer.text).toContain("url: '/api/openapi.json'");
    expect(initializer.text).toContain('validatorUrl: null');
    for (const path of [
      '/docs/assets/index.html',
      '/docs/assets/swagger-initializer.js',
      '/docs/assets/..%2Fpackage.json',
    ]) {
      const refused = await request(context.ingress.app).get(path).expect(404);
      expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
  });
});
