// A moderator clears the queue: a reader's held comment is approved with the keyboard, then
// removed with a reason that readers see in the thread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, LABEL, SHOTS, VIEWPORTS, launch, openPage, seriousViolations } from './helpers.mjs';

const STORY = '/lifestyle/why-more-people-are-walking-at-night';
const EMAIL = 'e2e-admin@broadsheet.test';
const PASSWORD = process.env.E2E_STAFF_PASSWORD;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function postAsReader(text) {
  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(BASE + STORY);
  await page.getByLabel('User Name', { exact: true }).fill('Night Walker');
  await page.getByLabel('Your Comment', { exact: true }).fill(text);
  await page.locator('[data-altcha-status]').filter({ hasText: 'Checked' }).waitFor({ timeout: 20000 });
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/comment=held/);
  await context.close();
}

test('a moderator approves with the keyboard and removes with a reason', { skip: !PASSWORD && 'E2E_STAFF_PASSWORD not set' }, async () => {
  const text = `The river path is lovely after ten (${LABEL}).`;
  await postAsReader(text);

  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(BASE + '/admin/login?next=%2Fadmin%2Fmoderation');
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(BASE + '/admin/moderation');
  const item = page.locator('.mod-item', { hasText: text });
  assert.ok(await item.isVisible(), 'the held comment is in the queue');
  assert.match(await item.locator('.findings').textContent(), /first comment under this name/);
  await page.screenshot({ path: `${SHOTS}${LABEL}-moderation.png` });

  // j moves down the queue to our post (other tests' comments may wait above it), a approves.
  const index = await page.locator('.mod-item').evaluateAll(
    (items, t) => items.findIndex((el) => el.textContent.includes(t)), text);
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i <= index; i++) await page.keyboard.press('j');
  assert.ok(await item.evaluate((el) => el.classList.contains('is-current')), 'our post is current');
  await Promise.all([page.waitForURL(/queue=held/), page.keyboard.press('a')]);
  assert.equal(await page.locator('.mod-item', { hasText: text }).count(), 0, 'gone from the held queue');

  await page.goto(BASE + STORY);
  assert.ok(await page.getByText(text).isVisible(), 'published under the story');

  await page.goto(BASE + '/admin/moderation?queue=published');
  const published = page.locator('.mod-item', { hasText: text });
  await published.getByLabel('Removal reason').selectOption('off-topic');
  await Promise.all([page.waitForNavigation(), published.getByRole('button', { name: 'Remove' }).click()]);

  await page.goto(BASE + STORY);
  assert.ok(await page.getByText('Comment removed by the moderator: off-topic.').isVisible());
  assert.equal(await page.getByText(text).count(), 0);

  await page.goto(BASE + '/admin/moderation/log');
  assert.match(await page.locator('tbody tr').first().textContent(), /remove/);
  await context.close();
});

test('the moderation console is accessible', { skip: !PASSWORD && 'E2E_STAFF_PASSWORD not set' }, async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { bypassCSP: true });
  await page.goto(BASE + '/admin/login?next=%2Fadmin%2Fmoderation%3Fqueue%3Dremoved');
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/admin\/moderation/);
  for (const path of ['/admin/moderation?queue=removed', '/admin/moderation/log', '/admin/moderation/bans',
    '/admin/moderation/words', '/admin/discussion', '/admin', '/forum', '/forum/general']) {
    await page.goto(BASE + path);
    assert.deepEqual(await seriousViolations(page), [], path);
  }
  await context.close();
});

test('a reader reports a comment and it reaches the reported queue', { skip: !PASSWORD && 'E2E_STAFF_PASSWORD not set' }, async () => {
  // A published comment to report: approve one through the console first.
  const text = `Rude remark to report (${LABEL}).`;
  await postAsReader(text);
  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(BASE + '/admin/login?next=%2Fadmin%2Fmoderation');
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(BASE + '/admin/moderation');
  const held = page.locator('.mod-item', { hasText: text });
  await Promise.all([page.waitForNavigation(), held.getByRole('button', { name: 'Approve' }).click()]);

  const reader = await openPage(browser, VIEWPORTS.phone);
  await reader.page.goto(BASE + STORY);
  const comment = reader.page.locator('.comment', { hasText: text });
  await comment.getByRole('link', { name: /^Report the comment by/ }).click();
  await reader.page.getByLabel('Abusive').check();
  await reader.page.getByLabel(/Anything the moderators should know/).fill('Insulting.');
  await reader.page.getByRole('button', { name: 'Send report' }).click();
  await reader.page.waitForURL(/reported=/);
  assert.match(await reader.page.getByRole('status').first().textContent(), /Thank you for your report/);
  await reader.context.close();

  await page.goto(BASE + '/admin/moderation?queue=reported');
  const reported = page.locator('.mod-item', { hasText: text });
  assert.match(await reported.locator('.reports').textContent(), /abusive: Insulting\./);
  await context.close();
});
