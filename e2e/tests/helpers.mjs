// Shared set-up for the browser tests: one headless Debian Chromium, pages that record every
// request so a test can prove nothing left the site, and an axe-core runner.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const require = createRequire(import.meta.url);
export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
export const LABEL = process.env.E2E_LABEL ?? 'local';
export const SHOTS = new URL('../test-results/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export const VIEWPORTS = {
  phone: { width: 320, height: 640 },
  desktop: { width: 1280, height: 900 },
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
}

/** A fresh context (fresh cookies) whose page records the origin of every request. */
export async function openPage(browser, viewport, options = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  page.requestedOrigins = new Set();
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('data:')) page.requestedOrigins.add(new URL(url).origin);
  });
  page.errors = [];
  page.on('pageerror', (err) => page.errors.push(err));
  return { context, page };
}

export const AXE_SOURCE = require.resolve('axe-core/axe.min.js');

/** Runs axe-core on the current page; returns serious and critical violations. */
export async function seriousViolations(page) {
  await page.addScriptTag({ path: AXE_SOURCE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether an image finishes loading (decoded, with a width) within `timeout` ms. Asked again
 *  every 100 ms rather than once: right after a navigation the image may still be on its way. */
export async function imageLoads(locator, timeout = 10000) {
  const until = Date.now() + timeout;
  for (;;) {
    if (await locator.evaluate((el) => el.complete && el.naturalWidth > 0)) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
