// Waits the server asks for, in headless Chromium against the real server: the message is the
// server's as it is, the wait comes from `Retry-After` and counts down, and the submit button
// stays disabled until it ends — for a full password queue (503) and for the failed-password
// limit (429 on the eleventh wrong password).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  signedOutSuite, closeSuite, shot, signUp, submitSignIn,
  accountAlert, contrastFailures, unlabelled, PASSWORD,
} from './helpers.mjs';

/** The message of the sign-in form's alert, once one appears (without its dismiss button). */
async function message(page) {
  await accountAlert(page);
  return page.locator('form [role=alert] p').innerText();
}

/** The seconds the countdown shows, or `null` when there is none. */
function countdown(page) {
  return page.evaluate(() => {
    const m = /You can try again in (\d+) s/.exec(document.querySelector('[role=timer]')?.textContent ?? '');
    return m ? Number(m[1]) : null;
  });
}

describe('waits the server asks for', () => {
  // The limits count per client address: this suite gets a server of its own.
  let suite, server, context, page;

  before(async () => {
    suite = await signedOutSuite('erin');
    ({ server, context, page } = suite);
  });

  after(() => closeSuite(suite));

  test('a full password queue (503, Retry-After: 2) holds the sign-in back for two seconds', async () => {
    const busy = 'the server is busy checking passwords — wait 2 seconds and try again';
    await page.route('**/session', (route) => route.fulfill({
      status: 503,
      headers: { 'Retry-After': '2', 'X-Powered-By': 'Nodejitsu' },
      contentType: 'application/json',
      body: JSON.stringify({ error: 'unavailable', message: busy }),
    }));
    await submitSignIn(page, 'erin', PASSWORD);
    assert.equal(await message(page), `Nodejitsu Error (503): Service Unavailable — ${busy}`);
    const submit = page.locator('form button[type=submit]');
    assert.ok([1, 2].includes(await countdown(page)), 'the countdown starts from Retry-After');
    assert.equal(await submit.isDisabled(), true);
    await page.getByRole('timer').waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await submit.isDisabled(), false, 'enabled again when the wait ends');
    assert.match(await accountAlert(page), /\(503\)/, 'the message stays until dismissed');
    await page.unroute('**/session');
  });

  test('the eleventh wrong password is refused with 429; the countdown runs from Retry-After to 0', async () => {
    // The countdown's timer is the page's: a fake clock lets the test run the whole wait.
    await context.clock.install();
    const submit = page.locator('form button[type=submit]');
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      await page.getByRole('button', { name: 'Dismiss message' }).click();
      await submitSignIn(page, 'erin', `wrong-${attempt}`);
      assert.match(await accountAlert(page), /^Nodejitsu Error \(401\): Not Authorized/, `attempt ${attempt}`);
      assert.equal(await countdown(page), null, 'a 401 asks for no wait');
    }
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    const answer = page.waitForResponse((r) => r.url().endsWith('/session') && r.request().method() === 'POST');
    await submitSignIn(page, 'erin', 'wrong-11');
    const response = await answer;
    assert.equal(response.status(), 429);
    const wait = Number(response.headers()['retry-after']);
    assert.ok(wait >= 1 && wait <= 60, `Retry-After: ${wait}`);
    const body = await response.json();
    assert.equal(await message(page), `Nodejitsu Error (429): Too Many Requests — ${body.message}`, "the server's message as it is");
    await page.getByRole('timer').waitFor();
    assert.equal(await countdown(page), wait);
    assert.equal(await submit.isDisabled(), true);
    assert.equal(await submit.getAttribute('aria-describedby'), 'retry-wait');
    assert.deepEqual(await contrastFailures(page), [], 'the message and the countdown are readable');
    assert.deepEqual(await unlabelled(page), []);
    await shot(page, '25-rate-limited-countdown-1440');
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await shot(page, '26-rate-limited-countdown-360');
    await page.setViewportSize({ width: 1440, height: 900 });

    await context.clock.runFor(1_000);
    assert.equal(await countdown(page), wait - 1, 'one second later');
    assert.equal(await submit.isDisabled(), true);

    // Creating an account is limited apart: its button is not held back.
    await page.getByRole('button', { name: 'Create account', exact: true }).first().click();
    assert.equal(await countdown(page), null);
    assert.equal(await submit.isDisabled(), false);
    await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
    assert.equal(await countdown(page), wait - 1);

    await context.clock.runFor((wait - 2) * 1_000);
    assert.equal(await countdown(page), 1);
    assert.equal(await submit.isDisabled(), true, 'held back to the last second');
    await context.clock.runFor(1_000);
    assert.equal(await countdown(page), null);
    assert.equal(await submit.isDisabled(), false, 'enabled when the wait ends');
    assert.deepEqual(page.errors, []);
  });
});
