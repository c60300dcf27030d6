// The overview: every target with its state, goroutines now and a sparkline of the window, and the
// firing alerts of all targets first.
import type { OverviewJson, TargetSummaryJson } from '../api-types.js';
import { sparkline, type Chart } from '../charts.js';
import { badge, card, el, link, replace, stat } from '../dom.js';
import * as fmt from '../format.js';
import { getJson } from '../http.js';
import { href } from '../router.js';
import { DataTable } from '../table.js';
import { alertList, type App, type View } from './common.js';

/** How late the watch's samples started over the last minute: a watch that keeps up shows a few ms. */
function samplingStat(data: OverviewJson): HTMLElement {
  const lag = data.samplingLag;
  const late = lag.p95Ms > data.intervalMs / 4 || lag.skipped > 0;
  const e = stat('sampling lag (p95, 1 min)', lag.samples === 0 ? '–' : fmt.duration(lag.p95Ms || 0), late ? 'warn' : undefined);
  e.setAttribute('title', `${lag.samples} samples in the last minute started late by ${lag.p50Ms} ms (median), ${lag.maxMs} ms at most; ${lag.skipped} ticks skipped`);
  return e;
}

export function overviewView(root: HTMLElement, app: App): View {
  app.setCrumbs([{ label: 'Overview' }]);
  const stats = el('div', { class: 'stats' });
  const alerts = card('Firing alerts');
  const targets = card('Targets');
  replace(root, el('div', { class: 'heading' }, el('h1', {}, 'Goroutine leaks, live'), el('p', { class: 'sub' }, 'Every watched service, its goroutines and what leaks.')), stats, alerts.card, targets.card);
  const sparks = new Map<string, { box: HTMLElement; chart: Chart }>();
  let data: OverviewJson | null = null;

  const sparkOf = (t: TargetSummaryJson): HTMLElement => {
    let s = sparks.get(t.name);
    if (!s) {
      const box = el('div', { class: 'spark' });
      s = { box, chart: sparkline(box, { tone: t.firing > 0 ? 'alert' : 'accent' }) };
      sparks.set(t.name, s);
    }
    s.chart.update(t.spark.t, t.spark.total);
    return s.box;
  };

  const table = new DataTable<TargetSummaryJson>(
    [
      { key: 'state', title: 'State', sort: (t) => (t.up === false ? 2 : t.up === null ? 1 : 0), cell: (t) => (t.up === null ? badge('waiting', 'muted') : t.up ? badge('up', 'ok') : badge('down', 'bad')) },
      { key: 'name', title: 'Target', sort: (t) => t.name, cell: (t) => link(href.target(t.name), 'target-link', t.name), cls: 'wide' },
      { key: 'goroutines', title: 'Goroutines', sort: (t) => t.goroutines ?? -1, cell: (t) => fmt.count(t.goroutines), cls: 'num' },
      { key: 'trend', title: 'Window', cell: (t) => sparkOf(t), cls: 'spark-cell', title_hint: 'Goroutines over the last --window' },
      { key: 'alerts', title: 'Alerts', sort: (t) => t.firing, cell: (t) => (t.firing > 0 ? badge(`${t.firing} firing`, 'bad') : el('span', { class: 'muted' }, 'none')) },
      {
        key: 'last',
        title: 'Last sample',
        sort: (t) => -(t.lastSampleAt ?? 0),
        cell: (t) => (t.up === false && t.lastError ? el('span', { class: 'error-text' }, t.lastError) : el('span', { class: 'muted' }, fmt.ago(t.lastSampleAt, app.now()))),
        cls: 'narrow-hide',
      },
    ],
    { id: (t) => t.name, rowHref: (t) => href.target(t.name), rowClass: (t) => (t.firing > 0 ? 'row-alert' : null), empty: 'No target is watched.', search: (t) => t.name.toLowerCase(), searchPlaceholder: 'Filter targets' },
  );
  targets.body.appendChild(table.element);

  return {
    async refresh() {
      const r = await getJson<OverviewJson>('api/overview');
      if (!r.changed && data) return;
      data = r.data;
      app.setIntervalMs(data.intervalMs);
      const up = data.targets.filter((t) => t.up === true).length;
      const down = data.targets.filter((t) => t.up === false).length;
      replace(
        stats,
        stat('targets', fmt.count(data.targets.length)),
        stat('up', fmt.count(up), 'ok'),
        stat('down', fmt.count(down), down > 0 ? 'bad' : undefined),
        stat('firing alerts', fmt.count(data.alerts.length), data.alerts.length > 0 ? 'bad' : 'ok'),
        stat('sampled every', fmt.duration(data.intervalMs)),
        samplingStat(data),
      );
      replace(alerts.body, alertList(data.alerts, data.now, { showTarget: true }));
      alerts.card.classList.toggle('card-alert', data.alerts.length > 0);
      // Firing first, then down, then by name: what needs a look comes first.
      const order = [...data.targets].sort((a, b) => b.firing - a.firing || Number(a.up !== false) - Number(b.up !== false) || a.name.localeCompare(b.name));
      table.update(order);
      for (const [name, s] of sparks) {
        if (data.targets.some((t) => t.name === name)) continue;
        s.chart.destroy();
        sparks.delete(name);
      }
    },
    destroy() {
      for (const s of sparks.values()) s.chart.destroy();
    },
  };
}
