// axe-core on every kind of page, at a phone and a desktop size: no serious or critical
// violations. axe is injected as a script, which the site's CSP would refuse; the test context
// bypasses CSP for that alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, openPage, seriousViolations } from './helpers.mjs';

const PAGES = [
  '/',
  '/world',
  '/tag/food',
  '/world/how-a-river-city-learned-to-live-with-its-floods',
  '/world/how-a-river-city-learned-to-live-with-its-floods/print',
  '/lifestyle/recipe-pork-and-cabbage-dumplings-for-a-family-of-four',
  '/no-such-page',
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`${name}: no serious or critical accessibility violations`, async () => {
    const { context, page } = await openPage(browser, viewport, { bypassCSP: true });
    const problems = [];
    for (const path of PAGES) {
      await page.goto(BASE + path);
      for (const v of await seriousViolations(page)) problems.push(`${path}: ${v}`);
    }
    // The larger text sizes must not break the layout into violations either.
    await page.goto(BASE + '/world/how-a-river-city-learned-to-live-with-its-floods?fs=5');
    for (const v of await seriousViolations(page)) problems.push(`fs=5: ${v}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}
