// The dashboard's JSON API, read-only: the overview (targets and firing alerts), one target (totals
// over a range, its stack groups, alerts, snapshots), one group (its counts, stack, creator, wait
// times from the latest snapshot), a snapshot analysed as `goroscope dump` would, and snapshot
// downloads. Documented in docs/watch.md ("Dashboard JSON API").
//
// Answers are computed from the live watcher and the store, and kept until the watch's data
// changes (a sample, a failed read, a target added or removed): any number of pages polling every
// second cost one computation per change, and the rest are 304s or copies. SQLite reads are
// synchronous and share the event loop with sampling, so reads are bounded: the groups table
// reads at most GROUP_SAMPLES samples' counts whatever the range.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { UserError } from '../../cli/exit.js';
import { VERSION } from '../../version.js';
import type { Alert } from '../alerts.js';
import { parseWatchDuration } from '../duration.js';
import type { GroupInfo } from '../group-info.js';
import { alertToJson } from '../report.js';
import type { SnapshotRow, WatchStore } from '../store.js';
import type { TargetKind } from '../target.js';
import type { TargetWatch } from '../target-watch.js';
import { theilSen } from '../trend.js';
import { ApiError, jsonAnswer, send, SECURITY_HEADERS, type Answer } from './respond.js';
import type { Route, RouteHandler, ServeContext } from './server.js';
import { groupsInSnapshot, SnapshotReader, SnapshotUnavailable, waitDistribution, type ReadSnapshot } from './snapshots.js';
import {
  API_VERSION,
  type AlertItemJson,
  type GroupJson,
  type GroupRowJson,
  type OverviewJson,
  type SamplingJson,
  type SnapshotGroupJson,
  type SnapshotJson,
  type SnapshotViewJson,
  type TargetJson,
  type TargetSummaryJson,
} from './web/api-types.js';

/** Samples whose counts the groups table reads (evenly picked over the range, the last included). */
export const GROUP_SAMPLES = 120;
/** Points of a target's sparkline on the overview. */
const SPARK_POINTS = 120;
/** Groups listed for a target, the most telling first (firing alerts, largest change, largest count). */
export const MAX_GROUPS = 500;
/** Snapshots listed for a target. */
const SNAPSHOTS_LISTED = 50;
/** Newest snapshots searched for a group's wait times. */
const SNAPSHOTS_SEARCHED = 5;
/** The range of a target or group view when none is asked for. */
const DEFAULT_RANGE_MS = 3_600_000;
/** The period of the overview's sampling lag. */
const LAG_PERIOD_MS = 60_000;
/** Answers kept per data version. */
const CACHED = 256;

/** Indices of at most `max` items of `n`, evenly spread, the first and last included. */
export function pickEvenly(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}

/** What changes when the watch's data does: the targets and how many reads each has made. */
function dataVersion(ctx: ServeContext): string {
  return ctx.watcher
    .targets()
    .map((t) => `${t.name}\u0000${t.samples}\u0000${t.failures}`)
    .join('\u0001');
}

interface TargetRef {
  name: string;
  kind: TargetKind;
  id: number | null;
  live: TargetWatch | null;
}

function findTarget(ctx: ServeContext, name: string | null): TargetRef {
  if (!name) throw new ApiError(400, 'give the target: ?target=NAME (as /api/overview lists it)');
  const live = ctx.watcher.targets().find((t) => t.name === name) ?? null;
  const stored = ctx.store.allTargets().find((t) => t.name === name);
  if (!live && !stored) throw new ApiError(404, `no target named ${JSON.stringify(name)} in this watch or its history`);
  return { name, kind: live?.target.kind ?? stored!.kind, id: stored?.id ?? null, live };
}

/** [now - range, now] from ?range= (a duration like 15m, 6h, 7d, or "all": the retention). */
function rangeOf(url: URL, now: number, retentionMs: number): { from: number; to: number } {
  const spec = url.searchParams.get('range');
  let ms = DEFAULT_RANGE_MS;
  if (spec === 'all') ms = retentionMs;
  else if (spec !== null) {
    try {
      ms = parseWatchDuration(spec, 'range');
    } catch (err) {
      throw new ApiError(400, err instanceof UserError ? err.message : String(err));
    }
  }
  return { from: now - Math.min(ms, retentionMs), to: now };
}

const downloadPath = (id: number) => `/api/snapshots/${id}/download`;

