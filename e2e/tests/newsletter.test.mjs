// Newsletter sign-up in the browser, confirmed through the mail a real SMTP server received.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, LABEL, VIEWPORTS, launch, openPage, seriousViolations } from './helpers.mjs';

const MAIL_DIR = process.env.E2E_MAIL_DIR;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Waits for the SMTP server to receive a mail for `address` (jobs run every two seconds). */
async function mailFor(address) {
  for (let i = 0; i < 100; i++) {
    for (const file of readdirSync(MAIL_DIR).filter((f) => f.endsWith('.json')).sort()) {
      const mail = JSON.parse(readFileSync(join(MAIL_DIR, file), 'utf8'));
      if (mail.rcpt_tos.includes(address)) return mail;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail reached ${address}`);
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`${name}: sign up, confirm from the mail, see the preferences`, { skip: !MAIL_DIR }, async () => {
    const { context, page } = await openPage(browser, viewport);
    await page.goto(BASE + '/');
    await page.getByRole('link', { name: 'Newsletter', exact: true }).click();
    await page.waitForURL(/\/newsletter$/);

    // An address the browser lets through but no inbox has: our message, the choices kept.
    await page.getByLabel('Your e-mail address').fill('reader@localhost');
    await page.getByLabel('Weekly, on Monday').check();
    await page.getByLabel('World', { exact: true }).check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.locator('.form-error').waitFor();
    assert.match(await page.locator('.form-error').textContent(), /not an e-mail address we can write to/);
    assert.equal(await page.getByLabel('Your e-mail address').inputValue(), 'reader@localhost');
    assert.ok(await page.getByLabel('Weekly, on Monday').isChecked());
    assert.ok(await page.getByLabel('World', { exact: true }).isChecked());

    const address = `e2e-${LABEL}-${name}-${Date.now()}@example.org`;
    await page.getByLabel('Your e-mail address').fill(address);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    const mail = await mailFor(address);
    assert.match(mail.headers.subject, /Confirm your subscription/);
    const link = mail.text.match(/https?:\/\/\S+\/newsletter\/confirm\/\S+/)[0];
    await page.goto(link);
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    await page.getByRole('link', { name: 'Choose sections or how often' }).click();
    await page.getByRole('heading', { name: 'Newsletter preferences' }).waitFor();
    assert.ok(await page.getByLabel('Weekly, on Monday').isChecked());
    assert.ok(await page.getByLabel('World', { exact: true }).isChecked());
    assert.ok(!(await page.getByLabel('Sports', { exact: true }).isChecked()));
    await context.close();
  });
}

test('the sign-up page is accessible', async () => {
  const { context, page } = await openPage(browser, VIEWPORTS.phone, { bypassCSP: true });
  await page.goto(BASE + '/newsletter');
  assert.deepEqual(await seriousViolations(page), []);
  await context.close();
});
