// Shared fixtures of the dashboard's browser tests: a real `jitsu server` on 127.0.0.1 with a
// temporary data dir serving the built dist/, headless Debian Chromium through playwright-core,
// the real `jitsu` CLI, and screenshots under tests/output/screenshots/.

import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

import { JITSU_BIN, PASSWORD, ROOT, startServer as startRealServer } from '../support/server.mjs';

export { JITSU_BIN, PASSWORD, ROOT };

/** The built dashboard. */
export const DIST = process.env.JITSU_DIST ?? path.join(ROOT, 'dist');
/** Where screenshots and measurements go. */
export const OUTPUT = path.join(ROOT, 'tests/output');
const SHOTS = path.join(OUTPUT, 'screenshots');

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];

/** Fails early with a clear message when the build is missing. */
export function checkPrerequisites() {
  for (const [what, file] of [['jitsu binary (cargo build -p jitsu-cli)', JITSU_BIN], ['dashboard (cargo xtask dist)', path.join(DIST, 'app_bg.wasm')], ['Chromium', CHROMIUM]]) {
    if (!existsSync(file)) throw new Error(`${what} not found at ${file}`);
  }
}

/**
 * Starts the real server on a free port with a fresh data dir. Resolves to
 * `{ url, stop() }` once it printed `jitsu server listening on http://ADDR`.
 */
export async function startServer() {
  checkPrerequisites();
  return startRealServer(['--dashboard', DIST]);
}

/** Launches headless Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A fresh browser context (own cookie jar) with clipboard access for `url`'s origin. */
export async function newContext(browser, url, viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  return context;
}

/** Opens the dashboard; page errors fail the test that reads `page.errors`. */
export async function openDashboard(context, url) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) page.errors.push(m.text());
  });
  await page.goto(url);
  return page;
}

/** Saves a full-page screenshot as tests/output/screenshots/<name>.png. */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** What the page's clipboard holds. */
export function clipboardText(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Creates an account through the dashboard's form; ends on the tokens screen. */
export async function signUp(page, username, password = PASSWORD) {
  await page.getByRole('button', { name: 'Create account', exact: true }).first().click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('E-mail').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.getByRole('heading', { name: 'API tokens' }).waitFor();
}

/** Signs in through the form (does not wait for the outcome). */
export async function submitSignIn(page, username, password) {
  await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.locator('form button[type=submit]').click();
}

/** The text of the sign-in form's alert, once one appears. */
export async function accountAlert(page) {
  const alert = page.locator('form [role=alert]');
  await alert.waitFor();
  return alert.innerText();
}

/** Creates a token with the create form (`name` '' lets the server pick); returns its value. */
export async function createToken(page, name) {
  await page.getByLabel('Token name').fill(name);
  await page.getByRole('button', { name: /^(Create token|Regenerate)$/ }).click();
  const value = page.locator('#token-value');
  await value.waitFor();
  return (await value.innerText()).trim();
}

/** The rows of the tokens table as `{ name, mask }`. */
export async function tableRows(page) {
  return page.locator('.tokens [role=row]:not(.head)').evaluateAll((rows) => rows.map((r) => ({
    name: r.querySelector('[role=rowheader]').textContent.trim(),
    mask: r.querySelector('[role=cell]').textContent.trim(),
  })));
}

/** Waits two animation frames: scroll events have run and the app has rendered. */
export function settle(page) {
  return page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
  }));
}

/**
 * Scrolls the page down, a screen at a time from the top, until the tokens table has rendered
 * the row of `name` (a long list renders only the rows near the viewport); resolves to it.
 */
export async function scrollToRow(page, name) {
  const selector = `.tokens [data-name="${name}"]`;
  await page.evaluate(async (sel) => {
    const frame = () => new Promise((resolve) => { requestAnimationFrame(() => requestAnimationFrame(resolve)); });
    window.scrollTo(0, 0);
    await frame();
    for (let i = 0; i < 1000 && !document.querySelector(sel); i += 1) {
      window.scrollBy(0, window.innerHeight);
      await frame();
    }
  }, selector);
  const row = page.locator(selector);
  await row.scrollIntoViewIfNeeded();
  return row;
}

/** Creates the tokens `names` for `user` (signed in on `page`); resolves to how many were created. */
export function addTokens(page, user, names) {
  return page.evaluate(async ([u, list]) => {
    let ok = 0;
    for (let i = 0; i < list.length; i += 25) {
      const batch = list.slice(i, i + 25).map((n) => fetch(`/users/${u}/tokens/${n}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
      ok += (await Promise.all(batch)).filter((r) => r.status === 201).length;
    }
    return ok;
  }, [user, names]);
}

const exec = promisify(execFile);

/**
 * Runs a shell script (the copied share commands) with the real `jitsu` first on PATH and a
 * HOME of its own. Resolves to `{ code, stdout, stderr }` without throwing.
 */
export async function runAsThirdParty(home, script) {
  const bin = path.join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  const env = { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
  delete env.JITSU_PASSWORD;
  // The CLI is called as `jitsu` exactly as the handout says.
  await exec('ln', ['-sf', JITSU_BIN, path.join(bin, 'jitsu')]);
  try {
    const { stdout, stderr } = await exec('sh', ['-e', '-c', script], { env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A fresh HOME for a third party. */
export function freshHome() {
  return mkdtempSync(path.join(tmpdir(), 'jitsu-third-party-'));
}

/** `GET /auth` with Basic `user:secret`; resolves to the status. */
export async function authStatus(url, user, secret) {
  const res = await fetch(new URL('/auth', url), {
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` },
  });
  return res.status;
}

/**
 * Texts on screen whose contrast with their background is below WCAG AA (4.5:1, or 3:1 for
 * large text). Disabled controls are exempt, as WCAG says. Resolves to a list of offenders.
 */
export function contrastFailures(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0.5) return c;
      }
      return { r: 255, g: 255, b: 255 };
    };
    const failures = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest('[disabled], .visually-hidden, [aria-hidden=true]')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      const fg = parse(style.color);
      const bg = background(el);
      const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(`${node.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)}`);
    }
    return failures;
  });
}

/** Form fields without a label, and buttons without an accessible name. */
export function unlabelled(page) {
  return page.evaluate(() => [
    ...[...document.querySelectorAll('input')].filter((i) => !i.labels?.length && !i.getAttribute('aria-label')).map((i) => `input#${i.id}`),
    ...[...document.querySelectorAll('button')].filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).map((b) => `button ${b.outerHTML.slice(0, 60)}`),
  ]);
}

/**
 * A suite of its own (the limits count per client address, so a suite that trips them must
 * not share a server): a server, a browser and a page where `username` has an account and is
 * signed out. Close it with `closeSuite`.
 */
export async function signedOutSuite(username) {
  const server = await startServer();
  const browser = await launchBrowser();
  const context = await newContext(browser, server.url);
  const page = await openDashboard(context, server.url);
  await signUp(page, username);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  return { server, browser, context, page };
}

/** Ends what `signedOutSuite` started. */
export async function closeSuite(suite) {
  await suite?.browser?.close();
  await suite?.server?.stop();
}
