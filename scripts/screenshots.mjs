// Screenshots of `goroscope dump --format html` for the docs (docs/images/), from the bundled
// fixtures: the dump the src/dump/fixtures/allkinds program writes (goroutines blocked in every
// kind, with the runtime's and net/http's own beside them), plus the hand-written dump with
// pprof labels in src/dump/parse/testdata. Needs the build (npm run build), Go and Chromium:
//
//   node scripts/screenshots.mjs [--go PATH] [--chromium PATH]
//
// It writes docs/images/dump-html-1280.png, dump-html-390.png and dump-html-flame-1280.png.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const go = arg('--go', process.env.GOROSCOPE_GO ?? 'go');
const chromiumPath = arg('--chromium', '/usr/bin/chromium');
const out = path.join(root, 'docs/images');
mkdirSync(out, { recursive: true });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-screenshots-'));
try {
  // The fixture prints its goroutines on stdout (and what it expects on stderr, unused here).
  const dump = execFileSync(go, ['run', '.'], {
    cwd: path.join(root, 'src/dump/fixtures/allkinds'),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOPROXY: 'off' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const dumpFile = path.join(tmp, 'allkinds.txt');
  writeFileSync(dumpFile, dump);
  const html = path.join(tmp, 'report.html');
  const labels = path.join(root, 'src/dump/parse/testdata/labels_inside_brackets.txt');
  try {
    execFileSync(process.execPath, [path.join(root, 'dist/cli/main.js'), 'dump', '--format', 'html', '--output', html, dumpFile, labels], { stdio: 'inherit' });
  } catch (err) {
    if (err.status !== 1) throw err; // 1: suspects found, as expected
  }
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const [width, height, name, flame] of [
      [1280, 800, 'dump-html-1280.png', false],
      [390, 844, 'dump-html-390.png', false],
      [1280, 800, 'dump-html-flame-1280.png', true],
    ]) {
      const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
      await page.goto(pathToFileURL(html).href);
      await page.waitForFunction(() => window.goroscopeReady);
      if (flame) await page.click('#tab-flame');
      await page.screenshot({ path: path.join(out, name) });
      console.log(`wrote docs/images/${name} (${width}x${height})`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
