// The dashboard page: a header with where you are and whether the data is live, and one view at a
// time chosen by the URL's hash (router.ts). The view asks for its data again every so often (from
// the watch's interval, between 1 and 5 seconds); an unchanged answer is a 304 and no redraw.
import { el, link, replace } from './dom.js';
import * as fmt from './format.js';
import { ApiFailure } from './http.js';
import { parseRoute, href } from './router.js';
import type { App, View } from './views/common.js';
import { groupView } from './views/group.js';
import { overviewView } from './views/overview.js';
import { snapshotView } from './views/snapshot.js';
import { targetView } from './views/target.js';

const MIN_POLL_MS = 1000;
const MAX_POLL_MS = 5000;

const crumbs = document.getElementById('crumbs')!;
const live = document.getElementById('live')!;
const main = document.getElementById('view')!;

let pollMs = 2000;
let view: View | null = null;
let generation = 0;
let timer: number | null = null;
let lastOk = 0;
let drawn = false;

const app: App = {
  now: () => Date.now(),
  setCrumbs(items) {
    replace(crumbs, ...items.flatMap((c, i) => [i > 0 ? el('span', { class: 'crumb-sep', 'aria-hidden': 'true' }, '/') : null, c.href ? link(c.href, 'crumb', c.label) : el('span', { class: 'crumb current' }, c.label)]));
  },
  setIntervalMs(ms) {
    pollMs = Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.round(ms / 2)));
  },
};

function setLive(state: 'live' | 'error' | 'loading', text: string): void {
  live.className = `live live-${state}`;
  replace(live, el('span', { class: 'dot', 'aria-hidden': 'true' }), text);
}

function mount(): void {
  view?.destroy();
  generation++;
  drawn = false;
  const route = parseRoute(location.hash);
  switch (route.view) {
    case 'overview':
      view = overviewView(main, app);
      break;
    case 'target':
      view = targetView(main, app, route.target, route.range);
      break;
    case 'group':
      view = groupView(main, app, route.target, route.group, route.range);
      break;
    case 'snapshot':
      view = snapshotView(main, app, route.target, route.snapshot);
      break;
    case 'missing':
      view = null;
      app.setCrumbs([{ label: 'Overview', href: href.overview() }, { label: 'not found' }]);
      replace(main, el('div', { class: 'card notice' }, el('h1', {}, 'No such view'), el('p', {}, `Nothing lives at #${route.hash}. `, link(href.overview(), null, 'Back to the overview'))));
      break;
  }
  document.title = `goroscope watch${route.view === 'overview' || route.view === 'missing' ? '' : ` · ${route.target}`}`;
  void poll();
}

async function poll(): Promise<void> {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const mine = generation;
  if (view && !document.hidden) {
    try {
      await view.refresh();
      if (mine !== generation) return;
      drawn = true;
      lastOk = Date.now();
      setLive('live', `live · every ${fmt.duration(pollMs)}`);
      document.body.setAttribute('data-ready', 'true');
    } catch (err) {
      if (mine !== generation) return;
      const message = err instanceof Error ? err.message : String(err);
      if (!drawn && err instanceof ApiFailure && err.status >= 400) {
        // The view cannot be drawn at all (an unknown target or group): say so in its place.
        replace(main, el('div', { class: 'card notice' }, el('h1', {}, 'Cannot show this view'), el('p', { class: 'error-text' }, message), el('p', {}, link(href.overview(), null, 'Back to the overview'))));
        document.body.setAttribute('data-ready', 'true');
      }
      setLive('error', lastOk ? `${message} · last update ${fmt.ago(lastOk, Date.now())}` : message);
      // Any error stack goes to the console only when it is ours, not the watch's answer.
      if (!(err instanceof ApiFailure)) console.warn(err);
    }
  }
  if (mine === generation) timer = window.setTimeout(() => void poll(), pollMs);
}

window.addEventListener('hashchange', mount);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void poll();
});
setLive('loading', 'connecting');
mount();
