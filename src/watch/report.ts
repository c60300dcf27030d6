// The report of a watch over a period, read from the store: what `--duration` prints at the end
// and `--report` prints for a stored period. The JSON schema is documented in docs/watch.md and
// only grows.
import type { FrameRef } from '../dump/analyze/packages.js';
import { joinFramePairs, type GroupSource } from '../join/attach.js';
import type { SourceCheckout } from '../join/sourcemap.js';
import { groupSourceLines } from '../join/attach-report.js';
import type { Palette } from '../report/color.js';
import { VERSION } from '../version.js';
import type { Alert, AlertKind, Signal } from './alerts.js';
import { formatDuration } from './duration.js';
import type { GroupInfo } from './group-info.js';
import type { WatchStore } from './store.js';
import type { TargetKind } from './target.js';
import type { TriageJson } from './triage/triage.js';

export const WATCH_JSON_VERSION = 1;

export interface AlertGroupJson {
  id: string;
  count: number;
  /** The goroutines' state from a debug=2 read ("chan send"); null when none was read. */
  state: string | null;
  kind: string;
  location: FrameRef | null;
  createdBy: FrameRef | null;
  labels: Record<string, string>;
  /** With `--source`: the scan findings that meet the group, else the model's explanation (join/attach.ts). */
  source?: GroupSource;
}

export interface AlertJson {
  kind: AlertKind;
  state: 'firing' | 'resolved';
  firedAt: string;
  resolvedAt: string | null;
  resolveReason: string | null;
  group: AlertGroupJson | null;
  count: number;
  countAtWindowStart: number | null;
  ratePerHour: number | null;
  signals: Signal[];
  snapshot: string | null;
}

export interface TargetReportJson {
  target: string;
  kind: TargetKind;
  up: boolean | null;
  samples: number;
  failures: number;
  goroutines: { first: number | null; last: number | null; min: number | null; max: number | null };
  restarts: number;
  series: Array<{ startedAt: string; reason: string }>;
  lastError: string | null;
  alerts: AlertJson[];
}

