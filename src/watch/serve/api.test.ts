// The dashboard's JSON API in this process: a watch of a fake target (a group that grows by one per
// sample, labelled with a secret, and debug=2 snapshots with wait times) runs for a moment and
// stops, so its data holds still; then every endpoint is asked what the page asks, and what a
// careless or hostile client might.
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debug1Profile, FakeTargets, heapAnswer } from '../../bench/fake-targets.js';
import { Scrubber } from '../redact.js';
import { WatchStore } from '../store.js';
import { parseTarget } from '../target.js';
import { DEFAULT_SETTINGS, type WatchEvents, type WatchSettings } from '../target-watch.js';
import { Watcher } from '../watcher.js';
import { apiRoutes, pickEvenly } from './api.js';
import { startServer, type RunningServer } from './server.js';
import type { GroupJson, OverviewJson, SamplingJson, SnapshotViewJson, TargetJson } from './web/api-types.js';

const SECRET = 'hunter2-label-secret';
const LEAK = { func: 'main.leak.func1', file: '/app/main.go', line: 42 };
const IDLE = { func: 'main.idle', file: '/app/main.go', line: 60 };
const events: WatchEvents & { error(m: string): void } = { alert() {}, state() {}, note() {}, sampled() {}, error() {} };

/** debug=2 text: the leak's goroutines waiting 0, 7 and 90 minutes, created by main.leak. */
function snapshotText(leaked: number): string {
  const waits = ['', ', 7 minutes', ', 90 minutes'];
  const leak = Array.from({ length: leaked }, (_, i) => `goroutine ${100 + i} [chan send${waits[i % 3]}]:\nmain.leak.func1()\n\t/app/main.go:42 +0x2d\ncreated by main.leak in goroutine 1\n\t/app/main.go:41 +0x4f\n`);
  const idle = Array.from({ length: 2 }, (_, i) => `goroutine ${10 + i} [chan receive, 90 minutes]:\nmain.idle()\n\t/app/main.go:60 +0x2d\n`);
  return [...leak, ...idle].join('\n');
}

