// Error paths of the dashboard in headless Chromium against the real server: wrong password,
// a taken username, an unreachable server, and (last) rate limiting with the wait time.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  signedOutSuite, closeSuite, shot, signUp, submitSignIn,
  accountAlert, PASSWORD,
} from './helpers.mjs';

describe('dashboard error messages', () => {
  // Failed sign-ins are limited per client address too: this suite gets a server of its own.
  let suite, server, context, page;

  before(async () => {
    suite = await signedOutSuite('bob');
    ({ server, context, page } = suite);
  });

  after(() => closeSuite(suite));

  test('a taken username is refused next to the form', async () => {
    await page.getByRole('button', { name: 'Create account', exact: true }).first().click();
    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('E-mail').fill('other@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    assert.match(await accountAlert(page), /Nodejitsu Error \(409\): Conflict/);
    await shot(page, '20-username-taken-1440');
  });

  test('account rules are checked by core before sending', async () => {
    await page.getByLabel('Username').fill('-bad');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    assert.match(await accountAlert(page), /username "-bad" must start with a letter or a digit/);
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('E-mail').fill('carol@example.com');
    await page.getByLabel('Password').fill('short');
    await page.locator('form button[type=submit]').click();
    assert.match(await accountAlert(page), /password is too short — use at least 8 characters/);
  });

  test('a wrong password says so and keeps the form', async () => {
    await submitSignIn(page, 'bob', 'not the password');
    const text = await accountAlert(page);
    assert.match(text, /Nodejitsu Error \(401\): Not Authorized/);
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the typed password is cleared');
    assert.equal(await page.getByLabel('Username').inputValue(), 'bob');
    await shot(page, '21-wrong-password-1440');
  });

  test('buttons show progress and are disabled while a request runs', async () => {
    // Hold the next answer back so the in-flight state can be seen.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/session', async (route) => { await held; await route.continue(); });
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await submitSignIn(page, 'bob', PASSWORD);
    const submit = page.locator('form button[type=submit]');
    await page.getByText('Signing in…').waitFor();
    assert.equal(await submit.isDisabled(), true);
    assert.equal(await page.locator('form').getAttribute('aria-busy'), 'true');
    await shot(page, '23-signing-in-progress-1440');
    release();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.unroute('**/session');
  });

  test('a failing session check on page load is shown, not swallowed', async () => {
    // The session check is `GET /session` (sign-in is `POST /session`).
    await page.route('**/session', (route) => (route.request().method() === 'GET' ? route.fulfill({
      status: 503, contentType: 'application/json', headers: { 'X-Powered-By': 'Nodejitsu' },
      body: JSON.stringify({ error: 'unavailable', message: 'storage is unavailable' }),
    }) : route.continue()));
    await page.reload();
    assert.match(await accountAlert(page), /Nodejitsu Error \(503\): Service Unavailable — storage is unavailable/);
    await page.unroute('**/session');
  });

  test('an unreachable server is reported, not swallowed', async () => {
    await page.route('**/session', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await submitSignIn(page, 'bob', PASSWORD);
    assert.match(await accountAlert(page), /Could not reach the server/);
    await shot(page, '24-network-error-1440');
    await page.unroute('**/session');
    assert.deepEqual(page.errors, []);
  });

  // Last: once limited, the form holds its button back until the server's wait ends.
  test('too many failed attempts show the wait time', async () => {
    let text = '';
    for (let attempt = 0; attempt < 15 && !/429/.test(text); attempt += 1) {
      await page.locator('form [role=alert]').waitFor();
      await page.getByRole('button', { name: 'Dismiss message' }).click();
      await submitSignIn(page, 'bob', `wrong-${attempt}`);
      text = await accountAlert(page);
    }
    assert.match(text, /Nodejitsu Error \(429\): Too Many Requests/);
    assert.match(text, /\d+ seconds?/, 'the wait time is shown');
    assert.match(await page.getByRole('timer').innerText(), /You can try again in \d+/, 'and counted down');
    assert.equal(await page.locator('form button[type=submit]').isDisabled(), true);
    await shot(page, '22-rate-limited-1440');
  });
});
