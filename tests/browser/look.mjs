// Screenshots of the issue-12/13 screens for a person to look at (not a test): the create
// form with scopes, the table with expiry marks, the regenerate-with-grace dialog, revoke all,
// delete account and the Activity view, at 1440 and 360 px. Writes to $SCREENS
// (default tests/output/screenshots). Each shot is taken only when its screen works on this
// server (a server without scopes has no checkboxes, one without the audit log no Activity).
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { startServer, launchBrowser, newContext, openDashboard, signUp, OUTPUT } from './helpers.mjs';

const out = process.env.SCREENS ?? path.join(OUTPUT, 'screenshots');
mkdirSync(out, { recursive: true });
const server = await startServer();
/** Runs one screenshot step; a step this server cannot show is reported and skipped. */
async function step(name, f) {
  try { await f(); } catch (e) { console.log(`skipped ${name}: ${String(e).split('\n')[0]}`); }
}
const browser = await launchBrowser();
try {
  for (const width of [1440, 360]) {
    const context = await newContext(browser, server.url, { width, height: 900 });
    const page = await openDashboard(context, server.url);
    const user = `look${width}`;
    await signUp(page, user);
    const day = 86_400_000;
    await page.evaluate(async ([u, d]) => {
      const put = (n, body) => fetch(`/users/${u}/tokens/${n}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      await put('ci-deploy', { scopes: ['apps:deploy', 'logs:read'], expiresAt: new Date(Date.now() + 30 * d).toISOString().replace(/\.\d+Z/, 'Z') });
      await put('laptop', {});
      await put('monitoring', { scopes: ['apps:read', 'logs:read', 'account:read'], expiresAt: new Date(Date.now() + 3 * d).toISOString().replace(/\.\d+Z/, 'Z') });
      await put('gateway', { scopes: ['tokens:introspect'] });
      await put('ci-deploy', { graceSeconds: 3600 });
    }, [user, day]);
    await step('create form', async () => {
      await page.getByLabel('Token name').fill('backup');
      await page.getByLabel('Expires').selectOption('date');
      await page.getByLabel('Expiry date').fill(new Date(Date.now() + 60 * day).toISOString().slice(0, 10));
      await page.screenshot({ path: path.join(out, `create-form-date-${width}.png`), fullPage: false });
      await page.getByLabel('Expires').selectOption('7');
      await page.getByLabel('apps:manage').uncheck({ timeout: 2000 });
    });
    await page.getByLabel('Token name').fill('backup');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-value').waitFor();
    await page.screenshot({ path: path.join(out, `handout-${width}.png`), fullPage: true });
    await page.getByRole('button', { name: /Done/ }).click();
    await page.evaluate((u) => fetch(`/users/${u}/tokens/laptop`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }), user);
    await page.getByLabel('Token name').fill('zz-last');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('button', { name: /Done/ }).click();
    await page.locator('.tokens [data-name=laptop]').waitFor();
    await page.screenshot({ path: path.join(out, `create-form-and-table-${width}.png`), fullPage: true });
    await page.getByRole('button', { name: 'Regenerate laptop' }).click();
    await page.getByLabel('in 1 hour').check();
    await page.screenshot({ path: path.join(out, `regenerate-grace-${width}.png`) });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Revoke all…' }).click();
    await page.getByLabel(`Type ${user} to confirm`).fill(user.slice(0, 3));
    await page.screenshot({ path: path.join(out, `revoke-all-${width}.png`) });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await step('activity', async () => {
      await page.getByRole('button', { name: 'Activity' }).click();
      await page.locator('table.events tbody tr').first().waitFor({ timeout: 3000 });
      await page.screenshot({ path: path.join(out, `activity-${width}.png`), fullPage: true });
    });
    await page.getByRole('button', { name: 'Account' }).click();
    await page.screenshot({ path: path.join(out, `account-${width}.png`), fullPage: true });
    await page.getByRole('button', { name: 'Delete account…' }).click();
    await page.getByLabel(`Type ${user} to confirm`).fill(user);
    await page.screenshot({ path: path.join(out, `delete-account-${width}.png`) });
    console.log(width, page.errors);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
