// Searching from the box on every page, in English and in Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, openPage, seriousViolations } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`${name}: search from the masthead`, async () => {
    const { context, page } = await openPage(browser, viewport);
    await page.goto(BASE + '/world');
    await page.getByRole('searchbox', { name: 'Search stories' }).fill('harbour pilots');
    await page.getByRole('searchbox', { name: 'Search stories' }).press('Enter');
    await page.waitForURL(/\/search\?q=harbour\+pilots/);
    const first = page.locator('.result').first();
    assert.match(await first.locator('h2').textContent(), /harbour pilots/i);
    assert.ok((await first.locator('mark').count()) >= 2, 'the words are marked');

    await page.getByRole('searchbox', { name: 'Search for' }).fill('外交');
    await page.getByRole('button', { name: 'Search', exact: true }).last().click();
    await page.waitForURL(/q=%E5%A4%96%E4%BA%A4/);
    assert.equal(await page.locator('.result').count(), 1);
    assert.equal(await page.locator('.result mark').first().textContent(), '外交');
    await context.close();
  });
}

test('the search page is accessible', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { bypassCSP: true });
  await page.goto(BASE + '/search?q=rail');
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});
