// The functions given to page.evaluate run in the browser, against its DOM.
/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { waitFor } from '../support/wait-for';
import { startConsoleSystem, type ConsoleSystem } from './console-system';
import { launchChromium, screenshot } from './headless-chromium';

/**
 * What a new user does with only the README: `npm start`, sign in to the console with the admin
 * key, create a key and see it once, copy the endpoint and instance ID from API Integration, run
 * the guide's example with them, and watch the message turn delivered in the Messages tab. The
 * compiled system runs as `npm start` runs it; headless Chromium drives the built console.
 */

let system: ConsoleSystem;
let browser: Browser;
let receiver: Server;
const received: string[] = [];

async function api<T>(
  path: string,
  key: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${system.baseUrl}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A page that records uncaught errors and console errors (a CSP violation shows up there). */
async function newPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Chromium logs every 4xx answer; those the console expects (a refused key) are not problems.
    if (message.type() === 'error' && !/^Failed to load resource: .* status of 40[13]/.test(message.text()))
      problems.push(message.text());
  });
  return { page, problems };
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${system.baseUrl}/console/`);
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Instances' }).waitFor();
  // The list has loaded: no request of the first page is still on its way.
  await page.getByRole('link', { name: 'Billing' }).waitFor();
}

async function noHorizontalOverflow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

beforeAll(async () => {
  browser = await launchChromium();
  receiver = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on('end', () => {
      received.push(String(request.headers['telenexus-event-type']));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  system = await startConsoleSystem();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
}, 30_000);

describe('The web console, in headless Chromium', () => {
  it("When a new user follows the guide in the console, then the key is shown once, the copied values are the API's, and the guide's example turns delivered in the Messages tab", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.baseUrl });
    const { page, problems } = await newPage(context);
    const clipboard = (): Promise<string> => page.evaluate(() => navigator.clipboard.readText());

    // Sign-in refuses a key with neither admin nor support, in words.
    await page.goto(`${system.baseUrl}/`);
    await page.waitForURL(/\/console\/$/);
    await page.getByLabel('API key', { exact: true }).fill(system.sendKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('This key cannot sign in to the console').waitFor();
    await screenshot(page, 'sign-in-refused');

    await page.getByLabel('API key', { exact: true }).fill(system.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Instances' }).waitFor();
    expect(
      await page.evaluate(() =>
        Object.values({ ...sessionStorage }).map((value) => JSON.parse(value) as unknown),
      ),
    ).toEqual([{ apiKey: system.adminKey, role: 'admin' }]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await context.cookies()).toEqual([]);
    await page
      .getByRole('row', { name: /Billing/ })
      .getByText(/Connected|Connecting|Connection unknown/)
      .waitFor();
    await screenshot(page, 'instances');

    // API Keys: create one with send_message; it is shown once, with a copy button and the warning.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Keys' }).click();
    await page.getByRole('button', { name: 'Create API Key' }).click();
    const createDialog = page.getByRole('dialog', { name: 'Create API Key' });
    await createDialog.getByLabel('Name', { exact: true }).fill('WISPMAN Integration');
    expect(await createDialog.getByLabel('send_message', { exact: true }).isChecked()).toBe(true);
    expect(await createDialog.getByLabel('admin', { exact: true }).isChecked()).toBe(false);
    await createDialog.getByRole('button', { name: 'Create', exact: true }).click();
    const shownDialog = page.getByRole('dialog', { name: /API key "WISPMAN Integration" created/ });
    await shownDialog.getByText("You won't see it again!").waitFor();
    const newKey = (await shownDialog.locator('#secret-once').textContent())!.trim();
    expect(newKey).toMatch(/^tnx_[A-Za-z0-9_-]{43}$/);
    await shownDialog.getByRole('button', { name: 'Copy API key' }).click();
    await shownDialog.getByRole('button', { name: 'Copied API key' }).waitFor();
    expect(await clipboard()).toBe(newKey);
    await screenshot(page, 'api-key-shown-once');
    await shownDialog.getByRole('button', { name: 'I have stored it, close' }).click();
    await shownDialog.waitFor({ state: 'hidden' });
    const keyRow = page.getByRole('row', { name: /WISPMAN Integration/ });
    await keyRow.getByText(`${newKey.slice(0, 12)}…${newKey.slice(-4)}`).waitFor();
    expect(await page.content()).not.toContain(newKey);
    await page.reload();
    await page.getByRole('row', { name: /WISPMAN Integration/ }).waitFor();
    expect(await page.content()).not.toContain(newKey);
    await screenshot(page, 'api-keys');

    // Webhooks: a receiver of our own, so the delivery log has something to show later.
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/telenexus/webhooks`;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const endpointDialog = page.getByRole('dialog', { name: 'Add webhook endpoint' });
    await endpointDialog.getByLabel('URL').fill(receiverUrl);
    await endpointDialog.getByLabel('Description').fill('Test receiver');
    await endpointDialog.getByRole('button', { name: 'Add endpoint' }).click();
    const secretDialog = page.getByRole('dialog', { name: 'Signing secret' });
    expect((await secretDialog.locator('#secret-once').textContent())!.trim()).toMatch(/^whsec_/);
    await secretDialog.getByRole('button', { name: 'I have stored it, close' }).click();
    // Exactly: the endpoint's buttons name the URL too, for screen readers.
    await page.getByRole('listitem').getByText(receiverUrl, { exact: true }).waitFor();

    // API Integration: both values are shown as text and copied exactly as the API gives them.
    const integration = await api<{
      api_endpoint_url: string;
      instance_id: string;
      curl_example: string;
      url_gateway: { url_template: string; key_placeholder: string };
    }>(`/api/v1/instances/${system.instanceId}/integration`, system.adminKey);
    expect(integration.status).toBe(200);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instances' }).click();
    await page.getByRole('link', { name: 'Billing' }).click();
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'API Integration' })
      .click();
    await page.waitForURL(/\/integration$/);
    expect((await page.locator('#api-endpoint-url').textContent())?.trim()).toBe(
      integration.body.api_endpoint_url,
    );
    expect((await page.locator('#instance-id').textContent())?.trim()).toBe(system.instanceId);
    expect(await page.locator('#curl-example').textContent()).toBe(integration.body.curl_example);
    await page.getByRole('button', { name: 'Copy API Endpoint URL' }).click();
    await page.getByRole('button', { name: 'Copied API Endpoint URL' }).waitFor();
    const copiedEndpoint = await clipboard();
    expect(copiedEndpoint).toBe(integration.body.api_endpoint_url);
    await page.getByRole('button', { name: 'Copy Instance ID' }).click();
    await page.getByRole('button', { name: 'Copied Instance ID' }).waitFor();
    const copiedInstanceId = await clipboard();
    expect(copiedInstanceId).toBe(system.instanceId);
    expect(copiedEndpoint).toBe(
      `${system.baseUrl}/api/v1/billing/send-notification?instance_id=${copiedInstanceId}`,
    );
    await screenshot(page, 'api-integration');

    // The URL gateway: the template as the API gives it, then a send_text key made for it and filled in.
    const template = integration.body.url_gateway.url_template;
    expect((await page.locator('#gateway-url-template').textContent())?.trim()).toBe(template);
    await page.getByRole('button', { name: 'Create a send_text key and fill it in' }).click();
    const filled = (await page.locator('#gateway-url').textContent())!.trim();
    const [before, after] = template.split(integration.body.url_gateway.key_placeholder) as [string, string];
    expect(filled.startsWith(before) && filled.endsWith(after)).toBe(true);
    const gatewayKey = decodeURIComponent(filled.slice(before.length, filled.length - after.length));
    const keys = await api<{ data: { name: string; permissions: string[]; last4: string }[] }>(
      '/api/v1/api-keys',
      system.adminKey,
    );
    expect(keys.body.data.filter((key) => key.permissions.includes('send_text'))).toEqual([
      expect.objectContaining({
        name: 'URL gateway: Billing',
        permissions: ['send_text'],
        last4: gatewayKey.slice(-4),
      }),
    ]);

    // Messages: open the tab (auto-refresh is on), then run the guide's Step 4 example with the
    // copied endpoint and the new key, as the cURL would.
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await page.getByText('No messages match these filters yet.').waitFor();
    expect(await page.getByLabel(/Auto-refresh/).isChecked()).toBe(true);
    const sent = await fetch(copiedEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${newKey}` },
      body: JSON.stringify({
        phone_number: '254712345678',
        customer_name: 'Test Customer',
        amount: 100.0,
        currency: 'KES',
        invoice_id: 'TEST-001',
        message_type: 'payment_reminder',
      }),
    });
    const answer = (await sent.json()) as { success: boolean; message_id: string; invoice_id: string };
    expect(answer).toEqual({ success: true, message_id: expect.any(String), invoice_id: 'TEST-001' });

    const row = page.locator(`tr[data-message-id="${answer.message_id}"]`);
    const seen = new Set<string>();
    await waitFor(
      async () => {
        if ((await row.count()) === 0) return false;
        const status = (await row.getByRole('cell').nth(1).textContent())?.trim() ?? '';
        seen.add(status);
        if (status === 'Delivered') await screenshot(page, 'messages-delivered');
        return status === 'Delivered' || status === 'Read';
      },
      'the message to turn delivered in the Messages tab',
      20_000,
    );
    if (!seen.has('Delivered')) await screenshot(page, 'messages-delivered');
    expect(
      [...seen].every((status) => ['Queued', 'Sending', 'Sent', 'Delivered', 'Read'].includes(status)),
    ).toBe(true);
    await row.getByRole('cell', { name: 'TEST-001', exact: true }).waitFor();

    // The timeline: the delivery receipt is there, whether or not a refresh caught "Delivered" itself.
    await row.getByRole('button', { name: /Timeline/ }).click();
    const detail = page.getByRole('dialog', { name: 'Message to 254712345678' });
    await detail.locator('li[data-event-type="receipt"][data-event-status="delivered"]').waitFor();
    expect(
      seen.has('Delivered') || (await detail.locator('[data-event-status="delivered"]').count()) > 0,
    ).toBe(true);
    await detail.getByText('Dear Test Customer,', { exact: false }).waitFor();
    await screenshot(page, 'message-timeline');
    await detail.getByRole('button', { name: 'Close' }).click();

    // Filters reach the API: a status the message never had shows nothing.
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No messages match these filters yet.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();

    // Templates: the four texts of the guide with its sample data.
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'Templates' })
      .click();
    await page.getByRole('heading', { name: /Payment reminder/ }).waitFor();
    expect(await page.locator('.template-grid .message-text').allTextContents()).toEqual([
      expect.stringContaining('This is a reminder that your payment of KES 1,500.00 is due.'),
      expect.stringContaining('A new invoice has been generated for your account.'),
      expect.stringContaining('Your account is now OVERDUE.'),
      expect.stringContaining('Thank you! We have received your payment.'),
    ]);
    await screenshot(page, 'templates');

    // The status webhook reached our receiver, and the delivery log shows it.
    await waitFor(() => received.includes('message.delivered'), 'the message.delivered webhook', 15_000);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Show deliveries' }).click();
    await page
      .getByRole('row', { name: /message\.delivered/ })
      .getByText('HTTP 204')
      .waitFor();
    await screenshot(page, 'webhooks');

    // Send test event: the dispatcher POSTs endpoint.test to the receiver, and the page says how it went.
    await page.getByRole('button', { name: /^Send test event to / }).click();
    await page.getByText(/^Delivered: your endpoint answered HTTP 204 in \d+ ms\.$/).waitFor();
    await waitFor(() => received.includes('endpoint.test'), 'the endpoint.test webhook');

    // Replay: the dialog queues the endpoint's events of the last day again and says how many, in words.
    await page.getByRole('button', { name: /^Replay events to / }).click();
    const replayDialog = page.getByRole('dialog', { name: 'Replay events' });
    await replayDialog.getByRole('button', { name: 'Replay events' }).click();
    await replayDialog
      .getByText(/^\d+ events? queued for redelivery, each with its original event id\.$/)
      .waitFor();
    await replayDialog.getByRole('button', { name: 'Close' }).click();

    // Signing out forgets the key.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('When the admin key is revoked while signed in, then the next page asks to sign in again, in words', async () => {
    const created = await api<{ id: string; key: string }>('/api/v1/api-keys', system.adminKey, {
      method: 'POST',
      body: JSON.stringify({ name: 'Support admin', permissions: ['admin'] }),
    });
    expect(created.status).toBe(201);
    const context = await browser.newContext();
    const { page, problems } = await newPage(context);
    await signIn(page, created.body.key);
    expect(
      (await api(`/api/v1/api-keys/${created.body.id}`, system.adminKey, { method: 'DELETE' })).status,
    ).toBe(200);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API Keys' }).click();
    await page.getByText('Telenexus no longer accepts the API key you signed in with').waitFor();
    await page.getByLabel('API key', { exact: true }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.content()).not.toMatch(/"detail"/);
    expect(problems).toEqual([]);
    await context.close();
  }, 30_000);

  it('When the number drops, then the QR Code tab shows it red, Reconnect shows the QR code, and the badge turns green by itself once the phone scans', async () => {
    const instance = await api<{ evolution_instance_name: string }>(
      `/api/v1/instances/${system.instanceId}`,
      system.adminKey,
    );
    const sandboxInstance = `${system.sandboxUrl}/__sandbox/instances/${instance.body.evolution_instance_name}`;
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/telenexus/instance-events`;
    const endpoint = await api('/api/v1/webhook-endpoints', system.adminKey, {
      method: 'POST',
      body: JSON.stringify({ url: receiverUrl, events: ['instance.disconnected', 'instance.connected'] }),
    });
    expect(endpoint.status).toBe(201);
    const connectionState = async (): Promise<string> =>
      (await api<{ state: string }>(`/api/v1/instances/${system.instanceId}/connection`, system.adminKey))
        .body.state;

    // WhatsApp logs the number out: Evolution's connection.update reaches ingress.
    expect((await fetch(`${sandboxInstance}/disconnect`, { method: 'POST' })).status).toBe(200);
    await waitFor(async () => (await connectionState()) === 'close', 'the instance to be recorded closed');

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    await signIn(page, system.adminKey);
    await page
      .getByRole('row', { name: /Billing/ })
      .locator('.badge-bad', { hasText: 'Disconnected' })
      .waitFor();
    await page.getByRole('link', { name: 'Billing' }).click();
    await page
      .getByRole('navigation', { name: 'Instance sections' })
      .getByRole('link', { name: 'QR Code' })
      .click();
    await page.waitForURL(/\/qr-code$/);
    const badge = page.getByTestId('connection-state').locator('.badge');
    await badge.and(page.locator('.badge-bad')).getByText('Disconnected').waitFor();
    await page
      .locator('[data-connection-state="close"]')
      .getByText(/statusReason 401: logged out/)
      .waitFor();
    await screenshot(page, 'qr-code-disconnected');

    await page.getByRole('button', { name: 'Reconnect' }).click();
    const qr = page.getByRole('img', { name: /QR code to scan with WhatsApp/ });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await badge.and(page.locator('.badge-progress')).getByText('Connecting').waitFor();
    expect(await qr.evaluate((image) => (image as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    await screenshot(page, 'qr-code-scan-me');

    // The phone scans: only the tab's own reading can turn the badge green.
    expect((await fetch(`${sandboxInstance}/scan`, { method: 'POST' })).status).toBe(200);
    await badge.and(page.locator('.badge-good')).getByText('Connected').waitFor({ timeout: 15_000 });
    await qr.waitFor({ state: 'detached' });
    await page.locator('.page-head .badge-good').getByText('Connected').waitFor();
    await page.locator('[data-connection-state="open"]').first().waitFor();
    await screenshot(page, 'qr-code-connected');

    await waitFor(
      () => received.includes('instance.disconnected') && received.includes('instance.connected'),
      'the instance.disconnected and instance.connected webhooks',
      15_000,
    );
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('When the console is used at phone width (375 px), then no page scrolls sideways and the key controls are visible', async () => {
    const sent = await api<{ message_id: string }>(
      `/api/v1/billing/send-notification?instance_id=${system.instanceId}`,
      system.sendKey,
      {
        method: 'POST',
        body: JSON.stringify({
          phone_number: '0712 345 678',
          customer_name: 'A Customer With A Rather Long Name For A Small Screen',
          amount: 2500,
          currency: 'KES',
          invoice_id: 'PHONE-WIDTH-INVOICE-2026-000123',
          message_type: 'invoice',
        }),
      },
    );
    expect(sent.status).toBe(200);
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const { page, problems } = await newPage(context);
    await signIn(page, system.adminKey);
    const pages: { name: string; path: string; controls: (page: Page) => ReturnType<Page['getByRole']>[] }[] =
      [
        {
          name: 'instances',
          path: '/console/instances',
          controls: (p) => [
            p.getByRole('button', { name: 'Create instance' }),
            p.getByRole('link', { name: 'Billing' }),
          ],
        },
        {
          name: 'instance-overview',
          path: `/console/instances/${system.instanceId}`,
          controls: (p) => [
            p.getByRole('link', { name: 'API Integration' }),
            p.getByRole('button', { name: 'Save settings' }),
          ],
        },
        {
          name: 'instance-integration',
          path: `/console/instances/${system.instanceId}/integration`,
          controls: (p) => [
            p.getByRole('button', { name: 'Copy API Endpoint URL' }),
            p.getByRole('button', { name: 'Copy Instance ID' }),
            p.getByRole('button', { name: 'Copy cURL example' }),
          ],
        },
        {
          name: 'instance-qr-code',
          path: `/console/instances/${system.instanceId}/qr-code`,
          controls: (p) => [
            p.getByRole('link', { name: 'QR Code' }),
            p.getByRole('button', { name: 'Log the number out' }),
          ],
        },
        {
          name: 'instance-messages',
          path: `/console/instances/${system.instanceId}/messages`,
          controls: (p) => [
            p.getByRole('button', { name: 'Apply filters' }),
            p.getByRole('button', { name: /Timeline/ }).first(),
          ],
        },
        {
          name: 'instance-queue',
          path: `/console/instances/${system.instanceId}/queue`,
          controls: (p) => [p.getByRole('heading', { name: 'Oldest waiting message' })],
        },
        {
          name: 'instance-templates',
          path: `/console/instances/${system.instanceId}/templates`,
          controls: (p) => [p.getByRole('heading', { name: /Payment reminder/ })],
        },
        {
          name: 'api-keys',
          path: '/console/api-keys',
          controls: (p) => [
            p.getByRole('button', { name: 'Create API Key' }),
            p.getByRole('button', { name: /Revoke/ }).first(),
          ],
        },
        {
          name: 'webhooks',
          path: '/console/webhooks',
          controls: (p) => [p.getByRole('button', { name: 'Add endpoint' })],
        },
      ];
    for (const { name, path, controls } of pages) {
      // A deep link: ingress answers every console path with the app.
      await page.goto(`${system.baseUrl}${path}`);
      for (const control of controls(page)) {
        await control.waitFor({ state: 'visible' });
        await control.scrollIntoViewIfNeeded();
        const box = await control.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      }
      await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
      expect({ page: name, fits: await noHorizontalOverflow(page) }).toEqual({ page: name, fits: true });
      await screenshot(page, `phone-${name}`);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("When an admin links a number in the console, then a token that is not the instance's own is refused in words, and the instance's own token links it", async () => {
    const evolutionName = `console-${randomUUID().slice(0, 8)}`;
    const paired = await fetch(`${system.sandboxUrl}/__sandbox/instances`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: evolutionName }),
    });
    const { token } = (await paired.json()) as { token: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    await signIn(page, system.adminKey);

    await page.getByRole('button', { name: 'Create instance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create instance' });
    await dialog.getByText('Evolution Manager shows it on the instance').waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill('Second number');
    await dialog.getByLabel('Evolution instance name').fill(evolutionName);
    await dialog.getByLabel('Evolution instance token').fill('not-the-token');
    await dialog.getByRole('button', { name: 'Create instance' }).click();
    await dialog
      .getByText("Evolution instance not found, or the token is not that instance's own token.")
      .waitFor();
    await screenshot(page, 'instance-create-refused');

    await dialog.getByLabel('Evolution instance token').fill(token);
    await dialog.getByRole('button', { name: 'Create instance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Second number' }).waitFor();
    expect(await page.content()).not.toContain(token);
    // The refused link's 404 is logged by Chromium like any 4xx; nothing else may be.
    expect(problems.filter((problem) => !/status of 404/.test(problem))).toEqual([]);
    await context.close();
  }, 30_000);

  it('When support staff sign in with a support key, then they see the instances, a message with its timeline, the queue and batches, and nothing to change', async () => {
    const supportKey = await api<{ key: string }>('/api/v1/api-keys', system.adminKey, {
      method: 'POST',
      body: JSON.stringify({ name: 'Support desk', permissions: ['support'] }),
    });
    expect(supportKey.status).toBe(201);
    const batch = await api<{ batch_id: string; accepted: number }>(
      `/api/v1/billing/send-notifications?instance_id=${system.instanceId}`,
      system.sendKey,
      {
        method: 'POST',
        body: JSON.stringify({
          notifications: ['SUPPORT-1', 'SUPPORT-2'].map((invoice) => ({
            phone_number: '254712345678',
            customer_name: 'Support Customer',
            amount: 300,
            currency: 'KES',
            invoice_id: invoice,
            message_type: 'invoice',
          })),
        }),
      },
    );
    expect(batch.body.accepted).toBe(2);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);

    await signIn(page, supportKey.body.key);
    expect(
      await page.evaluate(() =>
        Object.values({ ...sessionStorage }).map((value) => JSON.parse(value) as unknown),
      ),
    ).toEqual([{ apiKey: supportKey.body.key, role: 'support' }]);
    await page.getByText('Support (read-only)', { exact: true }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Instances']);
    expect(await page.getByRole('button', { name: 'Create instance' }).count()).toBe(0);
    await screenshot(page, 'support-instances');

    // The instance: its settings are shown, with no form, button or tab that changes anything.
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('heading', { level: 2, name: 'Settings' }).waitFor();
    const sections = page.getByRole('navigation', { name: 'Instance sections' });
    expect(await sections.getByRole('link').allTextContents()).toEqual([
      'Overview',
      'QR Code',
      'Messages',
      'Queue',
      'Templates',
    ]);
    expect(await page.locator('main form').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Save settings|Delete instance|webhook/ }).count()).toBe(0);
    await sections.getByRole('link', { name: 'QR Code' }).click();
    await page.getByTestId('connection-state').waitFor();
    expect(await page.getByRole('button', { name: /Reconnect|Log the number out/ }).count()).toBe(0);

    // Messages: the batch's message with its timeline.
    await sections.getByRole('link', { name: 'Messages' }).click();
    const row = page.getByRole('row').filter({ hasText: 'SUPPORT-1' });
    await row.getByRole('button', { name: /Timeline/ }).click();
    const detail = page.getByRole('dialog', { name: 'Message to 254712345678' });
    await detail.locator('li[data-event-type="accepted"]').waitFor();
    await screenshot(page, 'support-message-timeline');
    await detail.getByRole('button', { name: 'Close' }).click();

    // Queue: the counts, and the batch among the recent batches.
    await sections.getByRole('link', { name: 'Queue' }).click();
    await page.waitForURL(/\/queue$/);
    for (const label of [
      'Ready',
      'Waiting (pace, quiet hours, retry)',
      'Scheduled (send_at ahead)',
      'Held (disconnected)',
      'In flight',
      'Failed, last 24 h',
    ]) {
      await page.locator('.queue-counts dt', { hasText: label }).waitFor();
    }
    await page.locator(`tr[data-batch-id="${batch.body.batch_id}"]`).waitFor();
    await screenshot(page, 'support-queue');

    // The keys and webhooks pages do not exist for support, even by their address.
    await page.goto(`${system.baseUrl}/console/api-keys`);
    await page.getByRole('heading', { level: 1, name: /not found/i }).waitFor();
    expect(await page.getByRole('button', { name: 'Create API Key' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('When an admin opens the Audit page, then a recorded action is listed with where it came from and, opened, what it set', async () => {
    const name = `Audit probe ${randomUUID().slice(0, 8)}`;
    const created = await api<{ id: string; key: string }>('/api/v1/api-keys', system.adminKey, {
      method: 'POST',
      body: JSON.stringify({ name, permissions: ['send_message'] }),
    });
    expect(created.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    await signIn(page, system.adminKey);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await page.getByRole('combobox', { name: 'Action' }).selectOption('api_key.create');
    const row = page.getByRole('row').filter({ hasText: created.body.id });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/api_key\.create.*Succeeded.*127\.0\.0\.1/);
    await row.getByRole('button', { name: /Show changes/ }).click();

    await page.locator('.audit-details').getByText(name).waitFor();
    expect(await page.content()).not.toContain(created.body.key);
    expect(problems).toEqual([]);
    await context.close();
  }, 30_000);

  it('When an admin writes a Swahili template with a paybill on the Templates tab, then the preview is in Swahili, and a wrong placeholder is named', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    await signIn(page, system.adminKey);
    await page.goto(`${system.baseUrl}/console/instances/${system.instanceId}/templates`);
    // The preview uses the saved account fields, as the notifications would.
    const fields = page.getByRole('form', { name: 'Account fields' });
    await fields.getByLabel('Company name').fill('Mawingu Net');
    await fields.getByLabel('Payment instructions').fill('Lipa kwa M-Pesa: Paybill 400200');
    await fields.getByRole('button', { name: 'Save account fields' }).click();
    await fields.getByText('Account fields saved.').waitFor();
    const own = page.getByRole('form', { name: 'Your own wording' });
    await own.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.locator('#own-template-text').waitFor();
    expect(await page.locator('#own-template-text').textContent()).toBe(
      'Habari John Doe,\n\nAnkara yako ya Mawingu Net ya KES\u00a01,500.00 iko tayari.\n' +
        // The line of a standalone {{/due_date}} is left out, as Mustache does.
        'Ankara: #INV-001\nTarehe ya mwisho: 15 Februari 2026\nLipa kwa M-Pesa: Paybill 400200',
    );
    await screenshot(page, 'own-template-preview');

    await own.getByLabel('Template').fill('Habari {{mteja}}');
    await own.getByRole('button', { name: 'Preview', exact: true }).click();
    await page
      .getByText(/uses \{\{mteja\}\}, which is not a placeholder/)
      .first()
      .waitFor();
    expect(await page.locator('#own-template-text').count()).toBe(0);
    // The refused preview's 400, which the browser reports; nothing else.
    expect(problems.filter((problem) => !/status of 400/.test(problem))).toEqual([]);
    await context.close();
  }, 30_000);

  it('When an admin saves a Swahili invoice text with the payment instructions, then it is listed, opened again it previews with the paybill, and support staff see it without changing it', async () => {
    const templates = `${system.baseUrl}/console/instances/${system.instanceId}/templates`;
    const text = 'Ankara {{invoice_id}}: {{amount}}.\n{{payment_instructions}}';
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    try {
      await signIn(page, system.adminKey);
      await page.goto(templates);

      const fields = page.getByRole('form', { name: 'Account fields' });
      await fields.getByLabel('Payment instructions').fill('Lipa kwa M-Pesa: Paybill 247247');
      await fields.getByRole('button', { name: 'Save account fields' }).click();
      await fields.getByText('Account fields saved.').waitFor();

      const own = page.getByRole('form', { name: 'Your own wording' });
      await own.getByLabel('Message type').selectOption('invoice');
      await own.getByLabel('Language').fill('sw');
      await own.getByLabel('Template').fill(text);
      await own.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Saved: Invoice in sw, all instances.').waitFor();
      const table = page.getByTestId('saved-templates');
      const row = table
        .getByRole('row')
        .filter({ has: page.getByRole('button', { name: 'Edit Invoice in sw, all instances' }) });
      expect((await row.getByRole('cell').allTextContents()).slice(0, 3)).toEqual([
        'Invoice',
        'sw',
        'All instances',
      ]);
      const saved = await api<{ payment_instructions: string; data: unknown[] }>(
        '/api/v1/templates',
        system.adminKey,
      );
      expect(saved.body.payment_instructions).toBe('Lipa kwa M-Pesa: Paybill 247247');
      expect(saved.body.data).toContainEqual(
        expect.objectContaining({ message_type: 'invoice', language: 'sw', instance_id: null, text }),
      );

      // Opened afresh, the saved text loads into the form, and its preview says how to pay.
      await page.reload();
      await table.getByRole('button', { name: 'Edit Invoice in sw, all instances' }).click();
      expect(await own.getByLabel('Template').inputValue()).toBe(text);
      expect(await own.getByLabel('Language').inputValue()).toBe('sw');
      await own.getByRole('button', { name: 'Preview', exact: true }).click();
      await page.locator('#own-template-text').waitFor();
      expect(await page.locator('#own-template-text').textContent()).toBe(
        'Ankara INV-001: KES\u00a01,500.00.\nLipa kwa M-Pesa: Paybill 247247',
      );
      await screenshot(page, 'own-template-saved');

      // Support staff see the saved text and the fields, and nothing that changes them.
      const supportKey = await api<{ key: string }>('/api/v1/api-keys', system.adminKey, {
        method: 'POST',
        body: JSON.stringify({ name: 'Templates support', permissions: ['support'] }),
      });
      expect(supportKey.status).toBe(201);
      const support = await newPage(context);
      await signIn(support.page, supportKey.body.key);
      await support.page.goto(templates);
      await support.page
        .getByTestId('saved-templates')
        .getByRole('button', { name: 'Open Invoice in sw, all instances' })
        .waitFor();
      await support.page.getByText('Lipa kwa M-Pesa: Paybill 247247', { exact: true }).waitFor();
      expect(await support.page.getByRole('form', { name: 'Account fields' }).count()).toBe(0);
      expect(await support.page.getByRole('button', { name: /^(Delete|Save)/ }).count()).toBe(0);

      // Deleted, it leaves the table.
      await row.getByRole('button', { name: 'Delete Invoice in sw, all instances' }).click();
      await page
        .getByRole('dialog', { name: 'Delete this text?' })
        .getByRole('button', { name: 'Delete text' })
        .click();
      await page.getByText('Deleted: Invoice in sw, all instances.').waitFor();
      expect(await row.count()).toBe(0);
      expect([...problems, ...support.problems]).toEqual([]);
    } finally {
      // Later tests send invoices and expect the built-in texts.
      await api('/api/v1/templates/invoice/sw', system.adminKey, { method: 'DELETE' });
      await context.close();
    }
  }, 60_000);

  it('When an admin sets a default language on the Overview tab, then the settings show it as Telenexus keeps it, and emptying it clears it', async () => {
    const instance = `/api/v1/instances/${system.instanceId}`;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await newPage(context);
    const shown = page.locator('dl.details dt:text-is("Default language") + dd');
    try {
      await signIn(page, system.adminKey);
      await page.goto(`${system.baseUrl}/console/instances/${system.instanceId}`);
      await shown
        .getByText('None: notifications without a language get the built-in English texts')
        .waitFor();

      await page.getByLabel('Default language').fill('SW-ke');
      await page.getByRole('button', { name: 'Save settings' }).click();
      // Stored, and shown, in canonical form.
      await shown.getByText('sw-KE', { exact: true }).waitFor();
      expect(await page.getByLabel('Default language').inputValue()).toBe('sw-KE');
      expect(
        (await api<{ default_language: string | null }>(instance, system.adminKey)).body.default_language,
      ).toBe('sw-KE');
      await screenshot(page, 'instance-default-language');

      await page.getByLabel('Default language').fill('');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await shown
        .getByText('None: notifications without a language get the built-in English texts')
        .waitFor();
      expect(
        (await api<{ default_language: string | null }>(instance, system.adminKey)).body.default_language,
      ).toBe(null);
      expect(problems).toEqual([]);
    } finally {
      await api(instance, system.adminKey, {
        method: 'PATCH',
        body: JSON.stringify({ default_language: null }),
      });
      await context.close();
    }
  }, 30_000);

  it('When an admin cancels a message still waiting for its turn, then the console shows it canceled and the API agrees', async () => {
    const instance = `/api/v1/instances/${system.instanceId}`;
    const before = await api<{ pacing: { min_gap_ms: number; jitter_ms: number; daily_cap: number | null } }>(
      instance,
      system.adminKey,
    );
    // An hour between sends: the second of two waits, queued, long after this test.
    await api(instance, system.adminKey, {
      method: 'PATCH',
      body: JSON.stringify({ pacing: { min_gap_ms: 3_600_000, jitter_ms: 0, daily_cap: null } }),
    });
    try {
      const ids: string[] = [];
      for (const invoice of ['CANCEL-1', 'CANCEL-2']) {
        const sent = await api<{ message_id: string }>(
          `/api/v1/billing/send-notification?instance_id=${system.instanceId}`,
          system.sendKey,
          {
            method: 'POST',
            body: JSON.stringify({
              phone_number: '254712345678',
              customer_name: 'Cancel Customer',
              amount: 50,
              currency: 'KES',
              invoice_id: invoice,
              message_type: 'invoice',
            }),
          },
        );
        ids.push(sent.body.message_id);
      }
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const { page, problems } = await newPage(context);
      await signIn(page, system.adminKey);
      await page.goto(`${system.baseUrl}/console/instances/${system.instanceId}/messages`);
      const row = page.getByRole('row').filter({ hasText: 'CANCEL-2' });
      await row.getByRole('button', { name: /Timeline/ }).click();
      const detail = page.getByRole('dialog', { name: 'Message to 254712345678' });
      await detail.getByRole('button', { name: 'Cancel this message' }).click();
      await page
        .getByRole('dialog', { name: 'Cancel this message?' })
        .getByRole('button', { name: 'Cancel the message' })
        .click();
      await detail.locator('li[data-event-type="canceled"]').waitFor();
      expect(await detail.getByRole('button', { name: 'Cancel this message' }).count()).toBe(0);

      const message = await api<{ status: string }>(`/api/v1/messages/${ids[1]}`, system.adminKey);
      expect(message.body.status).toBe('canceled');
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await api(instance, system.adminKey, {
        method: 'PATCH',
        body: JSON.stringify({ pacing: before.body.pacing }),
      });
    }
  }, 30_000);
});