describe('the dashboard API', () => {
  let dir = '';
  let fake: FakeTargets;
  let store: WatchStore;
  let watcher: Watcher;
  let server: RunningServer;
  let target = '';
  let leakGid = '';
  let leaked = 10;

  const get = (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init);
  const json = async <T>(p: string) => {
    const res = await get(p);
    expect(res.status, p).toBe(200);
    return (await res.json()) as T;
  };
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-api-'));
    fake = await FakeTargets.start();
    fake.set(0, (endpoint, debug) => {
      if (endpoint === 'goroutine' && debug === '2') return { body: snapshotText(leaked) };
      if (endpoint === 'goroutine') {
        const text = debug1Profile([{ ...LEAK, count: ++leaked }, { ...IDLE, count: 2 }]);
        return { body: text.replace(/^(\d+ @ [^\n]+\n)(#\t0x[0-9a-f]+\tmain\.leak)/m, `$1# labels: {"tenant":"${SECRET}"}\n$2`) };
      }
      if (endpoint === 'heap') return heapAnswer(1000 + leaked, 1);
      return null;
    });
    const scrubber = new Scrubber();
    scrubber.add([SECRET]);
    store = new WatchStore(null);
    const settings: WatchSettings = { ...DEFAULT_SETTINGS, intervalMs: 50, windowMs: 600, maxGroup: 12, snapshotIntervalMs: 300, snapshotDir: path.join(dir, 'snaps') };
    const t = parseTarget(fake.url(0));
    target = t.name;
    watcher = new Watcher({ targets: [t], targetsFile: null, durationMs: 1200, retentionMs: 2 * 86_400_000 }, settings, store, scrubber, events);
    await watcher.run();
    // A target with history only (say, removed from a targets file): listed by the store, not watched.
    store.recordSample({ targetId: store.targetId('http://gone:6060/debug/pprof/goroutine', 'pprof', Date.now()), seriesId: null, at: Date.now() - 1000, ok: false, grouped: false, total: null, error: 'connection refused', durationMs: 1, counts: [] });
    server = await startServer({ host: '127.0.0.1', port: 0 }, apiRoutes(), { watcher, store, settings, scrubber });
    leakGid = watcher.targets()[0]!.alerts.all()[0]!.gid!;
  });

  afterAll(async () => {
    await server?.close();
    store?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('overview: the watched target, up, its total and sparkline, and its firing alert with the secret scrubbed', async () => {
    const o = await json<OverviewJson>('/api/overview');
    expect(o.version).toBe(1);
    expect(o.retentionMs).toBe(2 * 86_400_000);
    expect(o.targets.map((t) => [t.name, t.kind, t.watched, t.up])).toEqual([[target, 'pprof', true, true]]);
    const t = o.targets[0]!;
    // The last sample's total (a read in flight when the watch stopped is not counted).
    expect(t.goroutines).toBe(t.spark.total.at(-1));
    expect(t.goroutines).toBeGreaterThan(14);
    expect(t.spark.t.length).toBeGreaterThan(3);
    expect(t.spark.total.length).toBe(t.spark.t.length);
    expect(o.alerts.map((a) => [a.kind, a.state, a.group?.id, a.group?.location?.func])).toEqual([['threshold', 'firing', leakGid, 'main.leak.func1']]);
    expect(o.alerts[0]!.group!.labels).toEqual({ tenant: '***' });
    expect(o.alerts[0]!.snapshotId).toEqual(expect.any(Number));
    expect(JSON.stringify(o)).not.toContain(SECRET);
    expect(o.samplingLag.samples).toBeGreaterThan(5);
  });

  it('target: totals over the range, groups with change, rate, and state and creator from the snapshot', async () => {
    const t = await json<TargetJson>(`/api/target?${q({ target, range: '15m' })}`);
    expect(t.range.to - t.range.from).toBe(15 * 60_000);
    expect(t.target.samples).toBe(t.totals.t.length);
    expect(t.totals.total.every((v) => v !== null)).toBe(true);
    const leak = t.groups.find((g) => g.id === leakGid)!;
    expect(t.groups[0]!.id).toBe(leakGid);
    expect(leak.change).toBeGreaterThan(5);
    expect(leak.ratePerHour).toBeGreaterThan(0);
    expect(leak.state).toBe('chan send');
    expect(leak.createdBy).toEqual({ func: 'main.leak', file: '/app/main.go', line: 41 });
    expect(leak.alerts).toEqual(['threshold']);
    expect(leak.spark.length).toBe(t.groupTimes.length);
    expect(t.groupTimes.length).toBeLessThanOrEqual(120);
    expect(t.snapshots.length).toBeGreaterThanOrEqual(2);
    expect(t.snapshots[0]!.download).toBe(`/api/snapshots/${t.snapshots[0]!.id}/download`);
    expect(t.alerts.map((a) => a.kind)).toEqual(['threshold']);
  });

  it('target: a target with history only, an unknown target, a bad range', async () => {
    const gone = await json<TargetJson>(`/api/target?${q({ target: 'http://gone:6060/debug/pprof/goroutine' })}`);
    expect([gone.target.watched, gone.target.up, gone.target.lastError]).toEqual([false, false, 'connection refused']);
    const unknown = await get(`/api/target?${q({ target: 'http://nowhere/debug/pprof/goroutine' })}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no target named "http://nowhere/debug/pprof/goroutine" in this watch or its history' });
    const bad = await get(`/api/target?${q({ target, range: 'soon' })}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/^range takes a duration such as 500ms, 30s, 5m or 1m30s \(a plain number is seconds\), not "soon"$/);
    expect((await get('/api/target')).status).toBe(400);
    const all = await json<TargetJson>(`/api/target?${q({ target, range: 'all' })}`);
    expect(all.range.to - all.range.from).toBe(2 * 86_400_000);
    // A range beyond the retention is the retention.
    const long = await json<TargetJson>(`/api/target?${q({ target, range: '30d' })}`);
    expect(long.range.to - long.range.from).toBe(2 * 86_400_000);
  });

  it('group: its counts, full stack, creator, and wait times from the latest snapshot', async () => {
    const g = await json<GroupJson>(`/api/group?${q({ target, group: leakGid })}`);
    expect(g.group.frames[0]).toEqual(LEAK);
    expect(g.group.createdBy).toEqual({ func: 'main.leak', file: '/app/main.go', line: 41 });
    expect(g.group.state).toBe('chan send');
    expect(g.counts.count.at(-1)).toBe(watcher.targets()[0]!.window.series(leakGid)!.at(-1));
    expect(g.counts.count.length).toBe(g.counts.t.length);
    const s = g.snapshot!;
    const byLabel = Object.fromEntries(s.waits.map((w) => [w.label, w.count]));
    expect(s.noWait + s.waits.reduce((n, w) => n + w.count, 0)).toBe(s.count);
    expect(byLabel['5-14 min']).toBe(Math.floor((s.count + 1) / 3));
    expect(byLabel['1-4 h']).toBe(Math.floor(s.count / 3));
    expect(s.noWait).toBe(Math.ceil(s.count / 3));
    expect(g.alerts.map((a) => a.kind)).toEqual(['threshold']);
    expect((await get(`/api/group?${q({ target, group: 'ffffffffffffffff' })}`)).status).toBe(404);
    expect((await get(`/api/group?${q({ target })}`)).status).toBe(400);
  });

  it('snapshot: the latest analysed as goroscope dump does, or one by ID of this target only', async () => {
    const latest = await json<SnapshotViewJson>(`/api/snapshot?${q({ target })}`);
    expect(latest.groups[0]!.location).toEqual(LEAK);
    expect(latest.goroutines).toBe(latest.snapshot.goroutines);
    expect(Object.keys(latest.groups[0]!).sort()).toEqual(['benign', 'count', 'createdBy', 'frames', 'kind', 'labels', 'leaked', 'location', 'state', 'suspect', 'waitMinutes']);
    const older = latest.snapshots.at(-1)!;
    const byId = await json<SnapshotViewJson>(`/api/snapshot?${q({ target, id: String(older.id) })}`);
    expect(byId.snapshot.id).toBe(older.id);
    for (const id of ['999999', 'x', '-1']) expect((await get(`/api/snapshot?${q({ target, id })}`)).status, id).toBe(404);
    expect((await get(`/api/snapshot?${q({ target: 'http://gone:6060/debug/pprof/goroutine' })}`)).status).toBe(404);
  });

  it('downloads only indexed snapshots, and says when the file is gone', async () => {
    const t = await json<TargetJson>(`/api/target?${q({ target })}`);
    const [newest, , oldest] = t.snapshots;
    const res = await get(newest!.download);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+-periodic\.txt\.gz"$/);
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toMatch(/^goroutine 100 \[chan send\]:/);
    const row = store.snapshotById(oldest!.id)!;
    unlinkSync(row.path);
    const gone = await get(oldest!.download);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'the snapshot file is gone (removed after --retention, or by hand)' });
    expect((await get('/api/snapshots/424242/download')).status).toBe(404);
  });

  it('answers 304 to a client that has the answer, and JSON 404 on unknown API paths', async () => {
    const first = await get('/api/overview');
    const etag = first.headers.get('etag')!;
    expect((await get('/api/overview', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await get('/api/overview', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    // The same question in another order is the same answer.
    const a = await get(`/api/target?${q({ target, range: '1h' })}`);
    const b = await get(`/api/target?${new URLSearchParams([['range', '1h'], ['target', target]]).toString()}`);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    const missing = await get('/api/targets');
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/json; charset=utf-8']);
  });

  it('reports the sampling lag since a time', async () => {
    const s = await json<SamplingJson>(`/api/sampling?since=0`);
    expect(s.lag.samples).toBeGreaterThan(5);
    expect(s.lag.p50Ms).toBeLessThanOrEqual(s.lag.p95Ms);
    expect((await get('/api/sampling?since=soon')).status).toBe(400);
  });
});

describe('pickEvenly', () => {
  it('keeps all of a short list, and spreads over a long one with both ends', () => {
    expect(pickEvenly(3, 5)).toEqual([0, 1, 2]);
    expect(pickEvenly(10, 4)).toEqual([0, 3, 6, 9]);
    expect(pickEvenly(0, 4)).toEqual([]);
  });
});
