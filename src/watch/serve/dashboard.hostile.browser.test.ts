// Everything the dashboard shows from a target is text: a fake target (fake-targets.ts) whose
// function names, file paths, creator and pprof labels carry <script>, <img onerror>, <svg onload>
// and quotes, watched by `goroscope watch --serve` and looked at in Chromium. No script may run, no
// element may be made from that text, and every view must show the text exactly as written.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTargets, heapAnswer } from '../../bench/fake-targets.js';
import { chromiumUnavailable, launchBrowser, watchPageProblems, type TestBrowser } from '../../testing/browser.js';
import { startServingWatch, waitForOverview, type ServingWatch } from '../../testing/watchsvc.js';

const skip = chromiumUnavailable('the dashboard injection tests');

const SCRIPT_FN = 'main.<script>window.__pwned=1;alert(1)</script>';
const IMG_FN = 'main.(*T).<img/src=x/onerror=window.__pwned=2>';
const QUOTE_FN = `main."quoted'func"`;
const FILE = '/src/<svg/onload=window.__pwned=3>/app.go';
const QUOTE_FILE = `/src/app/"quote'd".go`;
const CREATOR = 'main.spawn<b>x</b>';
const LABEL = '<img src=x onerror="window.__pwned=4">';
const LABEL_KEY = 'q"k';
const LABEL2 = `'"><script>window.__pwned=5</script>`;
const quote = (s: string) => JSON.stringify(s);

/** A debug=1 profile: the hostile group (5 goroutines, labelled) and a second one. */
const DEBUG1 = `goroutine profile: total 7
5 @ 0x43b356 0x4a0000 0x4a0100 0x46b661
# labels: {${quote('tenant')}:${quote(LABEL)}, ${quote(LABEL_KEY)}:${quote(LABEL2)}}
#\t0x4a0000\t${SCRIPT_FN}+0x2d\t${FILE}:12
#\t0x4a0100\t${QUOTE_FN}+0x2d\t/src/app/main.go:20

2 @ 0x43b356 0x4a0200 0x46b661
#\t0x4a0200\t${IMG_FN}+0x2d\t${QUOTE_FILE}:30
`;

/** The same goroutines as debug=2 text (snapshots): states, waits and the hostile creator. */
const DEBUG2 = [1, 2, 3, 4, 5]
  .map(
    (id) => `goroutine ${id} [chan send, ${id * 3} minutes, labels:{${quote('tenant')}:${quote(LABEL)}, ${quote(LABEL_KEY)}:${quote(LABEL2)}}]:
runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)
\t/usr/lib/go/src/runtime/proc.go:398 +0xce
${SCRIPT_FN}(...)
\t${FILE}:12 +0x2d
${QUOTE_FN}()
\t/src/app/main.go:20 +0x2d
created by ${CREATOR} in goroutine 1
\t/src/app/main.go:40 +0x40
`,
  )
  .concat(
    [6, 7].map(
      (id) => `goroutine ${id} [select]:
${IMG_FN}()
\t${QUOTE_FILE}:30 +0x2d
created by ${CREATOR} in goroutine 1
\t/src/app/main.go:41 +0x40
`,
    ),
  )
  .join('\n');

