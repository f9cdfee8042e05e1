// Issue 13 in the dashboard, against the real server: times in the viewer's zone with the
// exact time on focus, "Revoke all" confirmed by typing the account name, the Activity view
// (newest first, filter by token, more on scroll), password change and "Delete account"
// confirmed by typing the name and the password.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openDashboard, signUp, submitSignIn, accountAlert, authStatus,
  tableRows, PASSWORD,
} from './helpers.mjs';

const USER = 'keeper';

describe('token lifecycle and account in the dashboard', () => {
  let server, browser, page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // A zone far from UTC: the dashboard must show the viewer's.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Tokyo', locale: 'en-US' });
    page = await openDashboard(context, server.url);
    await signUp(page, USER);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('times read relative, with the exact time in the viewer\'s zone on focus', async () => {
    await page.getByLabel('Token name').fill('laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-value').waitFor();
    await page.getByRole('button', { name: /Done/ }).click();
    const created = page.locator('.tokens [data-name=laptop] time').first();
    assert.equal(await created.innerText(), 'just now');
    const datetime = await created.getAttribute('datetime');
    assert.match(datetime, /Z$/, 'the server sends UTC');
    const title = await created.getAttribute('title');
    assert.match(title, /GMT\+9/, title);
    const expected = await page.evaluate((at) => new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'long' }).format(new Date(at)), datetime);
    assert.equal(title, expected);
    // Reached by the keyboard; the exact time is then shown beside it.
    await created.focus();
    const shown = await created.evaluate((el) => getComputedStyle(el, '::after').content);
    assert.equal(shown, JSON.stringify(title));
  });

  test('the Activity view lists events newest first, filters by token and loads more on scroll', async () => {
    // 60 more tokens: 60 more events than one page holds.
    await page.evaluate(async (u) => {
      for (let i = 0; i < 60; i += 1) await fetch(`/users/${u}/tokens/bulk-${String(i).padStart(2, '0')}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    }, USER);
    await page.getByRole('button', { name: 'Activity' }).click();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Activity', 'the new view has the focus');
    const rows = page.locator('table.events tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 50, 'one page first');
    assert.match(await rows.first().innerText(), /Token created\s+bulk-59/);
    const times = await page.locator('table.events tbody time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime'))));
    assert.ok(times.every((t, i) => i === 0 || times[i - 1] >= t), 'newest first');
    // Scrolling to the end loads the older events.
    await page.locator('.events-end').scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 4000);
    await page.getByText(/^All \d+ events shown\.$/).waitFor();
    const all = await rows.count();
    assert.ok(all >= 63, `${all} events`);
    assert.match(await rows.last().innerText(), /Account created/);
    await page.getByLabel('Token').selectOption('laptop');
    await page.getByText('The one event is shown.').waitFor();
    assert.match(await rows.first().innerText(), /Token created\s+laptop\s+session/);
  });

  test('"Revoke all" is confirmed by typing the account name, then every token stops', async () => {
    await page.getByRole('button', { name: 'Tokens' }).click();
    await page.getByLabel('Token name').fill('ci');
    await page.getByRole('button', { name: 'Create token' }).click();
    const value = (await page.locator('#token-value').innerText()).trim();
    await page.getByRole('button', { name: /Done/ }).click();
    assert.equal(await authStatus(server.url, USER, value), 200);
    await page.getByRole('button', { name: 'Revoke all…' }).click();
    const confirm = page.locator('dialog button[type=submit]');
    assert.equal(await confirm.isDisabled(), true, 'nothing typed yet');
    await page.getByLabel(`Type ${USER} to confirm`).fill('keepe');
    assert.equal(await confirm.isDisabled(), true, 'not the name');
    await page.getByLabel(`Type ${USER} to confirm`).fill(USER);
    await confirm.click();
    await page.getByText(/^Revoked 62 tokens and ended 0 other sessions/).waitFor();
    assert.deepEqual(await tableRows(page), []);
    assert.equal(await authStatus(server.url, USER, value), 401);
  });

  test('the password is changed with the current one; a wrong one is refused', async () => {
    await page.getByRole('button', { name: 'Account' }).click();
    await page.getByLabel('Current password').fill('wrong password!');
    await page.getByLabel('New password').fill('a new long password');
    await page.getByRole('button', { name: 'Change password' }).click();
    assert.match(await page.locator('[role=alert]').innerText(), /\(403\)|password/i);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password').fill('a new long password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText(/^Password changed\. 0 other sessions ended/).waitFor();
    assert.equal(await authStatus(server.url, USER, 'a new long password'), 200);
    assert.equal(await authStatus(server.url, USER, PASSWORD), 401);
  });

  test('"Delete account" needs the typed name and the password, then the account is gone', async () => {
    await page.getByRole('button', { name: 'Delete account…' }).click();
    const confirm = page.locator('dialog button[type=submit]');
    await page.getByLabel(`Type ${USER} to confirm`).fill(USER);
    assert.equal(await confirm.isDisabled(), true, 'no password yet');
    await page.locator('#confirm-password').fill('a new long password');
    await confirm.click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    assert.match(await page.locator('[role=status]').first().innerText(), new RegExp(`Account ${USER} deleted`));
    await submitSignIn(page, USER, 'a new long password');
    assert.match(await accountAlert(page), /401|Not Authorized|wrong/i);
  });
});
