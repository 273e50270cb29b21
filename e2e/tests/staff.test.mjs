// Staff login in the browser: a refused password keeps the address, a good one reaches the
// dashboard, and logging out ends the session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, VIEWPORTS, launch, openPage, seriousViolations } from './helpers.mjs';

const EMAIL = 'e2e-admin@broadsheet.test';
const PASSWORD = process.env.E2E_STAFF_PASSWORD;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('staff log in, see their pages, and log out', { skip: !PASSWORD && 'E2E_STAFF_PASSWORD not set' }, async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.desktop);
  await page.goto(BASE + '/admin/users');
  await page.waitForURL(/\/admin\/login\?next=%2Fadmin%2Fusers$/);

  await page.getByLabel('E-mail address').fill(EMAIL);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  assert.equal(await page.getByRole('alert').textContent(), 'Wrong e-mail address or password.');
  assert.equal(await page.getByLabel('E-mail address').inputValue(), EMAIL, 'address kept');

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(BASE + '/admin/users');
  assert.equal(await page.locator('h1').textContent(), 'Staff accounts');
  assert.ok(await page.getByRole('cell', { name: EMAIL }).isVisible());

  await page.getByRole('link', { name: 'Dashboard' }).click();
  assert.match(await page.locator('h1').textContent(), /^Hello, E2E Admin$/);

  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.waitForURL(BASE + '/');
  await page.goto(BASE + '/admin');
  await page.waitForURL(/\/admin\/login/);
  await context.close();
});

test('the login page is accessible', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { bypassCSP: true });
  await page.goto(BASE + '/admin/login');
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});
