// A reader's story with a photo becomes a published article: the whole path in the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, LABEL, VIEWPORTS, launch, openPage, seriousViolations, imageLoads } from './helpers.mjs';

const EMAIL = 'e2e-admin@broadsheet.test';
const PASSWORD = process.env.E2E_STAFF_PASSWORD;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A real PNG: a screenshot of part of the front page, 1000 pixels wide. */
async function photo() {
  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(BASE + '/');
  const png = await page.screenshot({ clip: { x: 0, y: 0, width: 1000, height: 560 } });
  await context.close();
  return png;
}

test('a reader sends a story with a photo and an editor publishes it', { skip: !PASSWORD && 'E2E_STAFF_PASSWORD not set' }, async () => {
  const reader = await openPage(browser, VIEWPORTS.phone);
  const png = await photo();
  await reader.page.goto(BASE + '/');
  const headline = `Street market reopens after the storm ${LABEL}`;
  await reader.page.getByRole('link', { name: 'Send your stories' }).click();
  await reader.page.waitForURL(BASE + '/submit');
  assert.deepEqual(await seriousViolations(await (async () => {
    const ctx = await openPage(browser, VIEWPORTS.phone, { bypassCSP: true });
    await ctx.page.goto(BASE + '/submit');
    return ctx.page;
  })()), [], 'the form is accessible');
  await reader.page.getByLabel('Your name').fill('Ravi Kumar');
  await reader.page.getByLabel(/Your e-mail address/).fill('ravi@mail.example');
  await reader.page.getByLabel('Headline').fill(headline);
  await reader.page.getByLabel('Your story').fill('Stallholders were back this morning, sweeping up and selling fruit again.');
  await reader.page.getByLabel(/^Photos/).setInputFiles({ name: 'market.png', mimeType: 'image/png', buffer: png });
  await reader.page.locator('[data-altcha-status]').filter({ hasText: 'Checked' }).waitFor({ timeout: 20000 });
  await reader.page.getByRole('button', { name: 'Send to the newsroom' }).click();
  await reader.page.waitForURL(/sent=1/);
  assert.match(await reader.page.getByRole('status').textContent(), /reached our editors/);
  await reader.context.close();

  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(BASE + '/admin/login?next=%2Fadmin%2Fsubmissions');
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(BASE + '/admin/submissions');
  await page.getByRole('link', { name: headline }).click();
  const img = page.getByRole('img', { name: 'Photo 1 sent by Ravi Kumar' });
  assert.ok(await imageLoads(img), 'the re-encoded photo loads');
  await page.getByLabel('Turn into a draft article in').selectOption({ label: 'China' });
  await page.getByRole('button', { name: /Make a draft credited to Ravi Kumar/ }).click();
  await page.waitForURL(/\/admin\/articles\/\d+\?saved=1/);
  assert.equal(await page.getByLabel('Byline').inputValue(), 'Ravi Kumar');
  await page.getByLabel(/^Alternative text/).fill('Fruit stalls in the reopened street market');
  await page.getByLabel(/^Replace with/).setInputFiles({ name: 'market.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.waitForURL(/done=image/);
  await page.getByRole('button', { name: 'Publish now' }).click();
  await page.waitForURL(/done=published/);
  await page.getByRole('link', { name: 'View on the site' }).click();
  await page.waitForLoadState('load');
  assert.match(await page.locator('.byline').textContent(), /Ravi Kumar/);
  const lead = page.getByRole('img', { name: 'Fruit stalls in the reopened street market' });
  assert.ok(await imageLoads(lead), 'the lead image loads');
  assert.match(await lead.getAttribute('srcset'), /480w, .*960w, .*1000w$/);
  await context.close();
});
