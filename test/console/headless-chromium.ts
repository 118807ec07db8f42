import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from '../support/test-tools';

export { CHROMIUM_PATH };

/** Screenshots are kept as test artifacts (artifacts/ is not committed). */
export const SCREENSHOT_DIRECTORY = join(__dirname, '..', '..', 'artifacts', 'console');

/** Without them Chromium keeps calling out to Google, which this machine's closed network refuses. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  // npm test installs it or stops before any test (test/support/test-tools.ts); a lone jest run may not.
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run npm test, or apt-get install -y chromium`,
    );
  }
  mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIRECTORY, `${name}.png`), fullPage: true });
}
