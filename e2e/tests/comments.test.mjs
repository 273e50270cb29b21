// Commenting as a reader: with JavaScript (proof of work solved in the background) and without
// it (typing the words in the image).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, LABEL, SHOTS, VIEWPORTS, launch, openPage, seriousViolations, imageLoads } from './helpers.mjs';

const STORY = '/sports/teenage-doubles-pair-reach-final-at-their-first-senior-championship';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The words of an image CAPTCHA, read with the server's own key through the CLI. */
function wordsFor(token) {
  return execFileSync(process.env.BROADSHEET_BIN, ['captcha-words', token], {
    env: { ...process.env, BROADSHEET_DATABASE_URL: process.env.E2E_DATABASE_URL },
  }).toString().trim();
}

test('with JavaScript: the check runs in the background and the comment is sent', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(BASE + STORY);
  const words = page.locator('[data-captcha-words]');
  assert.ok(await words.isVisible(), 'the word image is there until the check has run');
  await page.getByLabel('User Name', { exact: true }).fill('Browser Reader');
  await page.getByLabel('Your Comment', { exact: true }).fill('Well played, both of them. 加油！');
  await page.locator('[data-altcha-status]').filter({ hasText: 'Checked' }).waitFor({ timeout: 20000 });
  assert.equal(await words.isVisible(), false, 'the image is not needed once the check passed');
  await page.screenshot({ path: `${SHOTS}${LABEL}-comment-form.png` });
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/comment=(held|published)/);
  const notice = await page.getByRole('status').first().textContent();
  // The demo follows the default mode: a name's first comment waits for a moderator.
  assert.match(notice, /awaiting moderation|is published/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('without JavaScript: the words in the image let the comment through', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { javaScriptEnabled: false });
  await page.goto(BASE + STORY);
  const img = page.getByRole('img', { name: 'Two words in distorted letters' });
  assert.ok(await img.isVisible());
  const loaded = await imageLoads(img);
  assert.ok(loaded, 'the image loads');
  // The article page is shared by every reader (cached), so the image hands its token to this
  // browser in a cookie rather than the page carrying it.
  assert.equal(await page.locator('input[name=captcha_token]').count(), 0);
  const token = (await context.cookies()).find((c) => c.name === 'bs_words')?.value;
  assert.ok(token, 'the word image set its cookie');

  await page.getByLabel('User Name', { exact: true }).fill('Paper Reader');
  await page.getByLabel('Your Comment', { exact: true }).fill('I read this without scripts.');
  await page.getByLabel('Enter the words you see').fill('wrong words');
  await page.getByRole('button', { name: 'Submit' }).click();
  assert.match(await page.getByRole('alert').textContent(), /not passed/);
  assert.equal(await page.getByLabel('Your Comment', { exact: true }).inputValue(), 'I read this without scripts.', 'text kept');

  const fresh = await page.locator('input[name=captcha_token]').inputValue();
  assert.notEqual(fresh, token, 'a new image after a failed answer');
  await page.getByLabel('Enter the words you see').fill(wordsFor(fresh).toUpperCase());
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/comment=(held|published)/);
  assert.match(await page.getByRole('status').first().textContent(), /awaiting moderation|is published/);
  await context.close();
});

test('the comment form is accessible', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { bypassCSP: true });
  await page.goto(BASE + STORY + '?reply=1');
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});
