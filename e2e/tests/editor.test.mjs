// An editor, in the browser: writes with a live preview, publishes, corrects, schedules and
// unpublishes — the newsroom's day, end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, LABEL, SHOTS, VIEWPORTS, launch, openPage, seriousViolations } from './helpers.mjs';

const EMAIL = 'e2e-admin@broadsheet.test';
const PASSWORD = process.env.E2E_STAFF_PASSWORD;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function login(page, next) {
  await page.goto(BASE + '/admin/login?next=' + encodeURIComponent(next));
  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(BASE + next);
}

test('an editor writes, previews, publishes, corrects and unpublishes', { skip: !PASSWORD && 'E2E_STAFF_PASSWORD not set' }, async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await login(page, '/admin/articles/new');
  const headline = `Harbour ferry returns after repairs ${LABEL}`;
  await page.getByLabel('Headline', { exact: true }).fill(headline);
  assert.equal(await page.getByLabel(/^Slug/).getAttribute('placeholder'),
    `harbour-ferry-returns-after-repairs-${LABEL}`, 'slug suggested from the headline');
  await page.getByLabel('Section', { exact: true }).selectOption({ label: 'World' });
  await page.getByLabel(/^Body/).fill('The ferry is **back** on the water.\n\n- Daily\n- Hourly');
  await page.locator('[data-preview-target] strong', { hasText: 'back' }).waitFor();
  assert.equal(await page.locator('[data-preview-target] li').count(), 2, 'live preview');
  await page.getByLabel('Source', { exact: true }).fill('Harbour desk');
  await page.screenshot({ path: `${SHOTS}${LABEL}-editor.png` });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/admin\/articles\/\d+\?saved=1$/);
  assert.equal(await page.getByRole('status').textContent(), 'Saved.');
  const editUrl = page.url().replace('?saved=1', '');

  await page.getByRole('button', { name: 'Publish now' }).click();
  await page.waitForURL(/done=published/);
  const slug = `harbour-ferry-returns-after-repairs-${LABEL}`;
  await page.getByRole('link', { name: 'View on the site' }).click();
  await page.waitForURL(BASE + `/world/${slug}`);
  assert.equal((await page.locator('h1#story-title').textContent()).trim(), headline);

  await page.goto(editUrl);
  await page.getByLabel(/Add a correction/).fill('An earlier version misnamed the ferry.');
  await page.getByRole('button', { name: 'Add correction' }).click();
  await page.waitForURL(/done=corrected/);
  await page.goto(BASE + `/world/${slug}`);
  assert.ok(await page.getByText('An earlier version misnamed the ferry.').isVisible());

  await page.goto(editUrl);
  await page.getByRole('button', { name: 'Unpublish' }).click();
  await page.waitForURL(/done=unpublished/);
  const gone = await page.goto(BASE + `/world/${slug}`);
  assert.equal(gone.status(), 410);

  await page.goto(editUrl);
  await page.getByRole('button', { name: 'Back to draft' }).click();
  await page.waitForURL(/done=draft/);
  await page.getByLabel('Publish at').fill('2099-01-01T06:00');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.waitForURL(/done=scheduled/);
  assert.match(await page.locator('.article-state').textContent(), /scheduled/);

  await page.getByRole('link', { name: 'history' }).click();
  assert.ok((await page.locator('tbody tr').count()) >= 5, 'every step left a revision');
  await context.close();
});

test('the editor pages are accessible', { skip: !PASSWORD && 'E2E_STAFF_PASSWORD not set' }, async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { bypassCSP: true });
  await login(page, '/admin/articles');
  assert.deepEqual(await seriousViolations(page), [], '/admin/articles');
  await page.goto(BASE + '/admin/articles/new');
  assert.deepEqual(await seriousViolations(page), [], '/admin/articles/new');
  const first = await page.goto(BASE + '/admin/articles?status=published');
  assert.equal(first.status(), 200);
  await page.locator('tbody a').first().click();
  assert.deepEqual(await seriousViolations(page), [], 'edit page');
  await page.getByRole('link', { name: 'history' }).click();
  assert.deepEqual(await seriousViolations(page), [], 'history');
  await context.close();
});
