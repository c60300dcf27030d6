// The JSON of the dashboard's API (/api/...), shared by the server (serve/api.ts builds it) and the
// page (web/*.ts reads it). Documented in docs/watch.md ("Dashboard JSON API"); fields are only
// added. Times are milliseconds since the Unix epoch unless named ...At and given as ISO text in
// the alert objects, which are the report's (docs/watch.md "Report JSON").

export const API_VERSION = 1;

export interface FrameJson {
  func: string;
  file: string;
  line: number;
}

export interface SignalJson {
  name: string;
  detail: string;
}

/** An alert as the report prints it, with its target and the snapshot's download ID. */
export interface AlertItemJson {
  target: string;
  kind: string;
  state: 'firing' | 'resolved';
  firedAt: string;
  resolvedAt: string | null;
  resolveReason: string | null;
  group: {
    id: string;
    count: number;
    state: string | null;
    kind: string;
    location: FrameJson | null;
    createdBy: FrameJson | null;
    labels: Record<string, string>;
  } | null;
  count: number;
  countAtWindowStart: number | null;
  ratePerHour: number | null;
  signals: SignalJson[];
  snapshot: string | null;
  /** The ID of that snapshot in /api/snapshots/ID/download, or null. */
  snapshotId: number | null;
}

export interface TargetSummaryJson {
  name: string;
  kind: 'pprof' | 'gops' | 'pid';
  /** Whether this watch samples it now (a target with history only is not watched). */
  watched: boolean;
  /** The last read gave a profile; null before the first read. */
  up: boolean | null;
  lastError: string | null;
  goroutines: number | null;
  lastSampleAt: number | null;
  samples: number;
  failures: number;
  /** Firing alerts. */
  firing: number;
  /** Totals over the last window (--window), for a sparkline; null where a read failed. */
  spark: { t: number[]; total: Array<number | null> };
}

/** How late the watch's samples started after they were planned, over a period. */
export interface SamplingLagJson {
  samples: number;
  /** Ticks skipped because a sample (or the wait for it) overran its interval. */
  skipped: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface SamplingJson {
  version: number;
  now: number;
  since: number;
  lag: SamplingLagJson;
}

export interface OverviewJson {
  version: number;
  tool: string;
  now: number;
  startedAt: number;
  intervalMs: number;
  windowMs: number;
  retentionMs: number;
  /** Sampling lag over the last minute (all targets). */
  samplingLag: SamplingLagJson;
  targets: TargetSummaryJson[];
  /** Firing alerts of every target, newest first. */
  alerts: AlertItemJson[];
}

export interface RangeJson {
  from: number;
  to: number;
}

export interface GroupRowJson {
  id: string;
  /** The count at the range's last grouped sample, and at its first. */
  count: number;
  first: number;
  change: number;
  /** Theil-Sen slope over the range, goroutines per hour; null with fewer than 2 samples. */
  ratePerHour: number | null;
  /** From the group itself (debug=2 reads) or the latest snapshot; null when unknown. */
  state: string | null;
  kind: string;
  benign: string | null;
  location: FrameJson | null;
  createdBy: FrameJson | null;
  labels: Record<string, string>;
  /** Kinds of the group's firing alerts. */
  alerts: string[];
  /** The count at each of TargetJson.groupTimes. */
  spark: number[];
}

export interface SnapshotJson {
  id: number;
  at: number;
  reason: string;
  goroutines: number | null;
  /** Path of the gzipped debug=2 text to download. */
  download: string;
}

export interface TargetJson {
  version: number;
  now: number;
  intervalMs: number;
  windowMs: number;
  retentionMs: number;
  range: RangeJson;
  target: TargetSummaryJson;
  totals: { t: number[]; total: Array<number | null>; min: Array<number | null>; max: Array<number | null> };
  /** New series (restarts, format changes) that started in the range. */
  series: Array<{ startedAt: number; reason: string }>;
  /** Times of the samples the groups' sparklines, changes and rates are computed from (at most 120). */
  groupTimes: number[];
  /** Groups seen in those samples; `groups` lists the first MAX_GROUPS (500) of them. */
  groupsTotal: number;
  groups: GroupRowJson[];
  /** Alerts firing at some time in the range, firing first. */
  alerts: AlertItemJson[];
  snapshots: SnapshotJson[];
}

/** A wait-time bucket of a group in a snapshot: goroutines waiting [min, max) minutes. */
export interface WaitBucketJson {
  label: string;
  min: number;
  max: number | null;
  count: number;
}

export interface GroupJson {
  version: number;
  now: number;
  retentionMs: number;
  range: RangeJson;
  target: string;
  group: {
    id: string;
    format: string;
    state: string | null;
    kind: string;
    benign: string | null;
    location: FrameJson | null;
    createdBy: FrameJson | null;
    frames: FrameJson[];
    labels: Record<string, string>;
  };
  counts: { t: number[]; count: number[] };
  alerts: AlertItemJson[];
  /** The group in the latest snapshot that holds it: its state, creator and waits. */
  snapshot: {
    id: number;
    at: number;
    count: number;
    state: string;
    createdBy: FrameJson | null;
    waits: WaitBucketJson[];
    /** Goroutines that printed no wait time (waiting under a minute, or running). */
    noWait: number;
    download: string;
  } | null;
  snapshots: SnapshotJson[];
}

/** A group of a snapshot, as `goroscope dump --format json` prints it (without goroutine IDs). */
export interface SnapshotGroupJson {
  count: number;
  state: string;
  kind: string;
  waitMinutes: { min: number | null; max: number | null };
  frames: FrameJson[];
  location: FrameJson | null;
  createdBy: FrameJson | null;
  labels: Record<string, string>;
  leaked: boolean;
  benign: string | null;
  suspect: { level: 'definite' | 'likely'; reason: string } | null;
}

export interface SnapshotViewJson {
  version: number;
  now: number;
  target: string;
  snapshot: SnapshotJson;
  goroutines: number;
  suspects: { definite: number; likely: number };
  groups: SnapshotGroupJson[];
  /** The target's snapshots, newest first (at most 50). */
  snapshots: SnapshotJson[];
}

/** The body of every answer that is not 2xx or 304. */
export interface ApiErrorJson {
  error: string;
}