function snapshotJson(row: SnapshotRow): SnapshotJson {
  return { id: row.id, at: row.at, reason: row.reason, goroutines: row.goroutines, download: downloadPath(row.id) };
}

/** Group infos by ID: from the live target's catalog, else from the store. */
function infosOf(store: WatchStore, live: TargetWatch | null, gids: Iterable<string>): Map<string, GroupInfo> {
  const out = new Map<string, GroupInfo>();
  const missing: string[] = [];
  for (const gid of gids) {
    const info = live?.info(gid);
    if (info) out.set(gid, info);
    else missing.push(gid);
  }
  for (const info of store.groupInfos(missing)) out.set(info.gid, info);
  return out;
}

function alertItems(store: WatchStore, alerts: readonly Alert[], infos: ReadonlyMap<string, GroupInfo>, now: number): AlertItemJson[] {
  return alerts.map((a) => ({
    target: a.target,
    ...alertToJson(a, a.gid === null ? undefined : infos.get(a.gid), now),
    snapshotId: a.snapshot === null ? null : (store.snapshotByPath(a.snapshot)?.id ?? null),
  }));
}

/** Firing first, then the newest. */
const byUrgency = (a: AlertItemJson, b: AlertItemJson) => (a.state === b.state ? b.firedAt.localeCompare(a.firedAt) : a.state === 'firing' ? -1 : 1);

function targetSummary(ctx: ServeContext, t: TargetRef, now: number): TargetSummaryJson {
  const rows = t.id === null ? [] : ctx.store.samplesOf(t.id, now - ctx.settings.windowMs, now);
  const picked = pickEvenly(rows.length, SPARK_POINTS).map((i) => rows[i]!);
  const spark = { t: picked.map((r) => r.at), total: picked.map((r) => (r.ok ? r.total : null)) };
  if (t.live) {
    const l = t.live;
    return {
      name: t.name,
      kind: t.kind,
      watched: true,
      up: l.up,
      lastError: l.up === false ? l.lastError : null,
      goroutines: l.lastTotal,
      lastSampleAt: rows.at(-1)?.at ?? null,
      samples: l.samples,
      failures: l.failures,
      firing: l.alerts.all().length,
      spark,
    };
  }
  const summary = ctx.store.sampleSummary(t.id!, 0, now);
  return {
    name: t.name,
    kind: t.kind,
    watched: false,
    up: summary.lastOk,
    lastError: summary.lastOk === false ? summary.lastError : null,
    goroutines: summary.last,
    lastSampleAt: summary.lastAt,
    samples: summary.samples,
    failures: summary.failures,
    firing: ctx.store.firingAlerts(t.id!).length,
    spark,
  };
}

function firingAlerts(ctx: ServeContext, t: TargetRef): Alert[] {
  if (t.live) return t.live.alerts.all();
  return t.id === null ? [] : ctx.store.firingAlerts(t.id);
}

function overview(ctx: ServeContext, now: number): OverviewJson {
  const targets: TargetSummaryJson[] = [];
  const alerts: AlertItemJson[] = [];
  for (const live of ctx.watcher.targets()) {
    const ref: TargetRef = { name: live.name, kind: live.target.kind, id: ctx.store.targetByName(live.name)?.id ?? null, live };
    targets.push(targetSummary(ctx, ref, now));
    const firing = firingAlerts(ctx, ref);
    if (firing.length === 0) continue;
    const infos = infosOf(ctx.store, live, firing.map((a) => a.gid).filter((g): g is string => g !== null));
    alerts.push(...alertItems(ctx.store, firing, infos, now));
  }
  alerts.sort(byUrgency);
  return {
    version: API_VERSION,
    tool: VERSION,
    now,
    startedAt: ctx.watcher.startedAt,
    intervalMs: ctx.settings.intervalMs,
    windowMs: ctx.settings.windowMs,
    retentionMs: ctx.watcher.retentionMs,
    samplingLag: ctx.watcher.samplingLag(now - LAG_PERIOD_MS),
    targets,
    alerts,
  };
}

/** Sampling lag since ?since= (ms since the epoch; default: the last minute). */
function sampling(ctx: ServeContext, url: URL, now: number): SamplingJson {
  const param = url.searchParams.get('since');
  const since = param === null ? now - LAG_PERIOD_MS : Number(param);
  if (!Number.isFinite(since)) throw new ApiError(400, `since takes milliseconds since the epoch, not ${JSON.stringify(param)}`);
  return { version: API_VERSION, now, since, lag: ctx.watcher.samplingLag(since) };
}

