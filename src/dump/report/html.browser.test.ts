// The HTML report in a real headless Chromium: ordering, search, stacks, icicle zoom, and that
// hostile label text stays text.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { analyzeDump } from '../analyze/index.js';
import { dumpOf, goroutine, many } from '../analyze/testdata/factory.js';
import { chromiumUnavailable, launchBrowser, type TestBrowser } from '../../testing/browser.js';
import { renderDumpHtml } from './html.js';

const XSS = '<img src=x onerror="window.__pwned=1">';

function sampleHtml(): string {
  const dump = dumpOf([
    ...many(12, { state: 'chan receive', frames: ['main.worker /app/main.go:37', 'main.pool /app/main.go:20'] }),
    ...many(3, { state: 'sync.Mutex.Lock', frames: ['sync.(*Mutex).Lock /go/src/sync/mutex.go:90', 'main.locker /app/main.go:50', 'main.pool /app/main.go:21'] }),
    ...many(2, { state: 'chan send (nil chan)', frames: ['main.nilsend /app/main.go:60'], labels: { tenant: XSS } }),
    goroutine({ state: 'select (no cases)', frames: ['main.forever /app/main.go:70'] }),
    goroutine({ state: 'GC sweep wait', frames: ['runtime.bgsweep /go/src/runtime/mgcsweep.go:1'], createdBy: 'runtime.gcenable /go/src/runtime/mgc.go:1' }),
  ]);
  return renderDumpHtml(analyzeDump(dump), `report ${XSS}`);
}

describe.skipIf(chromiumUnavailable('the HTML report test'))('HTML report in headless Chromium', () => {
  let browser: TestBrowser;
  let page: Page;
  let tmp = '';

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-html-'));
    const file = path.join(tmp, 'report.html');
    writeFileSync(file, sampleHtml());
    browser = await launchBrowser({ width: 1300, height: 900 });
    page = await browser.context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#groups tbody tr.group');
    expect(errors).toEqual([]);
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true); // self-contained
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('lists suspects first', async () => {
    const levels = await page.$$eval('#groups tbody tr.group td.col-level', (tds) => tds.map((td) => td.textContent));
    expect(levels.slice(0, 2)).toEqual(['definite', 'definite']);
    expect(levels.indexOf('definite')).toBe(0);
    expect(levels.lastIndexOf('definite')).toBeLessThan(levels.indexOf(''));
  });

  it('keeps dump text as text (no script injection)', async () => {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).toContain('<img');
  });

  it('filters rows with the search box', async () => {
    await page.fill('#search', 'locker');
    const rows = await page.$$eval('#groups tbody tr.group td.col-location', (tds) => tds.map((td) => td.textContent));
    expect(rows).toEqual(['main.locker (/app/main.go:50)']);
    await page.fill('#search', '');
    expect(await page.locator('#groups tbody tr.group').count()).toBe(5);
  });

  it('sorts by a column when its header is clicked', async () => {
    await page.click('th[data-key="count"]');
    const counts = await page.$$eval('#groups tbody tr.group td.col-count', (tds) => tds.map((td) => Number(td.textContent)));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBe(12);
  });

  it('expands a stack when a row is clicked', async () => {
    const row = page.locator('#groups tbody tr.group', { hasText: 'main.worker' });
    const detail = row.locator('xpath=following-sibling::tr[1]');
    expect(await detail.isVisible()).toBe(false);
    await row.click();
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.locator('pre').textContent()).toContain('main.pool\n\t/app/main.go:20');
  });

  it('zooms the icicle on click', async () => {
    const cell = page.locator('#flame g.cell[data-name="main.locker"]');
    const before = Number(await cell.locator('rect').getAttribute('width'));
    expect(before).toBeLessThan(600);
    await cell.click();
    const after = Number(await page.locator('#flame g.cell[data-name="main.locker"] rect').getAttribute('width'));
    expect(after).toBeGreaterThan(1100);
    expect(await page.textContent('#zoom')).toContain('zoomed: main.locker (3 goroutines)');
    await page.locator('#flame g.cell[data-name="all goroutines"]').click();
    expect(await page.textContent('#zoom')).toBe('click a cell to zoom');
    if (process.env.GOROSCOPE_SCREENSHOT) await page.screenshot({ path: process.env.GOROSCOPE_SCREENSHOT, fullPage: true });
  });
});
