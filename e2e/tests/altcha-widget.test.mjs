// The official `altcha` widget from npm, pointed at our challenge endpoint, produces a payload
// that our server accepts: the protocol is compatible, not merely similar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { BASE, VIEWPORTS, launch, openPage } from './helpers.mjs';

const require = createRequire(import.meta.url);
const WIDGET = require.resolve('altcha');
const STORY = '/entertainment/a-forgotten-opera-returns-to-the-stage-after-90-years';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the official ALTCHA widget solves our challenge and the API accepts it', async () => {
  // The widget is loaded into our page by the test (the site never loads third-party code),
  // so the test context sets CSP aside for it.
  const { context, page } = await openPage(browser, VIEWPORTS.desktop, { bypassCSP: true });
  await page.goto(BASE + STORY);
  await page.addScriptTag({ path: WIDGET });
  await page.evaluate(() => {
    document.body.insertAdjacentHTML('beforeend',
      '<form id="widget-form"><altcha-widget challenge="/api/v1/captcha/challenge" auto="onload"></altcha-widget></form>');
  });
  const field = page.locator('#widget-form input[name="altcha"]');
  await page.waitForFunction(() => {
    const input = document.querySelector('#widget-form input[name="altcha"]');
    return input && input.value.length > 0;
  }, null, { timeout: 30000 });
  const payload = await field.inputValue();
  const decoded = JSON.parse(Buffer.from(payload, 'base64').toString());
  assert.equal(decoded.algorithm, 'SHA-256');
  assert.ok(Number.isInteger(decoded.number));

  const api = BASE + '/api/v1/articles' + STORY + '/comments';
  const result = await page.evaluate(async ({ api, payload }) => {
    const res = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Widget Reader', body: 'Solved by the official widget.', altcha: payload }),
    });
    return { status: res.status, body: await res.json() };
  }, { api, payload });
  assert.equal(result.status, 201, JSON.stringify(result.body));
  assert.match(result.body.status, /^(published|held)$/);

  // And only once.
  const again = await page.evaluate(async ({ api, payload }) => {
    const res = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Widget Reader', body: 'A second try.', altcha: payload }),
    });
    return res.status;
  }, { api, payload });
  assert.equal(again, 422);
  await context.close();
});
