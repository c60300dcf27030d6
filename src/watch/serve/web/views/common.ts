// Pieces that several views show: alerts with their signals, the range picker, the snapshot list,
// a frame as function and file:line.
import type { AlertItemJson, FrameJson, SnapshotJson } from '../api-types.js';
import { badge, el, link } from '../dom.js';
import * as fmt from '../format.js';
import { href } from '../router.js';

/** What a view needs from the page around it. */
export interface App {
  /** The server's clock, as of the last answer (the page may run on another machine). */
  now(): number;
  setCrumbs(crumbs: Array<{ label: string; href?: string }>): void;
  /** Sets how often the view's data is asked for (from the watch's interval). */
  setIntervalMs(ms: number): void;
}

export interface View {
  /** Fetches the view's data and redraws what changed; throws ApiFailure. */
  refresh(): Promise<void>;
  destroy(): void;
}

/** A frame: the function, then file:line (the full path on hover). */
export function frameCell(f: FrameJson | null, empty = 'no user-code frame'): HTMLElement {
  if (!f) return el('span', { class: 'muted' }, empty);
  return el('span', { class: 'frame' }, el('span', { class: 'func' }, f.func), ' ', el('span', { class: 'file', title: `${f.file}:${f.line}` }, fmt.fileLine(f)));
}

export function labelsText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

const KIND_TITLES: Record<string, string> = {
  growth: 'growth',
  threshold: 'threshold',
  stale: 'stale',
  'leak-profile': 'leak profile',
};

/** Alerts as cards: what leaks where, since when, how fast, with every signal. */
export function alertList(items: readonly AlertItemJson[], now: number, o: { showTarget: boolean; range?: string | null }): HTMLElement {
  if (items.length === 0) return el('p', { class: 'empty-note' }, 'No alert is firing.');
  const list = el('ul', { class: 'alerts' });
  for (const a of items) {
    const g = a.group;
    const what = g
      ? el('span', {}, `${fmt.count(g.count)} goroutine${g.count === 1 ? '' : 's'}`, g.state ? el('span', { class: 'state' }, ` [${g.state}]`) : null, ' at ', g.location ? el('span', { class: 'func' }, g.location.func) : 'a stack with no user-code frame')
      : el('span', {}, `${fmt.count(a.count)} goroutines in total`);
    const title = g ? link(href.group(a.target, g.id, o.range ?? null), 'alert-title', what) : el('span', { class: 'alert-title' }, what);
    const meta = el('div', { class: 'alert-meta' });
    if (g?.location) meta.appendChild(el('span', { class: 'file', title: `${g.location.file}:${g.location.line}` }, fmt.fileLine(g.location)));
    if (g?.createdBy) meta.appendChild(el('span', {}, 'created by ', el('span', { class: 'func' }, g.createdBy.func), ' ', el('span', { class: 'file', title: `${g.createdBy.file}:${g.createdBy.line}` }, fmt.fileLine(g.createdBy))));
    if (o.showTarget) meta.appendChild(link(href.target(a.target), 'target-link', a.target));
    const figures = el('div', { class: 'alert-figures' });
    if (a.ratePerHour !== null) figures.appendChild(el('span', { class: 'figure' }, el('b', {}, fmt.rate(a.ratePerHour))));
    if (a.countAtWindowStart !== null) figures.appendChild(el('span', { class: 'figure' }, `${fmt.count(a.countAtWindowStart)} → ${fmt.count(a.count)} over the window`));
    figures.appendChild(el('span', { class: 'figure', title: fmt.time(a.firedAt) }, a.state === 'firing' ? `firing for ${fmt.duration(now - Date.parse(a.firedAt))}` : `resolved ${fmt.ago(a.resolvedAt, now)}`));
    const signals = el('ul', { class: 'signals' });
    for (const s of a.signals) signals.appendChild(el('li', {}, el('b', {}, `${KIND_TITLES[s.name] ?? s.name}: `), s.detail));
    if (a.state === 'resolved' && a.resolveReason) signals.appendChild(el('li', { class: 'muted' }, `resolved: ${a.resolveReason}`));
    const labels = g && Object.keys(g.labels).length > 0 ? el('div', { class: 'labels' }, `labels: ${labelsText(g.labels)}`) : null;
    const snapshot = a.snapshotId !== null ? link(`api/snapshots/${a.snapshotId}/download`, 'download', 'snapshot taken when it fired (.txt.gz)') : null;
    if (snapshot) snapshot.setAttribute('download', '');
    list.appendChild(
      el(
        'li',
        { class: `alert alert-${a.state}`, 'data-kind': a.kind, 'data-group': g?.id ?? null },
        el('div', { class: 'alert-head' }, badge(KIND_TITLES[a.kind] ?? a.kind, a.state === 'firing' ? 'bad' : 'muted'), title),
        meta,
        figures,
        signals,
        labels,
        snapshot,
      ),
    );
  }
  return list;
}

/** Links to the ranges the retention allows; the current one marked. */
export function rangePicker(current: string, retentionMs: number, hrefOf: (spec: string) => string): HTMLElement {
  const nav = el('nav', { class: 'ranges', 'aria-label': 'Time range' });
  const specs = fmt.RANGES.filter((r) => r.ms <= retentionMs).map((r) => r.spec);
  specs.push('all');
  for (const spec of specs) {
    const a = link(hrefOf(spec), spec === current ? 'range active' : 'range', spec === 'all' ? `all (${fmt.duration(retentionMs)})` : spec);
    if (spec === current) a.setAttribute('aria-current', 'true');
    nav.appendChild(a);
  }
  return nav;
}

/** Snapshots with links to view (icicle) and download. */
export function snapshotList(target: string, snapshots: readonly SnapshotJson[], now: number, current: number | null = null): HTMLElement {
  if (snapshots.length === 0) return el('p', { class: 'empty-note' }, 'No snapshot yet: one is taken at the first sample, every --snapshot-interval and when an alert fires (unless --no-snapshots).');
  const list = el('ul', { class: 'snapshots' });
  for (const s of snapshots) {
    const dl = link(s.download, 'download', 'download .txt.gz');
    dl.setAttribute('download', '');
    list.appendChild(
      el(
        'li',
        { class: s.id === current ? 'current' : null },
        link(href.snapshot(target, s.id), 'snapshot-link', fmt.time(s.at)),
        ' ',
        badge(s.reason, s.reason === 'alert' ? 'bad' : 'muted'),
        el('span', { class: 'muted' }, ` ${s.goroutines === null ? '' : `${fmt.count(s.goroutines)} goroutines · `}${fmt.ago(s.at, now)} `),
        dl,
      ),
    );
  }
  return list;
}

/** The view's heading: a title (text), a line under it, and badges. */
export function heading(title: string, sub: Array<Node | string>, badges: HTMLElement[] = []): HTMLElement {
  return el('div', { class: 'heading' }, el('h1', {}, title, ...badges.map((b) => el('span', { class: 'heading-badge' }, b))), el('p', { class: 'sub' }, ...sub));
}
