// The history store: samples and counts, continuation, retention and downsampling, alerts.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AlertBook } from './alerts.js';
import type { GroupInfo } from './group-info.js';
import { groupId } from './profile.js';
import { DOWNSAMPLING, STORE_SCHEMA_VERSION, StoreError, WatchStore } from './store.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2025-06-10T12:00:00Z');

function info(name: string): GroupInfo {
  const signature = `\u0001\u0001[]\u0001${name}`;
  return { gid: groupId(signature), signature, format: 'pprof-debug1', state: '', kind: 'unknown', benign: null, location: { func: name, file: '/a.go', line: 1 }, createdBy: null, frames: [{ func: name, file: '/a.go', line: 1 }], labels: {} };
}

/** A store with one target sampled every 15 s from `from` to `to`, the group's count rising. */
function filled(from: number, to: number, file: string | null = null) {
  const store = new WatchStore(file);
  const target = store.targetId('http://a/debug/pprof/goroutine', 'pprof', from);
  const series = store.startSeries({ targetId: target, startedAt: from, reason: 'first sample', format: 'pprof-debug1', cmdlineHash: null, mallocs: 1, numGC: 1 });
  const g = store.groupRowId(info('main.a'), from);
  let n = 0;
  for (let at = from; at <= to; at += 15_000) {
    n++;
    store.recordSample({ targetId: target, seriesId: series.id, at, ok: true, grouped: true, total: 10 + (n % 7), error: null, durationMs: 1, counts: [[g, 10 + (n % 7)]] });
  }
  return { store, target, series, n };
}

describe('WatchStore', () => {
  it('gives back a series window with counts by group ID', () => {
    const { store, series } = filled(NOW - 10 * 60_000, NOW);
    const samples = store.seriesSamples(series.id, NOW - 60_000);
    expect(samples.map((s) => s.at)).toEqual([NOW - 60_000, NOW - 45_000, NOW - 30_000, NOW - 15_000, NOW]);
    expect([...samples[0]!.counts.keys()]).toEqual([info('main.a').gid]);
    expect(store.groupInfos([info('main.a').gid])).toEqual([info('main.a')]);
  });

  it('thins old samples per DOWNSAMPLING and deletes what is past the retention, keeping totals and counts', () => {
    const { store, target, n } = filled(NOW - 3 * 24 * HOUR, NOW);
    store.applyRetention(NOW, 2 * 24 * HOUR);
    const s = store.sampleSummary(target, 0, NOW);
    // Every sample newer than the retention still counts, through the kept sample of its bucket.
    expect(s.samples).toBe(n - Math.ceil((24 * HOUR) / 15_000));
    expect(s.min).toBe(10);
    expect(s.max).toBe(16);
    const db = (store as unknown as { db: Database.Database }).db;
    const rows = (band: [number, number]) => (db.prepare('SELECT COUNT(*) AS c FROM samples WHERE at >= ? AND at < ?').get(NOW - band[1], NOW - band[0]) as { c: number }).c;
    expect(rows([0, DOWNSAMPLING[0]!.after])).toBe(240); // the last hour raw
    expect(rows([2 * HOUR, 23 * HOUR])).toBe(21 * 60); // one a minute
    expect(rows([25 * HOUR, 47 * HOUR])).toBe(22 * 6); // one per 10 minutes
    const orphans = db.prepare('SELECT COUNT(*) AS c FROM counts WHERE sample_id NOT IN (SELECT id FROM samples)').get() as { c: number };
    expect(orphans.c).toBe(0);
    // Thinning again changes nothing.
    store.applyRetention(NOW, 2 * 24 * HOUR);
    expect(store.sampleSummary(target, 0, NOW).samples).toBe(s.samples);
  });

  it('keeps alerts, and finds the firing ones and those of a period', () => {
    const { store, target, series } = filled(NOW - HOUR, NOW);
    const book = new AlertBook('http://a/debug/pprof/goroutine');
    const gid = info('main.a').gid;
    const changes = book.apply(new Set(['growth']), [{ kind: 'growth', gid, count: 50, countAtWindowStart: 10, ratePerHour: 80, baseline: 10, detail: 'rose' }], NOW - 30 * 60_000);
    for (const a of changes.fired) store.saveAlert(a, target, series.id);
    expect(store.firingAlerts(target).map((a) => [a.kind, a.gid, a.count])).toEqual([['growth', gid, 50]]);
    const resolved = book.resolveAll(NOW - 10 * 60_000, 'target restarted');
    for (const a of resolved) store.saveAlert(a, target, series.id);
    expect(store.firingAlerts(target)).toEqual([]);
    expect(store.alertsIn(target, NOW - 20 * 60_000, NOW)).toHaveLength(1);
    expect(store.alertsIn(target, NOW - 5 * 60_000, NOW)).toHaveLength(0);
  });

  it('refuses a database written by a newer schema', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-store-'));
    try {
      const file = path.join(dir, 'w.db');
      new WatchStore(file).close();
      const db = new Database(file);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(STORE_SCHEMA_VERSION + 1));
      db.close();
      expect(() => new WatchStore(file)).toThrow(StoreError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
