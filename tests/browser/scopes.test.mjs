// Issue 12 in the dashboard, against the real server: the create form offers the scope
// catalogue as checkboxes (every scope of `all` ticked) and an expiry; the table shows scopes
// and expiry and marks tokens that expire within 7 days or have expired; the handout says what
// the token may do and until when; the filter box narrows by name or scope.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newContext, openDashboard, signUp, tableRows, unlabelled,
  submitSignIn, authStatus, PASSWORD,
} from './helpers.mjs';

const DAY = 86_400_000;

/** The account's tokens as the server lists them. */
function listed(page, user) {
  return page.evaluate(async (u) => (await (await fetch(`/users/${u}/tokens`)).json()).tokens, user);
}

describe('scopes and expiry in the dashboard', () => {
  let server, browser, page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await newContext(browser, server.url);
    page = await openDashboard(context, server.url);
    await signUp(page, 'scoper');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the catalogue is offered as labelled checkboxes, all of `all` ticked', async () => {
    const catalogue = await page.evaluate(async () => (await (await fetch('/scopes')).json()).scopes);
    assert.ok(catalogue.length >= 9, JSON.stringify(catalogue));
    for (const { name } of catalogue) {
      const box = page.getByLabel(name, { exact: true });
      assert.equal(await box.isChecked(), name !== 'tokens:introspect', name);
    }
    assert.deepEqual(await unlabelled(page), []);
  });

  test('a token created with everything ticked and no expiry holds `all` and never expires', async () => {
    await page.getByLabel('Token name').fill('laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-value').waitFor();
    assert.match(await page.locator('#token-scopes').innerText(), /^all — everything/);
    assert.match(await page.locator('#token-until').innerText(), /never expires/);
    const laptop = (await listed(page, 'scoper')).find((t) => t.name === 'laptop');
    assert.deepEqual(laptop.scopes, ['all']);
    assert.equal(laptop.expiresAt, null);
    await page.getByRole('button', { name: /Done/ }).click();
  });

  test('chosen scopes and a 30-day expiry reach the server, and the handout says so', async () => {
    await page.getByLabel('Token name').fill('ci-deploy');
    for (const name of ['apps:read', 'apps:manage', 'env:manage', 'databases:manage', 'snapshots:manage', 'account:read']) {
      await page.getByLabel(name, { exact: true }).uncheck();
    }
    await page.getByLabel('Expires').selectOption('30');
    const before = Date.now();
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-value').waitFor();
    const ci = (await listed(page, 'scoper')).find((t) => t.name === 'ci-deploy');
    assert.deepEqual(ci.scopes, ['apps:deploy', 'logs:read']);
    const at = Date.parse(ci.expiresAt);
    assert.ok(at >= before + 30 * DAY - 5000 && at <= Date.now() + 30 * DAY + 5000, ci.expiresAt);
    const allowed = await page.locator('#token-scopes').innerText();
    assert.match(allowed, /apps:deploy — deploy apps/);
    assert.match(allowed, /logs:read/);
    assert.doesNotMatch(allowed, /apps:read/);
    assert.match(await page.locator('#token-until').innerText(), /It works until .*2\d{3}.* \(in 1 month\)/);
    await page.getByRole('button', { name: /Done/ }).click();
  });

  test('a date expiry, and nothing ticked is refused before anything is sent', async () => {
    await page.getByLabel('Token name').fill('nothing');
    const boxes = page.locator('.scopes input[type=checkbox]');
    for (let i = 0; i < await boxes.count(); i += 1) await boxes.nth(i).uncheck();
    await page.getByRole('button', { name: 'Create token' }).click();
    assert.match(await page.locator('.create [role=alert]').innerText(), /no scope is ticked/);
    await page.getByLabel('apps:read', { exact: true }).check();
    await page.getByLabel('Expires').selectOption('date');
    const day = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    await page.getByLabel('Expiry date').fill(day);
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-value').waitFor();
    const token = (await listed(page, 'scoper')).find((t) => t.name === 'nothing');
    assert.deepEqual(token.scopes, ['apps:read']);
    // The start of that day in the viewer's zone.
    assert.equal(Date.parse(token.expiresAt), new Date(`${day}T00:00`).getTime());
    await page.getByRole('button', { name: /Done/ }).click();
  });

  test('the table shows scopes and expiry and marks tokens expiring within 7 days or expired', async () => {
    const soon = new Date(Date.now() + 3 * DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    const brief = new Date(Date.now() + 2000).toISOString().replace(/\.\d+Z$/, 'Z');
    await page.evaluate(async ([s, b]) => {
      const put = (n, body) => fetch(`/users/scoper/tokens/${n}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      await put('monitoring', { scopes: ['logs:read'], expiresAt: s });
      await put('brief', { scopes: ['account:read'], expiresAt: b });
    }, [soon, brief]);
    await new Promise((r) => { setTimeout(r, 3000); });
    // Signing in again loads the list afresh.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await submitSignIn(page, 'scoper', PASSWORD);
    await page.locator('.tokens [data-name=monitoring]').waitFor();
    assert.deepEqual((await tableRows(page)).map((r) => r.name), ['brief', 'ci-deploy', 'laptop', 'monitoring', 'nothing']);
    const row = (name) => page.locator(`.tokens [data-name="${name}"]`);
    assert.equal(await row('monitoring').getAttribute('data-expiry'), 'soon');
    assert.match(await row('monitoring').innerText(), /expires soon/);
    assert.match(await row('monitoring').innerText(), /in 3 days/);
    assert.equal(await row('brief').getAttribute('data-expiry'), 'expired');
    assert.match(await row('brief').innerText(), /expired/);
    assert.equal(await row('ci-deploy').getAttribute('data-expiry'), null);
    assert.match(await row('ci-deploy').innerText(), /apps:deploy, logs:read/);
    assert.match(await row('laptop').innerText(), /\ball\b[\s\S]*never/);
  });

  test('the filter box narrows the table by name or scope as you type', async () => {
    const filter = page.getByLabel('Filter by name or scope');
    await filter.fill('logs:');
    assert.deepEqual((await tableRows(page)).map((r) => r.name), ['ci-deploy', 'monitoring']);
    assert.equal(await page.locator('#filter-count').innerText(), '2 of 5 tokens match.');
    await filter.fill('LAP');
    assert.deepEqual((await tableRows(page)).map((r) => r.name), ['laptop']);
    await filter.fill('zzz');
    assert.match(await page.locator('.empty').innerText(), /No token matches “zzz”/);
    await filter.fill('');
    assert.equal((await tableRows(page)).length, 5);
  });

  test('regenerating with "old value stops in 1 hour" keeps the old value working; the row says until when and where it was last used', async () => {
    await page.getByLabel('Token name').fill('rotated');
    await page.getByRole('button', { name: 'Create token' }).click();
    const old = (await page.locator('#token-value').innerText()).trim();
    await page.getByRole('button', { name: /Done/ }).click();
    assert.equal(await authStatus(server.url, 'scoper', old), 200);
    await page.getByRole('button', { name: 'Regenerate rotated' }).click();
    const radios = page.locator('dialog input[type=radio]');
    assert.deepEqual(await radios.evaluateAll((rs) => rs.map((r) => r.labels[0].textContent)), ['now', 'in 10 minutes', 'in 1 hour', 'in 24 hours']);
    assert.equal(await page.getByLabel('now', { exact: true }).isChecked(), true, 'no grace unless asked');
    await page.getByLabel('in 1 hour').check();
    await page.locator('dialog button[type=submit]').click();
    const fresh = (await page.locator('#token-value').innerText()).trim();
    await page.getByRole('button', { name: /Done/ }).click();
    assert.notEqual(fresh, old);
    assert.equal(await authStatus(server.url, 'scoper', old), 200, 'the old value works during the grace');
    assert.equal(await authStatus(server.url, 'scoper', fresh), 200);
    const token = (await listed(page, 'scoper')).find((t) => t.name === 'rotated');
    const until = Date.parse(token.previousValidUntil);
    assert.ok(Math.abs(until - Date.now() - 3_600_000) < 60_000, token.previousValidUntil);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await submitSignIn(page, 'scoper', PASSWORD);
    const row = page.locator('.tokens [data-name=rotated]');
    await row.waitFor();
    assert.match(await row.innerText(), /old value until\s+in 1 hour/);
    assert.match(await row.innerText(), /from 127\.0\.0\.1 · node/);
  });
});
