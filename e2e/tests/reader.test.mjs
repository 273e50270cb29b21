// A reader's path through the site, at a phone and a desktop size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, LABEL, SHOTS, VIEWPORTS, launch, openPage } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`${name}: home → section → article`, async () => {
    const { context, page } = await openPage(browser, viewport);
    await page.goto(BASE + '/');
    assert.equal(await page.title(), 'The Broadsheet');
    await page.screenshot({ path: `${SHOTS}${LABEL}-${name}-home.png`, fullPage: false });

    await page.getByRole('navigation', { name: 'Sections', exact: true }).getByRole('link', { name: 'World' }).click();
    await page.waitForURL(BASE + '/world');
    assert.equal(await page.locator('h1').textContent(), 'World');

    const first = page.locator('.list .card-title a').first();
    const headline = (await first.textContent()).trim();
    await first.click();
    await page.waitForLoadState('domcontentloaded');
    assert.equal((await page.locator('h1#story-title').textContent()).trim(), headline);
    assert.match(await page.locator('.dateline').textContent(), /\w+ \d{1,2}, \d{4}/);
    assert.match(await page.locator('.dateline time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    assert.equal(await page.locator('#comments .empty').textContent(), 'No comments.');
    await page.screenshot({ path: `${SHOTS}${LABEL}-${name}-article.png`, fullPage: false });

    // The comment count link lands on the comments area.
    await page.getByRole('link', { name: /^Comments \(\d+\)$/ }).click();
    assert.ok(page.url().endsWith('#comments'));

    // Nothing overflows sideways, even at 320 px.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);

    const foreign = [...page.requestedOrigins].filter((o) => o !== BASE);
    assert.deepEqual(foreign, [], 'no request leaves the site');
    assert.deepEqual(page.errors, [], 'no script errors');
    await context.close();
  });

  test(`${name}: text size from the keyboard survives reloads and carries across pages`, async () => {
    const { context, page } = await openPage(browser, viewport);
    await page.goto(BASE + '/world/how-a-river-city-learned-to-live-with-its-floods');
    const html = page.locator('html');
    assert.match(await html.getAttribute('class'), /\bfs-3\b/);
    const bodySize = () => page.locator('.story-body').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await bodySize();

    const larger = page.getByRole('link', { name: 'Larger text' });
    await larger.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press(' ');
    assert.match(await html.getAttribute('class'), /\bfs-5\b/);
    assert.equal(await larger.getAttribute('aria-disabled'), 'true');
    assert.ok((await bodySize()) > before, 'text got larger');
    assert.equal(await page.locator('[data-fs-status]').textContent(), 'Text size 5 of 5');

    await page.reload();
    assert.match(await html.getAttribute('class'), /\bfs-5\b/, 'survives a reload');
    await page.goto(BASE + '/');
    assert.match(await html.getAttribute('class'), /\bfs-5\b/, 'carries to other pages');

    await page.goto(BASE + '/world/how-a-river-city-learned-to-live-with-its-floods');
    const smaller = page.getByRole('link', { name: 'Smaller text' });
    for (let i = 0; i < 4; i++) await smaller.click();
    assert.match(await html.getAttribute('class'), /\bfs-1\b/);
    assert.equal(await smaller.getAttribute('aria-disabled'), 'true');
    assert.ok((await bodySize()) < before, 'text got smaller');
    await context.close();
  });

  test(`${name}: print page and print stylesheet`, async () => {
    const { context, page } = await openPage(browser, viewport);
    await page.goto(BASE + '/china/new-rail-link-cuts-journey-between-two-river-cities-to-under-an-hour');
    await page.getByRole('link', { name: 'Print', exact: true }).click();
    await page.waitForURL(/\/print$/);
    assert.equal(await page.locator('nav.sections').count(), 0, 'no navigation');
    assert.ok(await page.locator('.story-body').isVisible());
    assert.ok(await page.getByRole('button', { name: 'Print this page' }).isVisible(), 'script shows the print button');
    await page.screenshot({ path: `${SHOTS}${LABEL}-${name}-print.png`, fullPage: false });

    await page.goto(BASE + '/china/new-rail-link-cuts-journey-between-two-river-cities-to-under-an-hour');
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['nav.sections', 'nav.tools', '.site-footer', '#comments']) {
      assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} hidden on paper`);
    }
    assert.ok(await page.locator('.story-body').isVisible());
    await context.close();
  });
}

test('without JavaScript: text size links set the size and it persists', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { javaScriptEnabled: false });
  await page.goto(BASE + '/sports/club-runner-wins-city-marathon-in-her-first-race-at-the-distance');
  await page.getByRole('link', { name: 'Larger text' }).click();
  await page.waitForURL(/\?fs=4$/);
  assert.match(await page.locator('html').getAttribute('class'), /\bfs-4\b/);
  await page.goto(BASE + '/sports');
  assert.match(await page.locator('html').getAttribute('class'), /\bfs-4\b/);
  // Share works as plain links inside a <details>.
  await page.goBack();
  await page.getByText('Share', { exact: true }).click();
  assert.ok(await page.getByRole('link', { name: 'Weibo', exact: true }).isVisible());
  await context.close();
});

test('a dead link gets a helpful 404', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  const response = await page.goto(BASE + '/world/this-story-does-not-exist');
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('h1').textContent(), 'Page not found');
  assert.ok(await page.getByRole('link', { name: 'Go to the front page' }).isVisible());
  assert.ok((await page.locator('.error-page .card').count()) > 0, 'latest stories offered');
  await context.close();
});