describe.skipIf(skip)(`the dashboard keeps a target's text as text${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir = '';
  let fake: FakeTargets;
  let watch: ServingWatch;
  let browser: TestBrowser;
  let target = '';
  let group = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-hostile-'));
    fake = await FakeTargets.start();
    let samples = 0;
    fake.set(0, (endpoint, debug) => {
      if (endpoint === 'goroutine') return { body: debug === '2' ? DEBUG2 : DEBUG1 };
      if (endpoint === 'heap') return heapAnswer(1000 + samples++, 1);
      if (endpoint === 'cmdline') return { body: '/srv/app' };
      return null;
    });
    // A query with markup and quotes: the target's name carries them too (URL-encoded, as shown).
    const url = `${fake.url(0)}?x='"><img src=x onerror=window.__pwned=6>`;
    watch = await startServingWatch([url, '--interval', '250ms', '--window', '3s', '--max-group', '3', '--snapshot-interval', '1s', '--db', path.join(dir, 'w.db'), '--snapshot-dir', path.join(dir, 'snaps')]);
    const alert = await waitForOverview(watch, (o) => (o.targets[0]!.samples > 4 ? o.alerts.find((a) => a.group?.location?.func === SCRIPT_FN) : null), 'threshold alert', 20_000);
    target = alert.target;
    group = alert.group!.id;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await watch?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a view and checks that nothing from the target became markup or ran. */
  async function view(hash: string, check: (page: Page) => Promise<void>): Promise<void> {
    const page = await browser.context.newPage();
    const problems = watchPageProblems(page);
    await page.goto(`${watch.url}/${hash}`);
    await page.waitForSelector('body[data-ready="true"]');
    await check(page);
    const made = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      images: Array.from(document.images).map((i) => i.getAttribute('src')!.replace(/^assets\/[0-9a-f]+\//, '')),
      scripts: Array.from(document.scripts).map((s) => s.getAttribute('src')!.replace(/^assets\/[0-9a-f]+\//, '')),
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
      bold: document.querySelectorAll('main b').length - document.querySelectorAll('main .signals b, main .alert-figures b').length,
    }));
    expect(made).toEqual({ pwned: null, images: ['favicon.svg'], scripts: ['uPlot.iife.min.js', 'icicle.js', 'app/main.js'], handlers: 0, bold: 0 });
    await page.close();
    expect(problems).toEqual([]);
  }

  it('the overview shows the target name and the alert as written', async () => {
    await view('#/', async (page) => {
      expect(await page.locator('.alert-title .func').textContent()).toBe(SCRIPT_FN);
      expect(await page.locator('ul.alerts .labels').textContent()).toBe(`labels: tenant=${LABEL}, ${LABEL_KEY}=${LABEL2}`);
      expect(await page.locator('table.data .target-link').textContent()).toBe(target);
      expect(target).toContain('x=%27%22%3E%3Cimg');
    });
  });

  it('the target view lists the groups with their names and files as written', async () => {
    await view(`#/target/${encodeURIComponent(target)}`, async (page) => {
      expect(await page.textContent('h1')).toContain(target);
      const funcs = await page.$$eval('table.data tbody .func', (es) => es.map((e) => e.textContent));
      expect(funcs).toEqual(expect.arrayContaining([SCRIPT_FN, IMG_FN]));
      const titles = await page.$$eval('table.data tbody .file', (es) => es.map((e) => e.getAttribute('title')));
      expect(titles).toEqual(expect.arrayContaining([`${FILE}:12`, `${QUOTE_FILE}:30`]));
      await page.fill('input.search', LABEL);
      expect(await page.$$eval('table.data tbody tr', (rs) => rs.map((r) => r.getAttribute('data-id')))).toEqual([group]);
    });
  });

  it('the group view shows the stack, creator and labels as written', async () => {
    await view(`#/target/${encodeURIComponent(target)}/group/${group}`, async (page) => {
      expect(await page.textContent('h1')).toBe(`${SCRIPT_FN}threshold`);
      const stack = await page.textContent('pre.stack');
      expect(stack).toContain(`${SCRIPT_FN}\n    ${FILE}:12`);
      expect(stack).toContain(`${QUOTE_FN}\n    /src/app/main.go:20`);
      await expect.poll(() => page.textContent('pre.stack')).toContain(`created by ${CREATOR}\n    /src/app/main.go:40`);
      expect(await page.$$eval('.labels-list dt', (es) => es.map((e) => e.textContent))).toEqual(['tenant', LABEL_KEY]);
      expect(await page.$$eval('.labels-list dd', (es) => es.map((e) => e.textContent))).toEqual([LABEL, LABEL2]);
    });
  });

  it('the snapshot view draws the hostile names as icicle cells and table text', async () => {
    await view(`#/target/${encodeURIComponent(target)}/snapshot`, async (page) => {
      await page.waitForSelector('#flame g.cell');
      const names = await page.$$eval('#flame g.cell', (cs) => cs.map((c) => c.getAttribute('data-name')));
      expect(names).toEqual(expect.arrayContaining([QUOTE_FN, SCRIPT_FN, IMG_FN]));
      const titles = await page.$$eval('#flame g.cell title', (ts) => ts.map((t) => t.textContent));
      expect(titles).toContain(`${SCRIPT_FN}: 5 goroutines`);
      expect(await page.$$eval('table.data tbody .func', (es) => es.map((e) => e.textContent))).toEqual(expect.arrayContaining([SCRIPT_FN, CREATOR, IMG_FN]));
    });
  });
});
