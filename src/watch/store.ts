// The history of a watch in SQLite (better-sqlite3): targets, series (one per process lifetime),
// samples with per-group counts, group identities, alerts and the snapshot index. The schema is
// documented in docs/watch.md and only grows.
//
// Durability: WAL journal, one transaction per sample, synchronous=NORMAL. A killed watch (kill -9)
// loses at most the transaction in flight and the file stays consistent; only a power loss can
// also lose the last few committed samples, never the file's integrity.
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';

import type { FrameRef } from '../dump/analyze/packages.js';
import type { DumpFormat } from '../dump/model.js';
import type { Alert, AlertKind, GroupDetail, Signal } from './alerts.js';
import type { GroupInfo } from './group-info.js';
import type { TargetKind } from './target.js';

/**
 * better-sqlite3 is an optional dependency (a native module that may fail to build where
 * goroscope installs): it is loaded when a store opens, so every other command works without it
 * and `watch` can say what is missing (cli/watch-command.ts).
 */
const requireOptional = createRequire(import.meta.url);

export const STORE_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS targets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  first_seen INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  format TEXT,
  cmdline_hash TEXT,
  mallocs INTEGER,
  num_gc INTEGER
);
CREATE INDEX IF NOT EXISTS series_by_target ON series (target_id, started_at);
CREATE TABLE IF NOT EXISTS samples (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL,
  series_id INTEGER,
  at INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  grouped INTEGER NOT NULL,
  total INTEGER,
  total_min INTEGER,
  total_max INTEGER,
  merged INTEGER NOT NULL DEFAULT 1,
  resolution_ms INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  duration_ms INTEGER
);
CREATE INDEX IF NOT EXISTS samples_by_target ON samples (target_id, at);
CREATE INDEX IF NOT EXISTS samples_by_series ON samples (series_id, at);
CREATE TABLE IF NOT EXISTS stack_groups (
  id INTEGER PRIMARY KEY,
  gid TEXT NOT NULL UNIQUE,
  signature TEXT NOT NULL,
  format TEXT NOT NULL,
  state TEXT NOT NULL,
  kind TEXT NOT NULL,
  benign TEXT,
  location TEXT,
  created_by TEXT,
  frames TEXT NOT NULL,
  labels TEXT NOT NULL,
  first_seen INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS counts (
  sample_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (sample_id, group_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL,
  series_id INTEGER,
  group_id INTEGER,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  fired_at INTEGER NOT NULL,
  resolved_at INTEGER,
  resolve_reason TEXT,
  count INTEGER NOT NULL,
  count_at_window_start INTEGER,
  rate_per_hour REAL,
  baseline INTEGER,
  signals TEXT NOT NULL,
  snapshot TEXT,
  group_state TEXT,
  created_by TEXT
);
CREATE INDEX IF NOT EXISTS alerts_by_target ON alerts (target_id, fired_at);
CREATE TABLE IF NOT EXISTS snapshots (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  path TEXT NOT NULL,
  goroutines INTEGER,
  reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snapshots_by_target ON snapshots (target_id, at);
`;

/** Samples older than `after` ms are thinned to one per `bucket` ms (the last of each bucket). */
export const DOWNSAMPLING: ReadonlyArray<{ after: number; bucket: number }> = [
  { after: 3_600_000, bucket: 60_000 },
  { after: 86_400_000, bucket: 600_000 },
];

export interface SeriesRow {
  id: number;
  targetId: number;
  startedAt: number;
  reason: string;
  format: DumpFormat | null;
  cmdlineHash: string | null;
  mallocs: number | null;
  numGC: number | null;
}

export interface SampleRecord {
  targetId: number;
  seriesId: number | null;
  at: number;
  ok: boolean;
  /** Whether per-group counts were read (a total alone when a stack dump was skipped). */
  grouped: boolean;
  total: number | null;
  error: string | null;
  durationMs: number;
  /** Group row ID and count. */
  counts: ReadonlyArray<readonly [number, number]>;
}

export interface StoredSample {
  at: number;
  counts: Map<string, number>;
}

export interface SampleSummary {
  samples: number;
  failures: number;
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  lastOk: boolean | null;
  lastError: string | null;
  lastAt: number | null;
}

/** A sample row as the dashboard reads it. */
export interface SampleRow {
  id: number;
  seriesId: number | null;
  at: number;
  ok: boolean;
  grouped: boolean;
  total: number | null;
  /** Lowest and highest totals among the samples a thinned row stands for (equal to total if raw). */
  min: number | null;
  max: number | null;
  merged: number;
}

/** A row of the snapshot index. */
export interface SnapshotRow {
  id: number;
  targetId: number;
  at: number;
  path: string;
  goroutines: number | null;
  reason: string;
}

interface SeriesDbRow {
  id: number;
  target_id: number;
  started_at: number;
  reason: string;
  format: DumpFormat | null;
  cmdline_hash: string | null;
  mallocs: number | null;
  num_gc: number | null;
}

interface AlertRow {
  id: number;
  target: string;
  gid: string | null;
  kind: AlertKind;
  state: 'firing' | 'resolved';
  fired_at: number;
  resolved_at: number | null;
  resolve_reason: string | null;
  count: number;
  count_at_window_start: number | null;
  rate_per_hour: number | null;
  baseline: number | null;
  signals: string;
  snapshot: string | null;
  group_state: string | null;
  created_by: string | null;
}

/** A stack_groups row: the GroupInfo with its structured fields as JSON text. */
type GroupRow = Omit<GroupInfo, 'location' | 'createdBy' | 'frames' | 'labels'> & {
  location: string | null;
  created_by: string | null;
  frames: string;
  labels: string;
};

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parseJson = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

/** The store has a schema this version cannot read. */
export class StoreError extends Error {
  override name = 'StoreError';
}

export class WatchStore {
  private readonly db: Database.Database;
  private readonly groupRowIds = new Map<string, number>();
  private readonly statements: ReturnType<WatchStore['prepare']>;

  /** `file` null: an in-memory database (--no-db). */
  constructor(file: string | null) {
    const open = requireOptional('better-sqlite3') as typeof Database;
    this.db = new open(file ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    const version = this.readVersion();
    if (version !== null && version > STORE_SCHEMA_VERSION) {
      this.db.close();
      throw new StoreError(`the database was written by a newer goroscope (schema ${version}, this one reads up to ${STORE_SCHEMA_VERSION})`);
    }
    this.db.exec(SCHEMA);
    this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(STORE_SCHEMA_VERSION));
    this.statements = this.prepare();
  }

  private readVersion(): number | null {
    const hasMeta = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (!hasMeta) return null;
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    return row ? Number(row.value) : null;
  }

  private prepare() {
    const db = this.db;
    return {
      targetByName: db.prepare('SELECT id FROM targets WHERE name = ?'),
      insertTarget: db.prepare('INSERT INTO targets (name, kind, first_seen) VALUES (?, ?, ?)'),
      lastSeries: db.prepare('SELECT * FROM series WHERE target_id = ? ORDER BY id DESC LIMIT 1'),
      insertSeries: db.prepare('INSERT INTO series (target_id, started_at, reason, format, cmdline_hash, mallocs, num_gc) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      updateSeries: db.prepare('UPDATE series SET format = ?, cmdline_hash = ?, mallocs = ?, num_gc = ? WHERE id = ?'),
      groupByGid: db.prepare('SELECT id FROM stack_groups WHERE gid = ?'),
      insertGroup: db.prepare(
        'INSERT INTO stack_groups (gid, signature, format, state, kind, benign, location, created_by, frames, labels, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertSample: db.prepare(
        'INSERT INTO samples (target_id, series_id, at, ok, grouped, total, total_min, total_max, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertCount: db.prepare('INSERT INTO counts (sample_id, group_id, count) VALUES (?, ?, ?)'),
      insertAlert: db.prepare(
        `INSERT INTO alerts (target_id, series_id, group_id, kind, state, fired_at, resolved_at, resolve_reason, count, count_at_window_start,
           rate_per_hour, baseline, signals, snapshot, group_state, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateAlert: db.prepare(
        `UPDATE alerts SET state = ?, resolved_at = ?, resolve_reason = ?, count = ?, count_at_window_start = ?, rate_per_hour = ?, signals = ?, snapshot = ?,
           group_state = ?, created_by = ? WHERE id = ?`,
      ),
      insertSnapshot: db.prepare('INSERT INTO snapshots (target_id, at, path, goroutines, reason) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  close(): void {
    if (!this.db.open) return;
    // Fold the WAL back into the database file so that a finished watch leaves one file.
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* another connection holds it: the next open checkpoints */
    }
    this.db.close();
  }

  targetId(name: string, kind: TargetKind, now: number): number {
    const row = this.statements.targetByName.get(name) as { id: number } | undefined;
    if (row) return row.id;
    return Number(this.statements.insertTarget.run(name, kind, now).lastInsertRowid);
  }

  lastSeries(targetId: number): SeriesRow | null {
    const r = this.statements.lastSeries.get(targetId) as SeriesDbRow | undefined;
    return r ? seriesOf(r) : null;
  }

  startSeries(s: Omit<SeriesRow, 'id'>): SeriesRow {
    const id = Number(this.statements.insertSeries.run(s.targetId, s.startedAt, s.reason, s.format, s.cmdlineHash, s.mallocs, s.numGC).lastInsertRowid);
    return { ...s, id };
  }

  updateSeries(s: SeriesRow): void {
    this.statements.updateSeries.run(s.format, s.cmdlineHash, s.mallocs, s.numGC, s.id);
  }

  /** The row ID of a group, stored on first use. */
  groupRowId(info: GroupInfo, now: number): number {
    let id = this.groupRowIds.get(info.gid);
    if (id !== undefined) return id;
    const row = this.statements.groupByGid.get(info.gid) as { id: number } | undefined;
    id = row
      ? row.id
      : Number(
          this.statements.insertGroup.run(
            info.gid,
            info.signature,
            info.format,
            info.state,
            info.kind,
            info.benign,
            json(info.location),
            json(info.createdBy),
            JSON.stringify(info.frames),
            JSON.stringify(info.labels),
            now,
          ).lastInsertRowid,
        );
    this.groupRowIds.set(info.gid, id);
    return id;
  }

  /** Stores a sample and its counts in one transaction. */
  recordSample(s: SampleRecord): number {
    return this.db.transaction(() => {
      const id = Number(
        this.statements.insertSample.run(s.targetId, s.seriesId, s.at, s.ok ? 1 : 0, s.grouped ? 1 : 0, s.total, s.total, s.total, s.error, Math.round(s.durationMs))
          .lastInsertRowid,
      );
      for (const [groupRow, count] of s.counts) this.statements.insertCount.run(id, groupRow, count);
      return id;
    })();
  }

  saveAlert(a: Alert, targetId: number, seriesId: number | null): void {
    const group = a.gid === null ? null : this.groupRowIds.get(a.gid) ?? (this.statements.groupByGid.get(a.gid) as { id: number } | undefined)?.id ?? null;
    const createdBy = json(a.detail?.createdBy ?? null);
    if (a.id === null) {
      a.id = Number(
        this.statements.insertAlert.run(
          targetId,
          seriesId,
          group,
          a.kind,
          a.state,
          a.firedAt,
          a.resolvedAt,
          a.resolveReason,
          a.count,
          a.countAtWindowStart,
          a.ratePerHour,
          a.baseline,
          JSON.stringify(a.signals),
          a.snapshot,
          a.detail?.state ?? null,
          createdBy,
        ).lastInsertRowid,
      );
    } else {
      this.statements.updateAlert.run(a.state, a.resolvedAt, a.resolveReason, a.count, a.countAtWindowStart, a.ratePerHour, JSON.stringify(a.signals), a.snapshot, a.detail?.state ?? null, createdBy, a.id);
    }
  }

  recordSnapshot(targetId: number, at: number, path: string, goroutines: number | null, reason: string): void {
    this.statements.insertSnapshot.run(targetId, at, path, goroutines, reason);
  }

  /** Grouped samples of a series taken at or after `from`, oldest first, with counts by group ID. */
  seriesSamples(seriesId: number, from: number): StoredSample[] {
    const rows = this.db
      .prepare(
        `SELECT s.id AS id, s.at AS at, g.gid AS gid, c.count AS count FROM samples s
           JOIN counts c ON c.sample_id = s.id JOIN stack_groups g ON g.id = c.group_id
         WHERE s.series_id = ? AND s.ok = 1 AND s.grouped = 1 AND s.at >= ? ORDER BY s.at, s.id`,
      )
      .all(seriesId, from) as Array<{ id: number; at: number; gid: string; count: number }>;
    const out: StoredSample[] = [];
    let lastId = -1;
    for (const r of rows) {
      if (r.id !== lastId) {
        out.push({ at: r.at, counts: new Map() });
        lastId = r.id;
      }
      out[out.length - 1]!.counts.set(r.gid, r.count);
    }
    return out;
  }

  groupInfos(gids: readonly string[]): GroupInfo[] {
    const stmt = this.db.prepare('SELECT * FROM stack_groups WHERE gid = ?');
    const out: GroupInfo[] = [];
    for (const gid of gids) {
      const r = stmt.get(gid) as GroupRow | undefined;
      if (r) out.push(groupInfoOf(r));
    }
    return out;
  }

  /** Alerts of a target still firing (a continued watch picks them up). */
  firingAlerts(targetId: number): Alert[] {
    return (this.db.prepare(`${ALERT_SELECT} WHERE a.target_id = ? AND a.state = 'firing' ORDER BY a.id`).all(targetId) as AlertRow[]).map(alertOf);
  }

  /** Alerts of a target that were firing at some time in [since, until]. */
  alertsIn(targetId: number, since: number, until: number): Alert[] {
    return (
      this.db
        .prepare(`${ALERT_SELECT} WHERE a.target_id = ? AND a.fired_at <= ? AND (a.resolved_at IS NULL OR a.resolved_at >= ?) ORDER BY a.fired_at, a.id`)
        .all(targetId, until, since) as AlertRow[]
    ).map(alertOf);
  }

  /** Targets with a sample in [since, until], by name. */
  targetsIn(since: number, until: number): Array<{ id: number; name: string; kind: TargetKind }> {
    return this.db
      .prepare('SELECT DISTINCT t.id AS id, t.name AS name, t.kind AS kind FROM targets t JOIN samples s ON s.target_id = t.id WHERE s.at BETWEEN ? AND ? ORDER BY t.name')
      .all(since, until) as Array<{ id: number; name: string; kind: TargetKind }>;
  }

  targetByName(name: string): { id: number } | null {
    return (this.statements.targetByName.get(name) as { id: number } | undefined) ?? null;
  }

  /** Sample counts and goroutine totals of a target in [since, until]. */
  sampleSummary(targetId: number, since: number, until: number): SampleSummary {
    const agg = this.db
      .prepare(
        `SELECT COALESCE(SUM(CASE WHEN ok = 1 THEN merged END), 0) AS samples, COALESCE(SUM(CASE WHEN ok = 0 THEN merged END), 0) AS failures,
           MIN(total_min) AS min, MAX(total_max) AS max FROM samples WHERE target_id = ? AND at BETWEEN ? AND ?`,
      )
      .get(targetId, since, until) as { samples: number; failures: number; min: number | null; max: number | null };
    const edge = (order: 'ASC' | 'DESC') =>
      this.db.prepare(`SELECT total FROM samples WHERE target_id = ? AND ok = 1 AND at BETWEEN ? AND ? ORDER BY at ${order}, id ${order} LIMIT 1`).get(targetId, since, until) as
        | { total: number }
        | undefined;
    const last = this.db.prepare('SELECT ok, error, at FROM samples WHERE target_id = ? AND at BETWEEN ? AND ? ORDER BY at DESC, id DESC LIMIT 1').get(targetId, since, until) as
      | { ok: number; error: string | null; at: number }
      | undefined;
    return {
      samples: agg.samples,
      failures: agg.failures,
      first: edge('ASC')?.total ?? null,
      last: edge('DESC')?.total ?? null,
      min: agg.min,
      max: agg.max,
      lastOk: last ? last.ok === 1 : null,
      lastError: last?.error ?? null,
      lastAt: last?.at ?? null,
    };
  }

  /** Series of a target started in [since, until] (restarts and other new series). */
  seriesIn(targetId: number, since: number, until: number): SeriesRow[] {
    const rows = this.db.prepare('SELECT * FROM series WHERE target_id = ? AND started_at BETWEEN ? AND ? ORDER BY id').all(targetId, since, until) as SeriesDbRow[];
    return rows.map(seriesOf);
  }

  /** Samples of a target in [from, to], oldest first (the dashboard's chart of totals). */
  samplesOf(targetId: number, from: number, to: number): SampleRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, series_id, at, ok, grouped, total, total_min, total_max, merged FROM samples
         WHERE target_id = ? AND at BETWEEN ? AND ? ORDER BY at, id`,
      )
      .all(targetId, from, to) as Array<{ id: number; series_id: number | null; at: number; ok: number; grouped: number; total: number | null; total_min: number | null; total_max: number | null; merged: number }>;
    return rows.map((r) => ({ id: r.id, seriesId: r.series_id, at: r.at, ok: r.ok === 1, grouped: r.grouped === 1, total: r.total, min: r.total_min, max: r.total_max, merged: r.merged }));
  }

  /** Counts by group ID of each of the given samples (a group absent from a sample had none). */
  countsOfSamples(sampleIds: readonly number[]): Map<number, Map<string, number>> {
    const out = new Map<number, Map<string, number>>(sampleIds.map((id) => [id, new Map()]));
    if (sampleIds.length === 0) return out;
    const rows = this.db
      .prepare(
        `SELECT c.sample_id AS sample, g.gid AS gid, c.count AS count FROM counts c JOIN stack_groups g ON g.id = c.group_id
         WHERE c.sample_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(sampleIds)) as Array<{ sample: number; gid: string; count: number }>;
    for (const r of rows) out.get(r.sample)?.set(r.gid, r.count);
    return out;
  }

  /** One group's count at each grouped sample of a target in [from, to], oldest first. */
  groupCountsOf(targetId: number, gid: string, from: number, to: number): Array<{ at: number; count: number }> {
    const group = this.groupRowIds.get(gid) ?? (this.statements.groupByGid.get(gid) as { id: number } | undefined)?.id;
    if (group === undefined) return [];
    return this.db
      .prepare(
        `SELECT s.at AS at, COALESCE(c.count, 0) AS count FROM samples s LEFT JOIN counts c ON c.sample_id = s.id AND c.group_id = ?
         WHERE s.target_id = ? AND s.ok = 1 AND s.grouped = 1 AND s.at BETWEEN ? AND ? ORDER BY s.at, s.id`,
      )
      .all(group, targetId, from, to) as Array<{ at: number; count: number }>;
  }

  /** Every target in the store, by name (watched now or not). */
  allTargets(): Array<{ id: number; name: string; kind: TargetKind }> {
    return this.db.prepare('SELECT id, name, kind FROM targets ORDER BY name').all() as Array<{ id: number; name: string; kind: TargetKind }>;
  }

  /** A target's snapshots, newest first. */
  snapshotsOf(targetId: number, limit: number): SnapshotRow[] {
    return this.db.prepare('SELECT id, target_id AS targetId, at, path, goroutines, reason FROM snapshots WHERE target_id = ? ORDER BY at DESC, id DESC LIMIT ?').all(targetId, limit) as SnapshotRow[];
  }

  /** The index row of the snapshot file at `path`, or null. */
  snapshotByPath(path: string): SnapshotRow | null {
    return (this.db.prepare('SELECT id, target_id AS targetId, at, path, goroutines, reason FROM snapshots WHERE path = ? ORDER BY id DESC LIMIT 1').get(path) as SnapshotRow | undefined) ?? null;
  }

  /** One snapshot's index row, or null. */
  snapshotById(id: number): SnapshotRow | null {
    return (this.db.prepare('SELECT id, target_id AS targetId, at, path, goroutines, reason FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined) ?? null;
  }

  /** The first and last sample times in the store, or null when it has none. */
  timeRange(): { first: number; last: number } | null {
    const r = this.db.prepare('SELECT MIN(at) AS first, MAX(at) AS last FROM samples').get() as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }

  /**
   * Deletes what is older than the retention (samples, their counts, resolved alerts, snapshot index
   * rows, whose paths are returned so the files can go too) and thins older samples (DOWNSAMPLING):
   * the kept sample of a bucket records how many it stands for and the lowest and highest totals.
   */
  applyRetention(now: number, retentionMs: number): string[] {
    const cutoff = now - retentionMs;
    const expiredSnapshots = this.db.prepare('SELECT path FROM snapshots WHERE at < ?').all(cutoff) as Array<{ path: string }>;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM counts WHERE sample_id IN (SELECT id FROM samples WHERE at < ?)').run(cutoff);
      this.db.prepare('DELETE FROM samples WHERE at < ?').run(cutoff);
      this.db.prepare("DELETE FROM alerts WHERE state = 'resolved' AND resolved_at < ?").run(cutoff);
      this.db.prepare('DELETE FROM snapshots WHERE at < ?').run(cutoff);
    })();
    for (const band of DOWNSAMPLING) this.thin(now - band.after, band.bucket);
    return expiredSnapshots.map((r) => r.path);
  }

  private thin(before: number, bucket: number): void {
    const rows = this.db
      .prepare(
        `SELECT id, target_id, series_id, ok, at, total_min, total_max, merged FROM samples
         WHERE at < ? AND resolution_ms < ? ORDER BY target_id, series_id, ok, at, id`,
      )
      .all(before, bucket) as Array<{ id: number; target_id: number; series_id: number | null; ok: number; at: number; total_min: number | null; total_max: number | null; merged: number }>;
    const update = this.db.prepare('UPDATE samples SET merged = ?, total_min = ?, total_max = ?, resolution_ms = ? WHERE id = ?');
    const deleteCounts = this.db.prepare('DELETE FROM counts WHERE sample_id = ?');
    const deleteSample = this.db.prepare('DELETE FROM samples WHERE id = ?');
    const flush = (bucketRows: typeof rows) => {
      const keep = bucketRows[bucketRows.length - 1]!;
      let merged = 0;
      let min: number | null = null;
      let max: number | null = null;
      for (const r of bucketRows) {
        merged += r.merged;
        if (r.total_min !== null) min = min === null ? r.total_min : Math.min(min, r.total_min);
        if (r.total_max !== null) max = max === null ? r.total_max : Math.max(max, r.total_max);
        if (r !== keep) {
          deleteCounts.run(r.id);
          deleteSample.run(r.id);
        }
      }
      update.run(merged, min, max, bucket, keep.id);
    };
    // Buckets in transactions of a few thousand rows, so a long thinning never holds the writer for long.
    let batch: Array<typeof rows> = [];
    let batchRows = 0;
    const commit = this.db.transaction((buckets: Array<typeof rows>) => {
      for (const b of buckets) flush(b);
    });
    let current: typeof rows = [];
    const keyOf = (r: (typeof rows)[number]) => `${r.target_id}/${r.series_id}/${r.ok}/${Math.floor(r.at / bucket)}`;
    for (const r of rows) {
      if (current.length > 0 && keyOf(current[0]!) !== keyOf(r)) {
        batch.push(current);
        batchRows += current.length;
        current = [];
        if (batchRows >= 5000) {
          commit(batch);
          batch = [];
          batchRows = 0;
        }
      }
      current.push(r);
    }
    if (current.length > 0) batch.push(current);
    if (batch.length > 0) commit(batch);
  }
}

