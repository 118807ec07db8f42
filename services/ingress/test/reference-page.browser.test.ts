import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from '../../../test/console/headless-chromium';
import { useIngress } from '../../../test/support/use-ingress';

/*
 * `/docs` in headless Chromium: the page renders the OpenAPI document with the renderer ingress
 * serves itself, under its Content-Security-Policy, without a request leaving the server.
 */

let server: Server;
let baseUrl: string;
let browser: Browser;

// Registered before useIngress's, so it runs first: the browser and server stop before the app closes.
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

const context = useIngress();

beforeAll(async () => {
  server = await new Promise<Server>((resolve) => {
    const listening = context.ingress.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

/** A page that records uncaught errors, console errors (a CSP violation is one) and other hosts asked. */
async function openReference(): Promise<{ page: Page; problems: string[]; elsewhere: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const elsewhere: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('request', (sent) => {
    if (!sent.url().startsWith(baseUrl) && !sent.url().startsWith('data:')) elsewhere.push(sent.url());
  });
  await page.goto(`${baseUrl}/docs`);
  return { page, problems, elsewhere };
}

describe('The API reference page, in headless Chromium', () => {
  it("When /docs is opened, then it shows the API's title and the guide's endpoint, with no error and nothing fetched elsewhere", async () => {
    const { page, problems, elsewhere } = await openReference();
    await page.getByRole('heading', { name: /Telenexus API/ }).waitFor();
    const operation = page.locator('.opblock-post', { hasText: 'Send a billing notification' }).first();
    await operation.waitFor();
    expect(await operation.locator('[data-path="/api/v1/billing/send-notification"]').count()).toBe(1);

    await operation.locator('.opblock-summary-control').click();
    await operation.getByText('Your billing instance ID').first().waitFor();
    await operation.getByText('Missing required fields, invalid data format').first().waitFor();
    await operation.getByText('Invalid or missing API key').first().waitFor();
    await screenshot(page, 'api-reference');

    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
    await page.close();
  });

  it('When the tags are listed, then every group of the API is there, the management routes included', async () => {
    const { page, problems } = await openReference();
    await page.locator('.opblock-tag').first().waitFor();
    const tags = await page.locator('.opblock-tag').allInnerTexts();
    for (const tag of [
      'Billing notifications',
      'Messages',
      'API keys',
      'Instances',
      'Status webhooks',
      'Operations',
    ]) {
      expect(tags.some((text) => text.startsWith(tag))).toBe(true);
    }
    expect(problems).toEqual([]);
    await page.close();
  });
});
