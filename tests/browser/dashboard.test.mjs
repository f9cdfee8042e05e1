// The dashboard's main flow in headless Chromium against the real server and the real CLI:
// account, tokens, the one-time reveal, the shared-access handout run by a third party,
// regenerate, destroy, sign out, session expiry.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, launchBrowser, newContext, openDashboard, shot, clipboardText, signUp,
  submitSignIn, createToken, tableRows, runAsThirdParty, freshHome, authStatus, PASSWORD,
  contrastFailures, unlabelled, DIST,
} from './helpers.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('dashboard with a real server', () => {
  let server, browser, context, page;
  const home = freshHome();
  let ciValue, shareScript;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await newContext(browser, server.url);
    page = await openDashboard(context, server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('first visit shows the sign-in form with labelled fields', async () => {
    await page.getByLabel('Username').waitFor();
    assert.equal(await page.getByLabel('Password').getAttribute('type'), 'password');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
    assert.deepEqual(await unlabelled(page), []);
    assert.deepEqual(await contrastFailures(page), []);
    await shot(page, '01-sign-in-1440');
  });

  test('creating an account signs in and shows the empty state', async () => {
    await page.getByRole('button', { name: 'Create account', exact: true }).first().click();
    await shot(page, '02-create-account-1440');
    await signUp(page, 'alice');
    await page.getByText('No tokens yet.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'API tokens', 'the new screen has the focus');
    assert.match(await page.locator('.topbar').innerText(), /Signed in as alice/);
    await shot(page, '03-empty-state-1440');
  });

  test('the page runs under a strict Content-Security-Policy', async () => {
    const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const inline = /<script type="module">([\s\S]*?)<\/script>/.exec(html)[1];
    const hash = createHash('sha256').update(inline).digest('base64');
    const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
    assert.ok(csp.includes(`'sha256-${hash}'`), 'the CSP hash matches the inline script of index.html');
    assert.match(csp, /default-src 'none'/);
    assert.deepEqual(page.errors, [], 'no script, style or request was refused');
  });

  test('the password never reaches script-visible storage', async () => {
    const stored = await page.evaluate(() => JSON.stringify({
      local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie,
    }));
    assert.equal(stored, JSON.stringify({ local: {}, session: {}, cookie: '' }));
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'jitsu_session');
    assert.ok(session, 'the server set the session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.ok(!session.value.includes(PASSWORD));
  });

  test('the name field is validated live by core', async () => {
    await page.getByLabel('Token name').fill('bad name');
    const help = page.locator('#token-name-help');
    assert.match(await help.innerText(), /token name "bad name" contains ' ' — allowed: letters, digits/);
    assert.equal(await page.getByLabel('Token name').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByRole('button', { name: 'Create token' }).isDisabled(), true);
    await shot(page, '04-invalid-name-1440');
    await page.getByLabel('Token name').fill('');
    assert.match(await help.innerText(), /server picks a name/);
  });

  test('creating a named token reveals its value once with the share handout', async () => {
    ciValue = await createToken(page, 'ci-deploy');
    assert.match(ciValue, UUID);
    const panel = page.locator('section.reveal');
    assert.match(await panel.innerText(), /will not be shown again/);
    const port = new URL(server.url).port;
    const commands = await page.locator('#share-commands').innerText();
    assert.deepEqual(commands.trim().split('\n'), [
      'jitsu logout',
      'jitsu config set apiTokenName ci-deploy',
      `jitsu config set apiToken ${ciValue}`,
      'jitsu config set username alice',
      'jitsu config set remoteHost 127.0.0.1',
      `jitsu config set port ${port}`,
      'jitsu config set protocol http',
    ]);
    const config = JSON.parse(await page.locator('#share-config').innerText());
    assert.deepEqual(config, {
      apiTokenName: 'ci-deploy', apiToken: ciValue, username: 'alice',
      remoteHost: '127.0.0.1', port: Number(port), protocol: 'http',
    });
    const rows = await tableRows(page);
    assert.deepEqual(rows.map((r) => r.name), ['ci-deploy']);
    assert.deepEqual(await unlabelled(page), []);
    assert.deepEqual(await contrastFailures(page), [], 'every text meets WCAG AA contrast');
    assert.equal(rows[0].mask, `********-****-****-****-********${ciValue.slice(-4)}`);
    await shot(page, '05-reveal-panel-1440');
  });

  test('copy buttons put the token and the share commands on the clipboard', async () => {
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied').first().waitFor();
    assert.equal(await clipboardText(page), ciValue);
    await page.getByRole('button', { name: 'Copy config' }).click();
    assert.equal(JSON.parse(await clipboardText(page)).apiToken, ciValue);
    await page.getByRole('button', { name: 'Copy commands' }).click();
    shareScript = await clipboardText(page);
    assert.match(shareScript, /^jitsu logout\n/);
    assert.ok(shareScript.includes(`jitsu config set apiToken ${ciValue}\n`));
  });

  test('the copied commands, run with the real CLI under another HOME, act as the owner', async () => {
    const setup = await runAsThirdParty(home, shareScript);
    assert.equal(setup.code, 0, `share commands failed:\n${setup.stdout}\n${setup.stderr}`);
    const who = await runAsThirdParty(home, 'jitsu whoami');
    assert.equal(who.code, 0, `whoami failed:\n${who.stdout}\n${who.stderr}`);
    assert.match(who.stdout, /You are: alice/);
    assert.equal(await authStatus(server.url, 'alice', ciValue), 200);
  });

  test('closing the panel forgets the value', async () => {
    await page.getByRole('button', { name: 'Done — forget the value' }).click();
    await page.locator('section.reveal').waitFor({ state: 'detached' });
    assert.equal(await page.getByText(ciValue).count(), 0);
    assert.ok(!(await page.content()).includes(ciValue));
  });

  test('an empty name lets the server pick token-1', async () => {
    const value = await createToken(page, '');
    assert.match(value, UUID);
    assert.match(await page.locator('#reveal-title').innerText(), /Token token-1 created/);
    assert.deepEqual((await tableRows(page)).map((r) => r.name), ['ci-deploy', 'token-1']);
    await page.getByRole('button', { name: 'Done — forget the value' }).click();
    await shot(page, '06-tokens-table-1440');
  });

  test('creating over an existing name asks before regenerating', async () => {
    await page.getByLabel('Token name').fill('ci-deploy');
    assert.match(await page.locator('#token-name-help').innerText(), /exists: creating it again regenerates/);
    await page.getByRole('button', { name: 'Regenerate', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /needs the new value[\s\S]*Old value stops working/);
    await shot(page, '07-confirm-regenerate-1440');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Regenerate', 'focus returns to the opener');
    assert.equal(await authStatus(server.url, 'alice', ciValue), 200, 'cancel changes nothing');
  });

  test('regenerating in place makes the old value fail with 401', async () => {
    await page.getByRole('button', { name: 'Regenerate ci-deploy' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /needs the new value[\s\S]*Old value stops working/);
    await dialog.getByRole('button', { name: 'Regenerate ci-deploy' }).click();
    await page.locator('#reveal-title', { hasText: 'Token ci-deploy regenerated' }).waitFor();
    const fresh = (await page.locator('#token-value').innerText()).trim();
    assert.match(fresh, UUID);
    assert.notEqual(fresh, ciValue);
    assert.equal(await authStatus(server.url, 'alice', ciValue), 401);
    assert.equal(await authStatus(server.url, 'alice', fresh), 200);
    const who = await runAsThirdParty(home, 'jitsu whoami');
    assert.notEqual(who.code, 0, 'the third party lost access with the old value');
    assert.match(who.stdout + who.stderr, /401/);
    await page.getByRole('button', { name: 'Done — forget the value' }).click();
  });

  test('destroying asks with the token name, then removes it', async () => {
    await page.getByRole('button', { name: 'Destroy token-1' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), /Destroy token token-1\?/);
    await shot(page, '08-confirm-destroy-1440');
    await dialog.getByRole('button', { name: 'Destroy token-1' }).click();
    await page.getByRole('status').filter({ hasText: 'Token token-1 destroyed' }).waitFor();
    assert.deepEqual((await tableRows(page)).map((r) => r.name), ['ci-deploy']);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tokens-title', 'focus stays in the list');
  });

  test('the dashboard works with the keyboard alone', async () => {
    await page.getByLabel('Token name').focus();
    await page.keyboard.type('kbd');
    await page.keyboard.press('Enter');
    await page.locator('#token-value').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reveal-title');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Copy token');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid', 'focus is visible');
    await shot(page, '09-keyboard-focus-1440');
    await page.getByRole('button', { name: 'Done — forget the value' }).press('Enter');
    await page.locator('section.reveal').waitFor({ state: 'detached' });
  });

  test('looks right at 360 px wide', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await shot(page, '10-tokens-360');
    await createToken(page, 'phone');
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow2 <= 0, `reveal panel fits (overflow ${overflow2}px)`);
    await shot(page, '11-reveal-360');
    await page.getByRole('button', { name: 'Done — forget the value' }).click();
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('an expired session returns to sign-in with a message', async () => {
    await context.clearCookies();
    await page.getByLabel('Token name').fill('after-expiry');
    await page.getByRole('button', { name: 'Create token' }).click();
    const alert = page.locator('form [role=alert]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /session has ended/);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign in');
    assert.equal(await page.getByLabel('Username').inputValue(), 'alice', 'the account is filled in again');
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    assert.deepEqual(await contrastFailures(page), [], 'the error message is readable');
    await shot(page, '12-session-expired-1440');
  });

  test('signing in again resumes, and a reload keeps the session', async () => {
    await submitSignIn(page, 'alice', PASSWORD);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.reload();
    await page.locator('.tokens[role=table]').waitFor();
    assert.deepEqual((await tableRows(page)).map((r) => r.name), ['ci-deploy', 'kbd', 'phone']);
  });

  test('signing out ends the session on the server', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    assert.deepEqual(page.errors, []);
  });
});
