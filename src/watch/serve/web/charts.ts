// Charts with uPlot (loaded before the page's modules as a classic script: the global uPlot). Time
// is in milliseconds (ms: 1). Every chart follows its container's width; a time chart zooms on a
// drag (double-click resets) and keeps the zoom while live data arrives.
import * as fmt from './format.js';

const ACCENT = '#2563eb';
const ALERT = '#dc2626';
const GRID = '#eef0f3';
const AXIS = '#6b7280';

export interface Chart {
  update(t: readonly number[], values: ReadonlyArray<number | null>): void;
  destroy(): void;
}

/** Keeps a chart as wide as its container (whose content box it fills). */
function followWidth(container: HTMLElement, u: uPlot, height: number): ResizeObserver {
  const ro = new ResizeObserver(() => {
    const width = Math.floor(container.clientWidth);
    if (width > 0 && width !== u.width) u.setSize({ width, height });
  });
  ro.observe(container);
  return ro;
}

function gradient(color: string): uPlot.Series.Fill {
  return (u: uPlot) => {
    // Before the first layout the plotting box is not measured yet.
    if (!Number.isFinite(u.bbox.top) || !Number.isFinite(u.bbox.height)) return `${color}20`;
    const g = u.ctx.createLinearGradient(0, u.bbox.top, 0, u.bbox.top + u.bbox.height);
    g.addColorStop(0, `${color}40`);
    g.addColorStop(1, `${color}05`);
    return g;
  };
}

const data = (t: readonly number[], v: ReadonlyArray<number | null>): uPlot.AlignedData => [Array.from(t), Array.from(v)] as uPlot.AlignedData;

/** The index of the newest drawn point, or null: what the legend shows while the cursor is elsewhere. */
function newestIdx(u: uPlot): number | null {
  const ys = u.data[1] ?? [];
  for (let i = ys.length - 1; i >= 0; i--) if (ys[i] !== null && ys[i] !== undefined) return i;
  return null;
}

/** Goroutines over time: a line with a soft fill, time and count axes, a legend that follows the cursor. */
export function timeChart(container: HTMLElement, label: string, options: { height?: number; tone?: 'accent' | 'alert' } = {}): Chart {
  const height = options.height ?? 240;
  const color = options.tone === 'alert' ? ALERT : ACCENT;
  let zoomed = false;
  const u = new uPlot(
    {
      width: Math.max(200, Math.floor(container.clientWidth)),
      height,
      ms: 1,
      padding: [12, 12, 0, 0],
      cursor: { drag: { x: true, y: false, setScale: true }, points: { size: 7 } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max || 0) * 1.12))] } },
      axes: [
        { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } },
        { stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { show: false }, size: 52 },
      ],
      // Away from the cursor the legend shows the newest point rather than empty values.
      series: [
        {
          value: (u, _v, _s, idx) => {
            const i = idx ?? newestIdx(u);
            return i === null ? '–' : `${fmt.time(u.data[0][i]!)}${idx === null || idx === undefined ? ' (latest)' : ''}`;
          },
        },
        {
          label,
          stroke: color,
          width: 2,
          fill: gradient(color),
          points: { show: false },
          spanGaps: false,
          value: (u, _v, _s, idx) => {
            const i = idx ?? newestIdx(u);
            return fmt.count(i === null ? null : u.data[1]![i]);
          },
        },
      ],
      hooks: { setSelect: [() => (zoomed = true)] },
    },
    data([], []),
    container,
  );
  u.over.addEventListener('dblclick', () => (zoomed = false));
  const ro = followWidth(container, u, height);
  return {
    update(t, values) {
      u.setData(data(t, values), !zoomed);
      // How many points are drawn (read by tests; a gap is a failed read).
      container.setAttribute('data-points', String(values.filter((v) => v !== null).length));
    },
    destroy() {
      ro.disconnect();
      u.destroy();
    },
  };
}

/** A sparkline: the line alone, no axes, no cursor. */
export function sparkline(container: HTMLElement, options: { width?: number; height?: number; tone?: 'accent' | 'alert' } = {}): Chart {
  const width = options.width ?? 120;
  const height = options.height ?? 28;
  const color = options.tone === 'alert' ? ALERT : ACCENT;
  const u = new uPlot(
    {
      width,
      height,
      ms: 1,
      padding: [3, 1, 3, 1],
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false }, y: { range: (_u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]) } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: color, width: 1.5, fill: gradient(color), points: { show: false } }],
    },
    data([], []),
    container,
  );
  return {
    update(t, values) {
      u.setData(data(t, values));
    },
    destroy() {
      u.destroy();
    },
  };
}

/**
 * A bar chart over named buckets (the wait-time distribution), drawn sideways: one bar per row with
 * its label on the left, so that the labels fit however narrow the page.
 */
export function bucketChart(container: HTMLElement, labels: readonly string[], seriesLabel: string): { update(values: readonly number[]): void; destroy(): void } {
  const height = labels.length * 26 + 36;
  const bars = uPlot.paths.bars!({ size: [0.7, 18], radius: 0.15 });
  const u = new uPlot(
    {
      width: Math.max(200, Math.floor(container.clientWidth)),
      height,
      padding: [8, 16, 0, 0],
      legend: { show: false },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      scales: {
        x: { time: false, ori: 1, dir: -1, range: (_u, _min, _max) => [-0.5, labels.length - 0.5] },
        y: { ori: 0, dir: 1, range: (_u, _min, max) => [0, Math.max(4, Math.ceil((max || 0) * 1.15))] },
      },
      axes: [
        { side: 3, stroke: AXIS, grid: { show: false }, ticks: { show: false }, size: 84, gap: 6, splits: () => labels.map((_, i) => i), values: (_u, splits) => splits.map((i) => labels[i] ?? '') },
        { side: 2, stroke: AXIS, grid: { stroke: GRID, width: 1 }, ticks: { show: false }, size: 28 },
      ],
      series: [{}, { label: seriesLabel, stroke: ACCENT, fill: `${ACCENT}cc`, width: 0, paths: bars, points: { show: false } }],
    },
    [labels.map((_, i) => i), labels.map(() => 0)],
    container,
  );
  const ro = followWidth(container, u, height);
  return {
    update(values) {
      u.setData([labels.map((_, i) => i), Array.from(values)]);
    },
    destroy() {
      ro.disconnect();
      u.destroy();
    },
  };
}
