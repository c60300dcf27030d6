// One target: its goroutines over a range (zoomable), its firing and recent alerts, its stack
// groups as a sortable, searchable table with a sparkline each, and its snapshots.
import type { GroupRowJson, TargetJson } from '../api-types.js';
import { sparkline, timeChart, type Chart } from '../charts.js';
import { badge, card, el, link, replace, stat } from '../dom.js';
import * as fmt from '../format.js';
import { getJson } from '../http.js';
import { apiQuery, href } from '../router.js';
import { DataTable } from '../table.js';
import { alertList, frameCell, heading, labelsText, rangePicker, snapshotList, type App, type View } from './common.js';

function groupSearchText(g: GroupRowJson): string {
  const f = (x: GroupRowJson['location']) => (x ? `${x.func} ${x.file}:${x.line}` : '');
  return [g.id, g.state ?? '', g.kind, f(g.location), f(g.createdBy), labelsText(g.labels), g.alerts.join(' '), g.benign ?? ''].join('\n').toLowerCase();
}

export function targetView(root: HTMLElement, app: App, target: string, rangeSpec: string | null): View {
  const range = rangeSpec ?? '1h';
  app.setCrumbs([{ label: 'Overview', href: href.overview() }, { label: target }]);
  const head = el('div');
  const stats = el('div', { class: 'stats' });
  const chartCard = card('Goroutines', el('span', { class: 'hint' }, 'drag to zoom · double-click to reset'));
  const chartBox = el('div', { class: 'chart' });
  const seriesNote = el('div', { class: 'series-note' });
  chartCard.body.append(chartBox, seriesNote);
  const alertsCard = card('Alerts');
  const groupsCard = card('Stack groups', el('span', { class: 'hint' }, 'count now · change and rate over the range'));
  const snapsCard = card('Snapshots', link(href.snapshot(target), 'button-link', 'Latest snapshot as an icicle graph →'));
  replace(root, head, stats, chartCard.card, alertsCard.card, groupsCard.card, snapsCard.card);
  const chart = timeChart(chartBox, 'goroutines');
  const sparks = new Map<string, { box: HTMLElement; chart: Chart }>();
  let times: number[] = [];
  let data: TargetJson | null = null;

  const sparkOf = (g: GroupRowJson): HTMLElement => {
    let s = sparks.get(g.id);
    if (!s) {
      const box = el('div', { class: 'spark' });
      s = { box, chart: sparkline(box, { tone: g.alerts.length > 0 ? 'alert' : 'accent' }) };
      sparks.set(g.id, s);
    }
    s.chart.update(times, g.spark);
    return s.box;
  };

  const table = new DataTable<GroupRowJson>(
    [
      { key: 'count', title: 'Count', sort: (g) => g.count, cell: (g) => fmt.count(g.count), cls: 'num' },
      { key: 'change', title: 'Change', sort: (g) => g.change, cell: (g) => el('span', { class: g.change > 0 ? 'up' : g.change < 0 ? 'down' : 'muted' }, fmt.change(g.change)), cls: 'num' },
      { key: 'rate', title: 'Rate', sort: (g) => g.ratePerHour ?? 0, cell: (g) => fmt.rate(g.ratePerHour), cls: 'num narrow-hide', title_hint: 'Theil-Sen slope over the range, per hour' },
      {
        key: 'state',
        title: 'State',
        sort: (g) => g.state ?? '',
        cell: (g) => el('span', {}, ...g.alerts.map((k) => el('span', { class: 'row-badge' }, badge(k, 'bad'))), g.benign ? badge('benign', 'muted') : null, el('span', { class: 'state' }, g.state ?? '–')),
      },
      { key: 'location', title: 'Location', sort: (g) => (g.location ? `${g.location.func}` : '~'), cell: (g) => el('span', {}, link(href.group(target, g.id, rangeSpec), 'group-link', frameCell(g.location))), cls: 'wide' },
      { key: 'creator', title: 'Created by', sort: (g) => (g.createdBy ? g.createdBy.func : '~'), cell: (g) => frameCell(g.createdBy, '–'), cls: 'narrow-hide' },
      { key: 'trend', title: 'Trend', cell: (g) => sparkOf(g), cls: 'spark-cell' },
    ],
    {
      id: (g) => g.id,
      rowHref: (g) => href.group(target, g.id, rangeSpec),
      rowClass: (g) => (g.alerts.length > 0 ? 'row-alert' : g.benign ? 'row-benign' : null),
      search: groupSearchText,
      searchPlaceholder: 'Search functions, files, states, labels',
      empty: 'No grouped sample in this range.',
    },
  );
  groupsCard.body.appendChild(table.element);

  return {
    async refresh() {
      const r = await getJson<TargetJson>(`api/target?${apiQuery({ target, range })}`);
      if (!r.changed && data) return;
      data = r.data;
      app.setIntervalMs(data.intervalMs);
      const t = data.target;
      const state = t.up === null ? badge('waiting', 'muted') : t.up ? badge('up', 'ok') : badge('down', 'bad');
      const sub: Array<Node | string> = [`${t.kind} · sampled every ${fmt.duration(data.intervalMs)} · window ${fmt.duration(data.windowMs)} · ${fmt.count(t.samples)} samples`];
      if (t.failures > 0) sub.push(`, ${fmt.count(t.failures)} failed`);
      sub.push(` · last ${fmt.ago(t.lastSampleAt, data.now)}`);
      if (!t.watched) sub.push(' · not watched now (history only)');
      replace(head, heading(t.name, sub, [state]), t.up === false && t.lastError ? el('p', { class: 'error-banner' }, t.lastError) : null, rangePicker(range, data.retentionMs, (spec) => href.target(target, spec)));
      const totals = data.totals.total.filter((v): v is number => v !== null);
      const rangeChange = totals.length > 0 ? totals[totals.length - 1]! - totals[0]! : 0;
      const firing = data.alerts.filter((a) => a.state === 'firing').length;
      replace(
        stats,
        stat('goroutines now', fmt.count(t.goroutines)),
        stat(`change over ${range === 'all' ? 'the retention' : range}`, fmt.change(rangeChange), rangeChange > 0 ? 'warn' : undefined),
        stat('firing alerts', fmt.count(firing), firing > 0 ? 'bad' : 'ok'),
        stat('stack groups', fmt.count(data.groupsTotal)),
        stat('snapshots', fmt.count(data.snapshots.length)),
      );
      chart.update(data.totals.t, data.totals.total);
      replace(seriesNote, ...data.series.map((s) => el('p', { class: 'muted' }, `New series at ${fmt.time(s.startedAt)}: ${s.reason}`)));
      replace(alertsCard.body, alertList(data.alerts, data.now, { showTarget: false, range: rangeSpec }));
      alertsCard.card.classList.toggle('card-alert', firing > 0);
      times = data.groupTimes;
      table.update(data.groups);
      for (const [id, s] of sparks) {
        if (data.groups.some((g) => g.id === id)) continue;
        s.chart.destroy();
        sparks.delete(id);
      }
      replace(snapsCard.body, snapshotList(target, data.snapshots.slice(0, 10), data.now));
    },
    destroy() {
      chart.destroy();
      for (const s of sparks.values()) s.chart.destroy();
    },
  };
}
