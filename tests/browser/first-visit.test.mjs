// Issue 13: a first visit without a session leaves the browser console clean. The session
// check asks `GET /session`, which answers 200 with a signed-out state, instead of a 401 the
// browser would log as a failed resource. Every console message, failed request and HTTP
// error answer of the page is collected; none may appear.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newContext, signUp,
} from './helpers.mjs';

/** Opens the dashboard in `context`, recording what the console and the network report. */
async function watchedPage(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.requests = [];
  page.on('console', (m) => page.problems.push(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => page.problems.push(`page error: ${e}`));
  page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    page.requests.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`);
    if (r.status() >= 400) page.problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  await page.goto(url);
  return page;
}

describe('first visit', () => {
  let server, browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('without a session: the sign-in form and nothing in the console', async () => {
    const context = await newContext(browser, server.url);
    const page = await watchedPage(context, server.url);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    // Give late messages (a favicon, a stray request) the time to arrive.
    await page.waitForLoadState('networkidle');
    assert.deepEqual(page.problems, []);
    assert.ok(page.requests.includes('GET /session 200'), page.requests.join('\n'));
    assert.ok(!page.requests.some((r) => r.startsWith('GET /auth')), 'the old 401 probe is gone');
    await context.close();
  });

  test('a returning visit resumes the session quietly, and signing out leaves it quiet too', async () => {
    const context = await newContext(browser, server.url);
    const first = await watchedPage(context, server.url);
    await signUp(first, 'returning');
    await first.close();
    const page = await watchedPage(context, server.url);
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});
