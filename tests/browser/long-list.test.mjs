// A long token list in headless Chromium against the real server: only the rows near the
// viewport are in the DOM, yet scrolling, the keyboard and the row buttons reach every token.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, launchBrowser, newContext, openDashboard, signUp, settle, scrollToRow, addTokens, OUTPUT,
} from './helpers.mjs';

const COUNT = 200;
const NAMES = Array.from({ length: COUNT }, (_, i) => `token-${String(i + 1).padStart(4, '0')}`);
const LAST = NAMES.at(-1);

/** A screenshot of the viewport (a full-page one would resize the page under the table). */
function shot(page, name) {
  mkdirSync(path.join(OUTPUT, 'screenshots'), { recursive: true });
  return page.screenshot({ path: path.join(OUTPUT, 'screenshots', `${name}.png`) });
}

/** The rendered body rows as `{ index, name }` (index: `aria-rowindex`). */
function renderedRows(page) {
  return page.locator('.tokens .body [role=row]').evaluateAll((rows) => rows.map((r) => ({
    index: Number(r.getAttribute('aria-rowindex')),
    name: r.querySelector('[role=rowheader]').textContent.trim(),
  })));
}

/** The focused element: its text and the `aria-rowindex` of its row (0 outside the table). */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    return { text: e.textContent, row: Number(e.closest('.tokens [aria-rowindex]')?.getAttribute('aria-rowindex') ?? 0) };
  });
}

describe('a long token list', () => {
  let server, browser, page;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const context = await newContext(browser, server.url);
    page = await openDashboard(context, server.url);
    await signUp(page, 'many');
    assert.equal(await addTokens(page, 'many', NAMES), COUNT);
    await page.reload();
    await page.locator(`.tokens[aria-rowcount="${COUNT + 1}"] [data-name="${NAMES[0]}"]`).waitFor();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('only the rows near the viewport are rendered, in a table of the full height', async () => {
    const rows = await renderedRows(page);
    // The table starts below the create form: at the top of the page the rendered rows are
    // those of the window's margin below the viewport (8 rows and a step or two).
    assert.ok(rows.length >= 8 && rows.length <= 80, `${rows.length} rows rendered`);
    assert.deepEqual(rows[0], { index: 2, name: NAMES[0] });
    rows.forEach((r, i) => assert.deepEqual(r, { index: i + 2, name: NAMES[i] }));
    // The spacers around the rendered rows stand in for the others: the table keeps its height.
    const { rows: height, row } = await page.evaluate(() => {
      const table = document.querySelector('.tokens');
      return {
        rows: table.getBoundingClientRect().height - table.querySelector('.head').getBoundingClientRect().height,
        row: table.querySelector('.body [role=row]').getBoundingClientRect().height,
      };
    });
    assert.ok(Math.abs(height - row * COUNT) < row * 5, `the rows take ${height}px, as ${COUNT} rows of ${row}px`);
    assert.equal(await page.locator('.tokens').getAttribute('aria-label'), 'Tokens, sorted by name');
    assert.equal(await page.locator('.tokens').getAttribute('aria-rowcount'), String(COUNT + 1), 'the header and every token are counted');
  });

  test('scrolling to the bottom shows the last token, and its buttons work', async () => {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const last = page.locator(`.tokens [data-name="${LAST}"]`);
    await last.waitFor();
    await settle(page);
    assert.equal(await last.getAttribute('aria-rowindex'), String(COUNT + 1));
    assert.equal(await last.locator('[role=rowheader]').innerText(), LAST);
    const box = await last.boundingBox();
    const height = await page.evaluate(() => window.innerHeight);
    assert.ok(box.y >= 0 && box.y + box.height <= height, `the last row is on screen (${box.y}..${box.y + box.height} of ${height})`);
    const atBottom = await page.evaluate(() => window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1);
    assert.ok(atBottom, 'the page is scrolled to its end');
    assert.equal(await page.locator(`.tokens [data-name="${NAMES[0]}"]`).count(), 0, 'rows far above are not rendered');
    const rows = await renderedRows(page);
    assert.ok(rows.length <= 80, `${rows.length} rows rendered`);
    await shot(page, '13-long-list-bottom-1440');
    await page.getByRole('button', { name: `Destroy ${LAST}` }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.innerText(), new RegExp(`Destroy token ${LAST}\\?`));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  test('a row in the middle is reached by scrolling', async () => {
    const row = await scrollToRow(page, NAMES[99]);
    assert.equal(await row.getAttribute('aria-rowindex'), '101');
    assert.ok(await row.isVisible());
  });

  test('Tab from the last rendered row reaches the next rows, Shift+Tab the previous ones', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await settle(page);
    const rows = await renderedRows(page);
    const lastRendered = rows.at(-1).index;
    assert.ok(lastRendered < COUNT + 1, 'the list goes on below the rendered rows');
    await page.locator('.tokens .body [role=row]').last().locator('[data-action=destroy]').focus();
    assert.deepEqual(await focused(page), { text: 'Destroy', row: lastRendered });
    // Each row: its creation time (focusable, for the exact time), Regenerate, Destroy.
    await page.keyboard.press('Tab');
    assert.deepEqual(await focused(page), { text: 'just now', row: lastRendered + 1 }, 'Tab reaches the next row');
    await page.keyboard.press('Tab');
    assert.deepEqual(await focused(page), { text: 'Regenerate', row: lastRendered + 1 });
    for (let i = 0; i < 90; i += 1) await page.keyboard.press('Tab');
    assert.deepEqual(await focused(page), { text: 'Regenerate', row: lastRendered + 31 }, '30 rows further on');
    // And back up from the first rendered row after a jump to the end.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.locator(`.tokens [data-name="${LAST}"]`).waitFor();
    await settle(page);
    const first = (await renderedRows(page))[0].index;
    assert.ok(first > 2, 'the rows above are not rendered');
    await page.locator('.tokens .body [role=row]').first().locator('time').first().focus();
    await page.keyboard.press('Shift+Tab');
    assert.deepEqual(await focused(page), { text: 'Destroy', row: first - 1 }, 'Shift+Tab reaches the row above');
  });

  test('at 360 px wide the taller rows are windowed too', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await settle(page);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const last = page.locator(`.tokens [data-name="${LAST}"]`);
    await last.waitFor();
    await settle(page);
    const box = await last.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 740, `the last row is on screen (${box.y}..${box.y + box.height})`);
    const rows = await renderedRows(page);
    assert.ok(rows.length <= 80, `${rows.length} rows rendered`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await shot(page, '14-long-list-bottom-360');
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(page.errors, []);
  });
});
