// The live view on a terminal, like top: targets with their totals and a sparkline, the groups
// that grow fastest in the window, and the firing alerts. Redrawn in place.
import type { FrameRef } from '../dump/analyze/packages.js';
import type { Palette } from '../report/color.js';
import { formatDuration } from './duration.js';
import type { TargetWatch } from './target-watch.js';

const BARS = '▁▂▃▄▅▆▇█';
/** Groups listed under "growing fastest". */
const TOP_GROUPS = 8;

export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values.map((v) => BARS[max === min ? 0 : Math.round(((v - min) / (max - min)) * (BARS.length - 1))]).join('');
}

const shortWhere = (f: FrameRef | null) => (f ? `${f.func} (${f.file.split('/').pop()}:${f.line})` : '(runtime)');
const clip = (s: string, width: number) => (s.length <= width ? s : `${s.slice(0, width - 1)}…`);

export interface LiveViewOptions {
  intervalMs: number;
  windowMs: number;
  now: number;
}

export function renderLiveView(targets: readonly TargetWatch[], o: LiveViewOptions, p: Palette): string {
  const up = targets.filter((t) => t.up === true).length;
  const alerts = targets.flatMap((t) => t.alerts.all().map((a) => ({ t, a })));
  const lines = [
    `${p.bold('goroscope watch')}  ${targets.length} target${targets.length === 1 ? '' : 's'}, ${up} up, ${alerts.length === 0 ? p.green('no alerts') : p.red(`${alerts.length} firing`)}   every ${formatDuration(o.intervalMs)}, window ${formatDuration(o.windowMs)}   ${new Date(o.now).toISOString().slice(11, 19)}`,
    '',
    p.dim(`${'TARGET'.padEnd(48)} ${'STATE'.padEnd(6)} ${'GOROUTINES'.padStart(10)}  HISTORY`),
  ];
  for (const t of targets) {
    const state = t.up === null ? p.dim('wait  ') : t.up ? p.green('up    ') : p.red('down  ');
    const total = t.lastTotal === null ? '' : String(t.lastTotal);
    const tail = t.up === false ? p.red(clip(t.lastError ?? '', 40)) : sparkline(t.recentTotals);
    lines.push(`${clip(t.name, 48).padEnd(48)} ${state} ${total.padStart(10)}  ${tail}`);
  }
  const growing: Array<{ rise: number; count: number; where: string; target: string }> = [];
  for (const t of targets) {
    for (const [gid, counts] of t.window.entries()) {
      const info = t.info(gid);
      if (!info || info.benign !== null || counts.length < 2) continue;
      const rise = counts[counts.length - 1]! - counts[0]!;
      if (rise > 0) growing.push({ rise, count: counts[counts.length - 1]!, where: shortWhere(info.location), target: t.name });
    }
  }
  growing.sort((a, b) => b.rise - a.rise);
  lines.push('', p.dim('GROWING FASTEST (rise over the window)'));
  if (growing.length === 0) lines.push(p.dim('  none'));
  for (const g of growing.slice(0, TOP_GROUPS)) lines.push(`  ${`+${g.rise}`.padStart(7)} ${String(g.count).padStart(7)}  ${clip(g.where, 60)}  ${p.dim(clip(g.target, 40))}`);
  lines.push('', p.dim('ALERTS'));
  if (alerts.length === 0) lines.push(p.dim('  none'));
  for (const { t, a } of alerts) {
    const info = a.gid === null ? undefined : t.info(a.gid);
    const what = a.gid === null ? `${a.count} goroutines in total` : `${a.count} at ${shortWhere(info?.location ?? null)}`;
    lines.push(`  ${p.red(a.kind.padEnd(12))} ${clip(what, 70)}  ${p.dim(`${clip(t.name, 40)} since ${new Date(a.firedAt).toISOString().slice(11, 19)}`)}`);
  }
  return `${lines.join('\n')}\n`;
}
