// A snapshot of a target (the latest unless one is named): the icicle graph that `goroscope dump
// --format html` draws (the same script, assets/icicle.js) and its groups, suspects first.
import type { SnapshotGroupJson, SnapshotViewJson } from '../api-types.js';
import { badge, card, el, replace } from '../dom.js';
import * as fmt from '../format.js';
import { getJson } from '../http.js';
import type { Icicle } from '../globals.js';
import { apiQuery, href } from '../router.js';
import { DataTable } from '../table.js';
import { frameCell, heading, labelsText, snapshotList, type App, type View } from './common.js';

function waitText(g: SnapshotGroupJson): string {
  const w = g.waitMinutes;
  if (w.max === null) return '–';
  return w.min === w.max ? `${w.max} min` : `${w.min}-${w.max} min`;
}

export function snapshotView(root: HTMLElement, app: App, target: string, id: number | null): View {
  app.setCrumbs([{ label: 'Overview', href: href.overview() }, { label: target, href: href.target(target) }, { label: id === null ? 'latest snapshot' : `snapshot ${id}` }]);
  const head = el('div');
  const icicleCard = card('Icicle graph of every stack, weighted by goroutine count');
  const caption = el('p', { class: 'muted small', id: 'zoom' });
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('id', 'flame');
  const svgBox = el('div', { class: 'icicle' });
  svgBox.appendChild(svg);
  icicleCard.body.append(caption, svgBox);
  const groupsCard = card('Groups in this snapshot');
  const snapsCard = card('Snapshots of this target');
  replace(root, head, icicleCard.card, groupsCard.card, snapsCard.card);
  const icicle: Icicle = window.goroscopeIcicle(svg, caption, { width: () => Math.max(320, Math.floor(svgBox.clientWidth)) });
  let lastWidth = 0;
  const ro = new ResizeObserver(() => {
    const w = Math.floor(svgBox.clientWidth);
    if (data && w !== lastWidth) {
      lastWidth = w;
      icicle.redraw();
    }
  });
  ro.observe(svgBox);
  const table = new DataTable<SnapshotGroupJson & { index: number }>(
    [
      { key: 'suspect', title: 'Suspect', sort: (g) => (g.suspect?.level === 'definite' ? 2 : g.suspect ? 1 : 0), cell: (g) => (g.suspect ? badge(g.suspect.level, g.suspect.level === 'definite' ? 'bad' : 'warn') : g.benign ? badge('benign', 'muted') : '') },
      { key: 'count', title: 'Count', sort: (g) => g.count, cell: (g) => fmt.count(g.count), cls: 'num' },
      { key: 'state', title: 'State', sort: (g) => g.state, cell: (g) => g.state || '–' },
      { key: 'wait', title: 'Wait', sort: (g) => g.waitMinutes.max ?? -1, cell: waitText, cls: 'num narrow-hide' },
      { key: 'location', title: 'Location', sort: (g) => g.location?.func ?? '~', cell: (g) => frameCell(g.location), cls: 'wide' },
      { key: 'creator', title: 'Created by', sort: (g) => g.createdBy?.func ?? '~', cell: (g) => frameCell(g.createdBy, '–'), cls: 'narrow-hide' },
    ],
    {
      id: (g) => String(g.index),
      rowClass: (g) => (g.suspect ? `row-${g.suspect.level}` : g.benign ? 'row-benign' : null),
      search: (g) => [g.state, g.kind, ...g.frames.map((f) => `${f.func} ${f.file}:${f.line}`), g.createdBy?.func ?? '', labelsText(g.labels)].join('\n').toLowerCase(),
      searchPlaceholder: 'Search functions, files, states, labels',
      empty: 'The snapshot holds no goroutine.',
    },
  );
  groupsCard.body.appendChild(table.element);
  let data: SnapshotViewJson | null = null;

  return {
    async refresh() {
      const r = await getJson<SnapshotViewJson>(`api/snapshot?${apiQuery({ target, id: id === null ? null : String(id) })}`);
      if (!r.changed && data) return;
      const shown = data?.snapshot.id;
      data = r.data;
      replace(snapsCard.body, snapshotList(target, data.snapshots.slice(0, 20), data.now, data.snapshot.id));
      // The list grows while the snapshot shown stays: draw the rest only for another snapshot.
      if (shown !== data.snapshot.id) {
        const s = data.snapshot;
        replace(
          head,
          heading(
            id === null ? 'Latest snapshot' : `Snapshot of ${fmt.time(s.at)}`,
            [`${fmt.time(s.at)} · taken ${s.reason === 'alert' ? 'when an alert fired' : 'periodically'} · ${fmt.count(data.goroutines)} goroutines in ${fmt.count(data.groups.length)} groups · suspects: ${data.suspects.definite} definite, ${data.suspects.likely} likely`],
            [badge(s.reason, s.reason === 'alert' ? 'bad' : 'muted')],
          ),
        );
        lastWidth = Math.floor(svgBox.clientWidth);
        icicle.render(data.groups);
        table.update(data.groups.map((g, index) => ({ ...g, index })));
      }
    },
    destroy() {
      ro.disconnect();
    },
  };
}