/**
 * A group's state: its own when it was read as debug=2 text; else (debug=1 and proto profiles
 * print no state) what a snapshot or an alert's snapshot says, or null.
 */
function stateOf(info: GroupInfo, fromSnapshot: string | undefined): string | null {
  if (info.format === 'traceback') return info.state || null;
  return fromSnapshot || null;
}

/** The latest snapshot of a target that can be read, or null. */
async function latestSnapshot(reader: SnapshotReader, rows: readonly SnapshotRow[]): Promise<ReadSnapshot | null> {
  for (const row of rows.slice(0, SNAPSHOTS_SEARCHED)) {
    try {
      return await reader.read(row);
    } catch (err) {
      if (!(err instanceof SnapshotUnavailable)) throw err;
    }
  }
  return null;
}

async function targetView(ctx: ServeContext, reader: SnapshotReader, url: URL, now: number): Promise<TargetJson> {
  const t = findTarget(ctx, url.searchParams.get('target'));
  const range = rangeOf(url, now, ctx.watcher.retentionMs);
  const rows = t.id === null ? [] : ctx.store.samplesOf(t.id, range.from, range.to);
  const grouped = rows.filter((r) => r.ok && r.grouped);
  const picked = pickEvenly(grouped.length, GROUP_SAMPLES).map((i) => grouped[i]!);
  const counts = ctx.store.countsOfSamples(picked.map((r) => r.id));
  const groupTimes = picked.map((r) => r.at);
  const series = new Map<string, number[]>();
  picked.forEach((r, i) => {
    for (const [gid, count] of counts.get(r.id)!) {
      let s = series.get(gid);
      if (!s) series.set(gid, (s = new Array<number>(picked.length).fill(0)));
      s[i] = count;
    }
  });
  const infos = infosOf(ctx.store, t.live, series.keys());
  const alerts = t.id === null ? [] : ctx.store.alertsIn(t.id, range.from, range.to);
  for (const [gid, info] of infosOf(ctx.store, t.live, alerts.map((a) => a.gid).filter((g): g is string => g !== null && !infos.has(g)))) infos.set(gid, info);
  const firingKinds = new Map<string, string[]>();
  for (const a of firingAlerts(ctx, t)) if (a.gid !== null) firingKinds.set(a.gid, [...(firingKinds.get(a.gid) ?? []), a.kind]);
  const snapshotRows = t.id === null ? [] : ctx.store.snapshotsOf(t.id, SNAPSHOTS_LISTED);
  // Before waiting for the snapshot: a sample that lands meanwhile must not make the summary's
  // count disagree with the chart's last point.
  const summary = targetSummary(ctx, t, now);
  const snapshot = await latestSnapshot(reader, snapshotRows);

  const groups: GroupRowJson[] = [];
  for (const [gid, spark] of series) {
    const info = infos.get(gid);
    if (!info) continue;
    const inSnapshot = snapshot && info.format !== 'traceback' ? groupsInSnapshot(snapshot, info)[0] : undefined;
    const alert = alerts.find((a) => a.gid === gid && a.detail !== null);
    const count = spark[spark.length - 1]!;
    groups.push({
      id: gid,
      count,
      first: spark[0]!,
      change: count - spark[0]!,
      ratePerHour: spark.length < 2 ? null : Math.round(theilSen(groupTimes, spark) * 3_600_000 * 10) / 10,
      state: stateOf(info, inSnapshot?.state ?? alert?.detail?.state),
      kind: info.format === 'traceback' ? info.kind : (inSnapshot?.kind ?? info.kind),
      benign: info.benign ?? inSnapshot?.benign ?? null,
      location: info.location,
      createdBy: info.createdBy ?? inSnapshot?.createdBy ?? alert?.detail?.createdBy ?? null,
      labels: info.labels,
      alerts: firingKinds.get(gid) ?? [],
      spark,
    });
  }
  groups.sort((a, b) => b.alerts.length - a.alerts.length || Math.abs(b.change) - Math.abs(a.change) || b.count - a.count || a.id.localeCompare(b.id));
  const items = alertItems(ctx.store, alerts, infos, now).sort(byUrgency);
  return {
    version: API_VERSION,
    now,
    intervalMs: ctx.settings.intervalMs,
    windowMs: ctx.settings.windowMs,
    retentionMs: ctx.watcher.retentionMs,
    range,
    target: summary,
    totals: { t: rows.map((r) => r.at), total: rows.map((r) => (r.ok ? r.total : null)), min: rows.map((r) => (r.ok ? r.min : null)), max: rows.map((r) => (r.ok ? r.max : null)) },
    series: t.id === null ? [] : ctx.store.seriesIn(t.id, range.from, range.to).filter((s) => s.reason !== 'first sample').map((s) => ({ startedAt: s.startedAt, reason: s.reason })),
    groupTimes,
    groupsTotal: groups.length,
    groups: groups.slice(0, MAX_GROUPS),
    alerts: items,
    snapshots: snapshotRows.map(snapshotJson),
  };
}