const ALERT_SELECT = `SELECT a.*, t.name AS target, g.gid AS gid FROM alerts a JOIN targets t ON t.id = a.target_id LEFT JOIN stack_groups g ON g.id = a.group_id`;

function seriesOf(r: SeriesDbRow): SeriesRow {
  return { id: r.id, targetId: r.target_id, startedAt: r.started_at, reason: r.reason, format: r.format, cmdlineHash: r.cmdline_hash, mallocs: r.mallocs, numGC: r.num_gc };
}

function alertOf(r: AlertRow): Alert {
  const createdBy = parseJson<FrameRef>(r.created_by);
  const detail: GroupDetail | null = r.group_state !== null || createdBy !== null ? { state: r.group_state ?? '', createdBy } : null;
  return {
    id: r.id,
    target: r.target,
    kind: r.kind,
    state: r.state,
    firedAt: r.fired_at,
    resolvedAt: r.resolved_at,
    resolveReason: r.resolve_reason,
    gid: r.gid,
    count: r.count,
    countAtWindowStart: r.count_at_window_start,
    ratePerHour: r.rate_per_hour,
    baseline: r.baseline,
    signals: JSON.parse(r.signals) as Signal[],
    snapshot: r.snapshot,
    detail,
  };
}

function groupInfoOf(r: GroupRow): GroupInfo {
  return {
    gid: r.gid,
    signature: r.signature,
    format: r.format,
    state: r.state,
    kind: r.kind,
    benign: r.benign,
    location: parseJson<FrameRef>(r.location),
    createdBy: parseJson<FrameRef>(r.created_by),
    frames: JSON.parse(r.frames) as FrameRef[],
    labels: JSON.parse(r.labels) as Record<string, string>,
  };
}