export interface WatchReportJson {
  version: number;
  tool: string;
  startedAt: string;
  endedAt: string;
  targets: TargetReportJson[];
  /** --prometheus: the fleet triage that chose the targets (absent otherwise). */
  triage?: TriageJson;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The alert as the report and the webhook show it; its state as of `asOf` when given. */
export function alertToJson(a: Alert, info: GroupInfo | undefined, asOf: number = Infinity): AlertJson {
  const resolved = a.resolvedAt !== null && a.resolvedAt <= asOf;
  const state = a.detail?.state || info?.state || null;
  return {
    kind: a.kind,
    state: resolved ? 'resolved' : 'firing',
    firedAt: iso(a.firedAt),
    resolvedAt: resolved ? iso(a.resolvedAt!) : null,
    resolveReason: resolved ? a.resolveReason : null,
    group:
      a.gid === null
        ? null
        : {
            id: a.gid,
            count: a.count,
            state,
            kind: info?.kind ?? 'unknown',
            location: info?.location ?? null,
            createdBy: a.detail?.createdBy ?? info?.createdBy ?? null,
            labels: info?.labels ?? {},
          },
    count: a.count,
    countAtWindowStart: a.countAtWindowStart,
    ratePerHour: a.ratePerHour === null ? null : Math.round(a.ratePerHour * 10) / 10,
    signals: a.signals,
    snapshot: a.snapshot,
  };
}

const where = (f: FrameRef | null) => (f ? `${f.func} (${f.file}:${f.line})` : '(no user-code frame)');

/** One line about an alert change, for logs and the webhook's `text`. */
export function alertLine(change: 'fired' | 'resolved', target: string, a: AlertJson): string {
  const head = `${change === 'fired' ? 'FIRING' : 'RESOLVED'} ${a.kind} on ${target}`;
  if (a.group === null) return `${head}: ${a.signals.map((s) => s.detail).join('; ')}${change === 'resolved' ? ` (${a.resolveReason})` : ''}`;
  const g = a.group;
  const what = `${g.count} goroutine${g.count === 1 ? '' : 's'}${g.state ? ` [${g.state}]` : ''} at ${where(g.location)}`;
  const creator = g.createdBy ? `, created by ${where(g.createdBy)}` : '';
  if (change === 'resolved') return `${head}: ${what}${creator}: ${a.resolveReason}`;
  return `${head}: ${what}${creator}; ${a.signals.map((s) => `${s.name}: ${s.detail}`).join('; ')}${a.snapshot ? `; snapshot ${a.snapshot}` : ''}`;
}

/** The report of [since, until] for the named targets (every target with samples then when null). */
export function buildReport(store: WatchStore, since: number, until: number, names: readonly string[] | null): WatchReportJson {
  const targets = names === null ? store.targetsIn(since, until) : names.map((name) => ({ id: store.targetByName(name)?.id ?? -1, name, kind: kindOf(name) }));
  const infos = new Map<string, GroupInfo>();
  const out: TargetReportJson[] = [];
  for (const t of targets) {
    const summary = store.sampleSummary(t.id, since, until);
    const alerts = store.alertsIn(t.id, since, until);
    const missing = alerts.map((a) => a.gid).filter((g): g is string => g !== null && !infos.has(g));
    for (const info of store.groupInfos([...new Set(missing)])) infos.set(info.gid, info);
    const series = store.seriesIn(t.id, since, until).filter((s) => s.reason !== 'first sample');
    out.push({
      target: t.name,
      kind: t.kind,
      up: summary.lastOk,
      samples: summary.samples,
      failures: summary.failures,
      goroutines: { first: summary.first, last: summary.last, min: summary.min, max: summary.max },
      restarts: series.filter((s) => s.reason.startsWith('restarted')).length,
      series: series.map((s) => ({ startedAt: iso(s.startedAt), reason: s.reason })),
      lastError: summary.lastOk === false ? summary.lastError : null,
      alerts: alerts.map((a) => alertToJson(a, a.gid === null ? undefined : infos.get(a.gid), until)),
    });
  }
  return { version: WATCH_JSON_VERSION, tool: VERSION, startedAt: iso(since), endedAt: iso(until), targets: out };
}

/** The report of a watch that watched nothing (triage found no growing instance). */
export function emptyReport(at: number): WatchReportJson {
  return { version: WATCH_JSON_VERSION, tool: VERSION, startedAt: iso(at), endedAt: iso(at), targets: [] };
}

function kindOf(name: string): TargetKind {
  return name.startsWith('gops://') ? 'gops' : name.startsWith('pid:') ? 'pid' : 'pprof';
}

/** Whether any alert was firing during the report's period (exit code 1). */
export function anyAlert(report: WatchReportJson): boolean {
  return report.targets.some((t) => t.alerts.length > 0);
}

/**
 * `watch --source DIR`: every alert's group gets what the source says about it (findings, else
 * the model's explanation). Returns what could not be read.
 */
export async function attachSourceToReport(report: WatchReportJson, checkout: SourceCheckout, cwd: string): Promise<string[]> {
  const groups = report.targets.flatMap((t) => t.alerts.map((a) => a.group).filter((g): g is AlertGroupJson => g !== null));
  if (groups.length === 0) return [];
  const { sources, problems } = await joinFramePairs(groups, checkout, cwd);
  groups.forEach((g, i) => (g.source = sources[i]));
  return problems;
}

export function renderReportJson(report: WatchReportJson): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderReportText(report: WatchReportJson, p: Palette): string {
  const since = Date.parse(report.startedAt);
  const until = Date.parse(report.endedAt);
  const lines: string[] = [`goroscope watch: ${report.targets.length} target${report.targets.length === 1 ? '' : 's'}, ${report.startedAt} to ${report.endedAt} (${formatDuration(until - since)})`];
  let alerts = 0;
  for (const t of report.targets) {
    const g = t.goroutines;
    const state = t.up === null ? p.dim('never sampled') : t.up ? p.green('up') : p.red(`down: ${t.lastError ?? 'unreachable'}`);
    const totals = g.first === null ? 'no goroutine count' : `goroutines ${g.first} -> ${g.last} (min ${g.min}, max ${g.max})`;
    lines.push('', `${p.bold(t.target)}  ${state}  ${t.samples} samples${t.failures > 0 ? `, ${t.failures} failed` : ''}  ${totals}`);
    for (const s of t.series) lines.push(`  ${p.yellow('new series')} at ${s.startedAt}: ${s.reason}`);
    if (t.alerts.length === 0) lines.push(`  ${p.dim('no alerts')}`);
    for (const a of t.alerts) {
      alerts++;
      const head = a.state === 'firing' ? p.red(`FIRING ${a.kind}`) : p.yellow(`RESOLVED ${a.kind}`);
      const grp = a.group;
      lines.push(`  ${head}  ${grp ? `${grp.count} goroutine${grp.count === 1 ? '' : 's'}${grp.state ? ` [${grp.state}]` : ''}` : `${a.count} goroutines in total`}  fired ${a.firedAt}`);
      if (grp) {
        lines.push(`    location:   ${where(grp.location)}`);
        if (grp.createdBy) lines.push(`    created by: ${where(grp.createdBy)}`);
        lines.push(`    group:      ${grp.id}`);
        if (grp.source) lines.push(...groupSourceLines(grp.source, '    ', p));
      }
      if (a.countAtWindowStart !== null) lines.push(`    count:      ${a.count} now, ${a.countAtWindowStart} at the start of the window${a.ratePerHour !== null ? `, ${a.ratePerHour}/h` : ''}`);
      for (const s of a.signals) lines.push(`    ${`${s.name}:`.padEnd(12)}${s.detail}`);
      if (a.resolvedAt) lines.push(`    resolved:   ${a.resolvedAt}: ${a.resolveReason}`);
      if (a.snapshot) lines.push(`    snapshot:   ${a.snapshot}`);
    }
  }
  lines.push('', alerts === 0 ? p.green('no alerts') : p.red(`${alerts} alert${alerts === 1 ? '' : 's'}`));
  return `${lines.join('\n')}\n`;
}
