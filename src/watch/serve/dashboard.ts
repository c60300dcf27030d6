// The dashboard's page and static assets: the HTML shell at /, its style sheet and icon, uPlot
// (from the installed `uplot` package), the icicle graph of the dump HTML report, and the page's
// modules compiled by `npm run build` into dist/watch/serve/web/. Everything is read once, when
// the routes are made, and served from memory with ETags: nothing comes from the network.
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

/** Every static asset the page loads, by URL path. Exported for the packed-install check. */
export function dashboardAssets(webDir = WEB_DIR): Map<string, Answer> {
  const assets = new Map<string, Answer>();
  assets.set('/', answerOf(200, 'text/html; charset=utf-8', PAGE_HTML));
  assets.set('/assets/dashboard.css', answerOf(200, CSS, PAGE_CSS));
  assets.set('/assets/favicon.svg', answerOf(200, 'image/svg+xml', FAVICON_SVG));
  assets.set('/assets/icicle.js', answerOf(200, JS, ICICLE_SCRIPT));
  assets.set('/assets/uPlot.iife.min.js', answerOf(200, JS, readFileSync(requireFromHere.resolve('uplot/dist/uPlot.iife.min.js'))));
  assets.set('/assets/uPlot.min.css', answerOf(200, CSS, readFileSync(requireFromHere.resolve('uplot/dist/uPlot.min.css'))));
  for (const [rel, body] of pageModules(webDir)) assets.set(`/assets/app/${rel}`, answerOf(200, JS, body));
  if (!assets.has('/assets/app/main.js')) {
    // Only a source checkout that was not built gets here: say so on the page rather than a blank one.
    assets.set('/', answerOf(503, 'text/plain; charset=utf-8', `the dashboard's page is not built (no ${path.join(webDir, 'main.js')}): run npm run build\n`));
  }
  return assets;
}

/** The routes of the page and its assets. */
export function dashboardRoutes(): Route[] {
  const assets = dashboardAssets();
  return [
    {
      path: /^\/(?:assets\/.*)?$/,
      handler: (req, res, url) => {
        const asset = assets.get(url.pathname);
        if (asset) send(req, res, asset);
        else send(req, res, answerOf(404, 'text/plain; charset=utf-8', 'not found\n'));
      },
    },
  ];
}