async function groupView(ctx: ServeContext, reader: SnapshotReader, url: URL, now: number): Promise<GroupJson> {
  const t = findTarget(ctx, url.searchParams.get('target'));
  const gid = url.searchParams.get('group');
  if (!gid) throw new ApiError(400, 'give the group: ?group=ID (as the target\'s groups list it)');
  const info = infosOf(ctx.store, t.live, [gid]).get(gid);
  if (!info) throw new ApiError(404, `no group ${JSON.stringify(gid)} in this watch's history`);
  const range = rangeOf(url, now, ctx.watcher.retentionMs);
  const points = t.id === null ? [] : ctx.store.groupCountsOf(t.id, gid, range.from, range.to);
  const snapshotRows = t.id === null ? [] : ctx.store.snapshotsOf(t.id, SNAPSHOTS_LISTED);
  const alerts = (t.id === null ? [] : ctx.store.alertsIn(t.id, range.from, range.to)).filter((a) => a.gid === gid);
  let inSnapshot: GroupJson['snapshot'] = null;
  let inSnapshotKind = info.kind;
  for (const row of snapshotRows.slice(0, SNAPSHOTS_SEARCHED)) {
    let read: ReadSnapshot;
    try {
      read = await reader.read(row);
    } catch (err) {
      if (err instanceof SnapshotUnavailable) continue;
      throw err;
    }
    const found = groupsInSnapshot(read, info);
    if (found.length === 0) continue;
    const { waits, noWait } = waitDistribution(found);
    inSnapshotKind = found[0]!.kind;
    inSnapshot = {
      id: row.id,
      at: row.at,
      count: found.reduce((s, g) => s + g.count, 0),
      state: found[0]!.state,
      createdBy: found[0]!.createdBy,
      waits,
      noWait,
      download: downloadPath(row.id),
    };
    break;
  }
  const detail = alerts.find((a) => a.detail !== null)?.detail ?? null;
  return {
    version: API_VERSION,
    now,
    retentionMs: ctx.watcher.retentionMs,
    range,
    target: t.name,
    group: {
      id: gid,
      format: info.format,
      state: stateOf(info, inSnapshot?.state ?? detail?.state),
      kind: info.format === 'traceback' ? info.kind : (inSnapshot ? inSnapshotKind : info.kind),
      benign: info.benign,
      location: info.location,
      createdBy: info.createdBy ?? inSnapshot?.createdBy ?? detail?.createdBy ?? null,
      frames: info.frames,
      labels: info.labels,
    },
    counts: { t: points.map((p) => p.at), count: points.map((p) => p.count) },
    alerts: alertItems(ctx.store, alerts, new Map([[gid, info]]), now).sort(byUrgency),
    snapshot: inSnapshot,
    snapshots: snapshotRows.map(snapshotJson),
  };
}

async function snapshotView(ctx: ServeContext, reader: SnapshotReader, url: URL, now: number): Promise<SnapshotViewJson> {
  const t = findTarget(ctx, url.searchParams.get('target'));
  const idParam = url.searchParams.get('id');
  const rows = t.id === null ? [] : ctx.store.snapshotsOf(t.id, SNAPSHOTS_LISTED);
  let row: SnapshotRow | null;
  if (idParam === null) {
    row = rows[0] ?? null;
    if (row === null) throw new ApiError(404, `no snapshot of ${t.name} yet (one is taken at the first sample, every --snapshot-interval and when an alert fires, unless --no-snapshots)`);
  } else {
    row = /^\d+$/.test(idParam) ? ctx.store.snapshotById(Number(idParam)) : null;
    if (row === null || row.targetId !== t.id) throw new ApiError(404, `no snapshot ${JSON.stringify(idParam)} of ${t.name}`);
  }
  let read: ReadSnapshot;
  try {
    read = await reader.read(row);
  } catch (err) {
    if (err instanceof SnapshotUnavailable) throw new ApiError(404, err.message);
    throw err;
  }
  const a = read.analysis;
  // The view's groups without the keys that only tie groups together on this side.
  const groups: SnapshotGroupJson[] = a.groups.map(({ signature: _s, stackKey: _k, waits: _w, ...g }) => g);
  return {
    version: API_VERSION,
    now,
    target: t.name,
    snapshot: snapshotJson(row),
    goroutines: a.goroutines,
    suspects: a.suspects,
    groups,
    snapshots: rows.map(snapshotJson),
  };
}

