// The dashboard's page and static assets: the HTML shell at /, its style sheet and icon, uPlot
// (from the installed `uplot` package), the icicle graph of the dump HTML report, and the page's
// modules compiled by `npm run build` into dist/watch/serve/web/. Everything is read once, when
// the routes are made, and served from memory: nothing comes from the network.
//
// Assets live under /assets/BUILD/, BUILD being a hash of their contents: a browser keeps them for
// a year without asking again (a reload asks for the shell and the API only), and another build of
// goroscope has other paths, so a cached old asset is never used with a new page.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ICICLE_SCRIPT } from '../../dump/report/icicle-script.js';
import { FAVICON_SVG, PAGE_CSS, PAGE_HTML } from './page.js';
import { answerOf, send, type Answer } from './respond.js';
import type { Route } from './server.js';

const requireFromHere = createRequire(import.meta.url);

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Where the page's compiled modules are: web/ beside this module in dist/. */
export const WEB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'web');

/** The compiled modules of the page, by path under web/ ("views/target.js"). */
function pageModules(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.js')) out.set(rel, readFileSync(path.join(dir, rel)));
    }
  };
  try {
    walk('');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return out;
}

export interface DashboardAssets {
  /** The shell, at /. */
  page: Answer;
  /** The assets' URL prefix: /assets/BUILD. */
  prefix: string;
  /** Every asset by its URL path. */
  assets: Map<string, Answer>;
}

/** The page and every asset it loads. Exported for the packed-install check. */
export function dashboardAssets(webDir = WEB_DIR): DashboardAssets {
  const files = new Map<string, [string, string | Buffer]>([
    ['dashboard.css', [CSS, PAGE_CSS]],
    ['favicon.svg', ['image/svg+xml', FAVICON_SVG]],
    ['icicle.js', [JS, ICICLE_SCRIPT]],
    ['uPlot.iife.min.js', [JS, readFileSync(requireFromHere.resolve('uplot/dist/uPlot.iife.min.js'))]],
    ['uPlot.min.css', [CSS, readFileSync(requireFromHere.resolve('uplot/dist/uPlot.min.css'))]],
  ]);
  for (const [rel, body] of pageModules(webDir)) files.set(`app/${rel}`, [JS, body]);
  const hash = createHash('sha1');
  for (const [name, [, body]] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(name).update('\0').update(body).update('\0');
  const prefix = `/assets/${hash.digest('hex').slice(0, 12)}`;
  const assets = new Map([...files].map(([name, [type, body]]) => [`${prefix}/${name}`, answerOf(200, type, body)]));
  // Only a source checkout that was not built lacks the modules: say so rather than show a blank page.
  const page = files.has('app/main.js')
    ? answerOf(200, 'text/html; charset=utf-8', PAGE_HTML.replaceAll('ASSETS', prefix.slice(1)))
    : answerOf(503, TEXT, `the dashboard's page is not built (no ${path.join(webDir, 'main.js')}): run npm run build\n`);
  return { page, prefix, assets };
}

/** The routes of the page and its assets. */
export function dashboardRoutes(): Route[] {
  const { page, assets } = dashboardAssets();
  return [
    { path: '/', handler: (req, res) => send(req, res, page) },
    {
      path: /^\/assets\//,
      handler: (req, res, url) => {
        const asset = assets.get(url.pathname);
        if (asset) send(req, res, asset, IMMUTABLE);
        else send(req, res, answerOf(404, TEXT, 'not found (the page was reloaded after goroscope was upgraded? reload it)\n'));
      },
    },
  ];
}
