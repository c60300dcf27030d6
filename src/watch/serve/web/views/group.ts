// One stack group of a target: its count over time, its full stack with file:line, its creator and
// labels, the wait times of its goroutines in the latest snapshot, its alerts and the snapshots.
import type { GroupJson, WaitBucketJson } from '../api-types.js';
import { bucketChart, timeChart } from '../charts.js';
import { badge, card, el, link, replace, stat } from '../dom.js';
import * as fmt from '../format.js';
import { getJson } from '../http.js';
import { apiQuery, href } from '../router.js';
import { alertList, frameCell, heading, rangePicker, snapshotList, type App, type View } from './common.js';

function stackText(g: GroupJson['group'], createdBy: GroupJson['group']['createdBy']): HTMLElement {
  const pre = el('pre', { class: 'stack' });
  for (const f of g.frames) {
    const isLocation = g.location !== null && f.func === g.location.func && f.file === g.location.file && f.line === g.location.line;
    pre.appendChild(el('span', { class: isLocation ? 'frame-line location' : 'frame-line' }, el('span', { class: 'func' }, f.func), '\n    ', el('span', { class: 'file' }, `${f.file}:${f.line}`), '\n'));
  }
  if (createdBy) pre.appendChild(el('span', { class: 'frame-line creator' }, 'created by ', el('span', { class: 'func' }, createdBy.func), '\n    ', el('span', { class: 'file' }, `${createdBy.file}:${createdBy.line}`), '\n'));
  if (g.frames.length === 0) pre.appendChild(el('span', { class: 'muted' }, '(no frames: only hidden runtime frames)'));
  return pre;
}

export function groupView(root: HTMLElement, app: App, target: string, group: string, rangeSpec: string | null): View {
  const range = rangeSpec ?? '1h';
  app.setCrumbs([{ label: 'Overview', href: href.overview() }, { label: target, href: href.target(target, rangeSpec) }, { label: `group ${group}` }]);
  const head = el('div');
  const stats = el('div', { class: 'stats' });
  const chartCard = card('Goroutines in this group', el('span', { class: 'hint' }, 'drag to zoom · double-click to reset'));
  const chartBox = el('div', { class: 'chart' });
  chartCard.body.appendChild(chartBox);
  const stackCard = card('Stack');
  const creatorCard = card('Created by');
  const waitCard = card('Wait time in the latest snapshot');
  const waitBox = el('div', { class: 'chart' });
  const waitNote = el('p', { class: 'muted' });
  waitCard.body.append(waitBox, waitNote);
  const alertsCard = card('Alerts');
  const snapsCard = card('Snapshots');
  replace(root, head, stats, chartCard.card, el('div', { class: 'grid2' }, stackCard.card, el('div', { class: 'stack-side' }, creatorCard.card, waitCard.card)), alertsCard.card, snapsCard.card);
  const chart = timeChart(chartBox, 'goroutines');
  let waits: ReturnType<typeof bucketChart> | null = null;
  let data: GroupJson | null = null;

  return {
    async refresh() {
      const r = await getJson<GroupJson>(`api/group?${apiQuery({ target, group, range })}`);
      if (!r.changed && data) return;
      data = r.data;
      const g = data.group;
      const counts = data.counts.count;
      const now = counts.length > 0 ? counts[counts.length - 1]! : 0;
      const change = counts.length > 0 ? now - counts[0]! : 0;
      const firing = data.alerts.filter((a) => a.state === 'firing');
      const badges = [...firing.map((a) => badge(a.kind, 'bad')), ...(g.benign ? [badge('benign', 'muted')] : [])];
      const sub: Array<Node | string> = [g.location ? el('span', { class: 'file' }, `${g.location.file}:${g.location.line}`) : 'no user-code frame', ` · group ${g.id} · `, link(href.target(target, rangeSpec), 'target-link', target)];
      replace(
        head,
        heading(g.location?.func ?? '(runtime)', sub, badges),
        g.benign ? el('p', { class: 'info-banner' }, `Benign: ${g.benign}`) : null,
        rangePicker(range, data.retentionMs, (spec) => href.group(target, group, spec)),
      );
      replace(
        stats,
        stat('goroutines now', fmt.count(now)),
        stat(`change over ${range === 'all' ? 'the retention' : range}`, fmt.change(change), change > 0 ? 'warn' : undefined),
        stat('state', g.state ?? '–'),
        stat('block kind', g.kind),
        stat('longest wait', data.snapshot ? longestWait(data.snapshot.waits) : '–'),
      );
      chart.update(data.counts.t, data.counts.count);
      replace(stackCard.body, stackText(g, g.createdBy));
      const labels = Object.entries(g.labels);
      replace(
        creatorCard.body,
        frameCell(g.createdBy, 'unknown: no debug=2 read of this group yet'),
        labels.length > 0 ? el('dl', { class: 'labels-list' }, ...labels.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])) : el('p', { class: 'muted small' }, 'no pprof labels'),
      );
      const s = data.snapshot;
      if (s) {
        // The runtime prints whole minutes, from one minute on: the first bar is everything below.
        waits ??= bucketChart(waitBox, ['< 1 min', ...s.waits.map((w) => w.label)], 'goroutines');
        waits.update([s.noWait, ...s.waits.map((w) => w.count)]);
        replace(waitNote, `${fmt.count(s.count)} goroutines of this group in the snapshot of ${fmt.time(s.at)}. `, link(s.download, 'download', 'Download it'));
      } else {
        replace(waitNote, 'No snapshot holds this group yet.');
      }
      waitBox.hidden = s === null;
      replace(alertsCard.body, alertList(data.alerts, data.now, { showTarget: false, range: rangeSpec }));
      alertsCard.card.classList.toggle('card-alert', firing.length > 0);
      replace(snapsCard.body, snapshotList(target, data.snapshots.slice(0, 10), data.now, s?.id ?? null));
    },
    destroy() {
      chart.destroy();
      waits?.destroy();
    },
  };
}

function longestWait(waits: readonly WaitBucketJson[]): string {
  for (let i = waits.length - 1; i >= 0; i--) if (waits[i]!.count > 0) return waits[i]!.label;
  return 'under 1 min';
}