/** Streams a snapshot file named in the snapshot index (never any other path). */
async function download(req: IncomingMessage, res: ServerResponse, url: URL, ctx: ServeContext): Promise<void> {
  const m = /^\/api\/snapshots\/(\d+)\/download$/.exec(url.pathname)!;
  const row = ctx.store.snapshotById(Number(m[1]));
  if (row === null) throw new ApiError(404, `no snapshot ${m[1]} in the index`);
  let size: number;
  try {
    size = (await stat(row.path)).size;
  } catch {
    throw new ApiError(404, 'the snapshot file is gone (removed after --retention, or by hand)');
  }
  const name = path.basename(row.path).replace(/[^A-Za-z0-9._-]/g, '_');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': row.path.endsWith('.gz') ? 'application/gzip' : 'text/plain; charset=utf-8',
    'content-length': size,
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'private, max-age=86400, immutable',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    createReadStream(row.path).on('error', reject).on('end', resolve).pipe(res);
  });
}

/** Answers kept until the watch's data changes. */
class AnswerCache {
  private version = '';
  private readonly answers = new Map<string, Promise<Answer>>();

  get(version: string, key: string, compute: () => Promise<Answer>): Promise<Answer> {
    if (version !== this.version) {
      this.version = version;
      this.answers.clear();
    }
    let answer = this.answers.get(key);
    if (answer === undefined) {
      answer = compute();
      // A failed computation is not kept: the next request tries again.
      answer.catch(() => this.answers.get(key) === answer && this.answers.delete(key));
      this.answers.set(key, answer);
      if (this.answers.size > CACHED) this.answers.delete(this.answers.keys().next().value!);
    }
    return answer;
  }
}

/** The API's routes. One cache and one snapshot reader per server. */
export function apiRoutes(): Route[] {
  const cache = new AnswerCache();
  let reader: SnapshotReader | null = null;
  const readerOf = (ctx: ServeContext) => (reader ??= new SnapshotReader(ctx.settings.group));

  const json =
    (build: (ctx: ServeContext, url: URL, now: number) => unknown): RouteHandler =>
    async (req, res, url, ctx) => {
      // The query in a canonical order, so that the same question is one cache entry.
      const params = [...url.searchParams].sort(([a], [b]) => a.localeCompare(b));
      const key = `${url.pathname}?${new URLSearchParams(params).toString()}`;
      const answer = await cache.get(dataVersion(ctx), key, async () => {
        try {
          return jsonAnswer(200, await build(ctx, url, Date.now()), ctx.scrubber);
        } catch (err) {
          if (err instanceof ApiError) return jsonAnswer(err.status, { error: err.message }, ctx.scrubber);
          throw err;
        }
      });
      send(req, res, answer);
    };

  return [
    { path: '/api/overview', handler: json((ctx, _url, now) => overview(ctx, now)) },
    { path: '/api/sampling', handler: json((ctx, url, now) => sampling(ctx, url, now)) },
    { path: '/api/target', handler: json((ctx, url, now) => targetView(ctx, readerOf(ctx), url, now)) },
    { path: '/api/group', handler: json((ctx, url, now) => groupView(ctx, readerOf(ctx), url, now)) },
    { path: '/api/snapshot', handler: json((ctx, url, now) => snapshotView(ctx, readerOf(ctx), url, now)) },
    {
      path: /^\/api\/snapshots\/\d+\/download$/,
      handler: async (req, res, url, ctx) => {
        try {
          await download(req, res, url, ctx);
        } catch (err) {
          if (!(err instanceof ApiError) || res.headersSent) throw err;
          send(req, res, jsonAnswer(err.status, { error: err.message }, ctx.scrubber));
        }
      },
    },
    { path: /^\/api\//, handler: (req, res, url, ctx) => send(req, res, jsonAnswer(404, { error: `no API at ${url.pathname}: see docs/watch.md` }, ctx.scrubber)) },
  ];
}
