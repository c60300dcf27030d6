// One watched target: its sampling step (profile, restart check, store, verdicts, alerts), its
// debug=2 snapshots and goroutineleak reads, and its up/down state with backoff.
import type { GoroutineGroup, GroupOptions } from '../dump/analyze/index.js';
import { DEFAULT_LARGE_GROUP } from '../dump/analyze/suspects.js';
import { AlertBook, type Alert, type AlertChanges, type AlertKind, type Condition, type GroupDetail } from './alerts.js';
import type { GroupCatalog, GroupInfo } from './group-info.js';
import { readProfile, type ReadProfile } from './profile.js';
import type { Scrubber } from './redact.js';
import { writeSnapshot } from './snapshot.js';
import { PROFILE_FORMATS, readGoroutines, sourceOf, type ProcessAge, type TargetSource } from './source.js';
import type { SeriesRow, WatchStore } from './store.js';
import type { Target } from './target.js';
import { growthConditions, judged, leakProfileConditions, staleConditions, thresholdConditions, type LinkedGroup, type VerdictOptions } from './verdicts.js';
import { SeriesWindow } from './window.js';

export interface WatchSettings extends VerdictOptions {
  intervalMs: number;
  timeoutMs: number;
  maxBytes: number;
  leakProfileMs: number | null;
  snapshotIntervalMs: number;
  /** Whether debug=2 snapshots are taken at all (--no-snapshots: no). */
  snapshots: boolean;
  /** Where snapshot files go; null: read, not written (--no-db style runs may still want details). */
  snapshotDir: string | null;
  snapshotMaxGoroutines: number;
  group: GroupOptions;
}

/** The defaults of `goroscope watch` (docs/watch.md lists them). */
export const DEFAULT_SETTINGS: WatchSettings = {
  intervalMs: 15_000,
  timeoutMs: 10_000,
  windowMs: 30 * 60_000,
  minGrowth: 20,
  maxGoroutines: null,
  maxGroup: null,
  staleMinutes: 60,
  staleFloor: DEFAULT_LARGE_GROUP,
  maxBytes: 64 * 1024 * 1024,
  leakProfileMs: null,
  snapshotIntervalMs: 10 * 60_000,
  snapshots: true,
  snapshotDir: 'goroscope-snapshots',
  snapshotMaxGoroutines: 100_000,
  group: {},
};

/** What a target reports to the outputs (logs, live view, webhook). */
export interface WatchEvents {
  alert(target: TargetWatch, change: 'fired' | 'resolved', alert: Alert): void;
  state(target: TargetWatch, up: boolean): void;
  note(target: TargetWatch, message: string): void;
  sampled(target: TargetWatch): void;
}

/** The allocation counters are read every this many samples even when nothing suggests a restart. */
const AGE_CHECK_EVERY = 20;
/** ...and at most every this many samples when the total drops. */
const AGE_CHECK_ON_DROP_EVERY = 5;
/** A fall of the total by this share (and at least 2) since the previous sample asks for an age check. */
const DROP_SHARE = 0.1;
/** Longest wait between attempts at a target that is down. */
const MAX_BACKOFF_MS = 300_000;
/** Totals kept for the live view's sparkline. */
const RECENT_TOTALS = 40;

export class TargetWatch {
  readonly name: string;
  readonly source: TargetSource;
  readonly window = new SeriesWindow();
  readonly alerts: AlertBook;
  up: boolean | null = null;
  lastError: string | null = null;
  lastTotal: number | null = null;
  samples = 0;
  failures = 0;
  /** How long the latest sample took (read, parse, store, judge), in ms; null before the first. */
  lastDurationMs: number | null = null;
  readonly recentTotals: number[] = [];
  leakProfile: 'available' | 'unavailable' | 'unknown' = 'unknown';
  private readonly targetId: number;
  private series: SeriesRow | null;
  /** Whether the next sample reads the process identity (allocation counters, command line) in full. */
  private identityDue = true;
  private leakProfileAsked = false;
  private leakProfileMissingNoted = false;
  private consecutiveFailures = 0;
  private samplesSinceAgeCheck = 0;
  private lastDropCheck = -Infinity;
  private debugFormat: number | null = null;
  private startTotal: number | null = null;
  private lastSnapshotAt = -Infinity;
  private lastLeakReadAt = -Infinity;
  private lastDebug2: Buffer | null = null;
  /** State and creator of sampled groups, from the latest debug=2 read. */
  private readonly details = new Map<string, GroupDetail>();
  /**
   * Sampled groups that the latest debug=2 read finds benign although their own profile could not
   * tell (debug=1 has no states: the main goroutine parked in `select {}` is only known by its state).
   */
  private readonly benignByState = new Map<string, string>();
  private stopped = false;

  constructor(
    readonly target: Target,
    private readonly settings: WatchSettings,
    private readonly store: WatchStore,
    private readonly catalog: GroupCatalog,
    private readonly scrubber: Scrubber,
    private readonly events: WatchEvents,
    now: number,
  ) {
    this.name = target.name;
    this.source = sourceOf(target, { timeoutMs: settings.timeoutMs, maxBytes: settings.maxBytes });
    this.alerts = new AlertBook(target.name);
    this.targetId = store.targetId(target.name, target.kind, now);
    this.series = store.lastSeries(this.targetId);
    this.restore(now);
  }

  /** Continues the stored series: its recent samples fill the window, its firing alerts stay firing. */
  private restore(now: number): void {
    if (this.series === null) return;
    const samples = this.store.seriesSamples(this.series.id, now - this.settings.windowMs);
    const gids = new Set<string>();
    for (const s of samples) for (const gid of s.counts.keys()) gids.add(gid);
    const alerts = this.store.firingAlerts(this.targetId);
    for (const a of alerts) if (a.gid !== null) gids.add(a.gid);
    for (const info of this.store.groupInfos([...gids])) this.catalog.add(info);
    for (const s of samples) this.window.add(s.at, s.counts);
    this.alerts.restore(alerts);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Delay before the next attempt: the interval, or a backoff that doubles while the target is down. */
  nextDelay(): number {
    if (this.consecutiveFailures === 0) return this.settings.intervalMs;
    const backoff = this.settings.intervalMs * 2 ** Math.min(this.consecutiveFailures - 1, 16);
    return Math.min(backoff, Math.max(this.settings.intervalMs, MAX_BACKOFF_MS));
  }

  info(gid: string): GroupInfo | undefined {
    return this.catalog.get(gid);
  }

  /** The group's state: what the latest debug=2 read said, else its own profile's ("" when neither says). */
  stateOf(gid: string): string {
    return this.details.get(gid)?.state || this.catalog.get(gid)?.state || '';
  }

  /** One sample: read, check for a restart, store, judge. Never throws. */
  async sample(now: number): Promise<void> {
    const started = performance.now();
    let read: ReadProfile | null;
    try {
      read = await this.readSample();
    } catch (err) {
      this.fail(now, performance.now() - started, err);
      return;
    }
    if (this.stopped) return;
    try {
      await this.record(now, read, performance.now() - started);
    } catch (err) {
      this.events.note(this, `internal error while recording a sample: ${this.scrubber.scrub((err as Error).message)}`);
    }
  }

  /** The sample's profile, or null when only the total was read (a stack dump above the cap). */
  private async readSample(): Promise<ReadProfile | null> {
    if (this.source.samplesAreSnapshots && (this.lastTotal ?? 0) > this.settings.snapshotMaxGoroutines) {
      const count = await this.source.goroutineCount();
      if (count !== null && count > this.settings.snapshotMaxGoroutines) {
        this.lastTotal = count;
        return null;
      }
    }
    const sampled = await readGoroutines(this.source, this.settings.group, this.debugFormat === null ? PROFILE_FORMATS : [this.debugFormat]);
    this.debugFormat = sampled.debug;
    if (this.source.samplesAreSnapshots) this.lastDebug2 = sampled.bytes;
    return sampled.read;
  }

  private fail(now: number, durationMs: number, err: unknown): void {
    const message = this.scrubber.scrub(err instanceof Error ? err.message : String(err));
    this.failures++;
    this.lastDurationMs = durationMs;
    this.consecutiveFailures++;
    this.lastError = message;
    this.store.recordSample({ targetId: this.targetId, seriesId: this.series?.id ?? null, at: now, ok: false, grouped: false, total: null, error: message, durationMs, counts: [] });
    if (this.up !== false) {
      this.up = false;
      this.events.state(this, false);
    }
    this.events.sampled(this);
  }

  private async record(now: number, read: ReadProfile | null, durationMs: number): Promise<void> {
    const total = read?.total ?? this.lastTotal ?? 0;
    const newSeries = await this.newSeries(read, total);
    if (newSeries !== null) this.startSeries(now, newSeries, read);
    this.consecutiveFailures = 0;
    this.lastError = null;
    this.lastDurationMs = durationMs;
    this.samples++;
    this.startTotal ??= total;
    this.lastTotal = total;
    this.recentTotals.push(total);
    if (this.recentTotals.length > RECENT_TOTALS) this.recentTotals.shift();

    const counts = new Map<string, number>();
    const rows: Array<[number, number]> = [];
    const linked: LinkedGroup[] = [];
    for (const group of read?.groups ?? []) {
      const info = this.catalog.of(group, read!.format);
      counts.set(info.gid, (counts.get(info.gid) ?? 0) + group.count);
      rows.push([this.store.groupRowId(info, now), group.count]);
      linked.push({ group, gid: info.gid });
    }
    this.store.recordSample({ targetId: this.targetId, seriesId: this.series!.id, at: now, ok: true, grouped: read !== null, total, error: null, durationMs, counts: rows });
    if (this.up !== true) {
      this.up = true;
      this.events.state(this, true);
    }

    const kinds = new Set<AlertKind>(['threshold']);
    const conditions: Condition[] = [];
    if (read !== null) {
      this.window.add(now, counts);
      this.window.trimBefore(now - this.settings.windowMs);
      kinds.add('growth');
      conditions.push(...growthConditions(this.window, this.alerts.ofKind('growth'), (gid) => this.isJudged(gid), this.settings));
    }
    const groups = linked.map(({ group, gid }) => ({ gid, count: group.count, judged: this.isJudged(gid) }));
    conditions.push(...thresholdConditions(total, groups, this.alerts.ofKind('threshold'), this.settings));
    const changes = this.alerts.apply(kinds, conditions, now);
    if (read?.format === 'traceback') {
      // A debug=2 sample (gops) carries states, creators and wait minutes itself.
      this.learnDetails(linked);
      mergeChanges(changes, this.judgeStale(now, linked));
    }
    await this.emit(now, changes, undefined);
    await this.periodicReads(now);
    this.events.sampled(this);
  }

  private isJudged(gid: string): boolean {
    const info = this.catalog.get(gid);
    return info !== undefined && judged(info) && !this.benignByState.has(gid);
  }

  /**
   * Why this sample starts a new series, with the identity read for it, or null. A series is one
   * lifetime of the process: a new one starts when the allocation counters, which only grow
   * within a process, fall, or when the command line changes. They are read at first contact,
   * after the target was down, every AGE_CHECK_EVERY samples, and when the total drops.
   */
  private async newSeries(read: ReadProfile | null, total: number): Promise<NewSeries | null> {
    const series = this.series;
    const full = series === null || this.identityDue || this.consecutiveFailures > 0;
    const previous = this.lastTotal;
    const dropped = previous !== null && total < previous - Math.max(2, previous * DROP_SHARE) && this.samples - this.lastDropCheck >= AGE_CHECK_ON_DROP_EVERY;
    const formatChanged = read !== null && series?.format != null && read.format !== series.format;
    this.samplesSinceAgeCheck++;
    if (!full && !dropped && !formatChanged && this.samplesSinceAgeCheck < AGE_CHECK_EVERY) return null;
    if (dropped) this.lastDropCheck = this.samples;
    this.samplesSinceAgeCheck = 0;
    let age: ProcessAge | null = null;
    let cmdline: string | null = series?.cmdlineHash ?? null;
    try {
      age = await this.source.age();
      if (full) cmdline = await this.source.cmdlineHash();
    } catch {
      // The counters are a second read; when it fails, this sample still counts.
    }
    this.identityDue = false;
    if (series === null) return { reason: 'first sample', age, cmdline };
    if (formatChanged) return { reason: `the profile format changed from ${series.format} to ${read.format}`, age, cmdline };
    if (age !== null && series.mallocs !== null && (age.mallocs < series.mallocs || (series.numGC !== null && age.numGC < series.numGC))) {
      return { reason: `restarted: its allocation counters fell (mallocs ${series.mallocs} to ${age.mallocs})`, age, cmdline };
    }
    if (cmdline !== null && series.cmdlineHash !== null && cmdline !== series.cmdlineHash) return { reason: 'restarted: its command line changed', age, cmdline };
    const afterFailure = this.consecutiveFailures > 0;
    if (age === null && afterFailure && this.startTotal !== null && previous !== null && total <= this.startTotal && previous >= this.startTotal + this.settings.minGrowth) {
      // No counters to read (a custom mux, an old gops agent): back at its start level after
      // being unreachable is taken as a restart.
      return { reason: 'restarted: back at its start level after being unreachable', age, cmdline };
    }
    const changed = (age !== null && (age.mallocs !== series.mallocs || age.numGC !== series.numGC)) || cmdline !== series.cmdlineHash || (read !== null && series.format === null);
    if (age !== null) {
      series.mallocs = age.mallocs;
      series.numGC = age.numGC;
    }
    series.cmdlineHash = cmdline;
    if (read !== null) series.format = read.format;
    if (changed) this.store.updateSeries(series);
    return null;
  }

  private startSeries(now: number, next: NewSeries, read: ReadProfile | null): void {
    const resolved = this.alerts.resolveAll(now, `target ${next.reason}`);
    for (const a of resolved) {
      this.store.saveAlert(a, this.targetId, this.series?.id ?? null);
      this.events.alert(this, 'resolved', a);
    }
    if (this.series !== null) this.events.note(this, `new series: ${next.reason}`);
    this.window.clear();
    this.details.clear();
    this.benignByState.clear();
    this.startTotal = null;
    this.lastTotal = null;
    this.series = this.store.startSeries({
      targetId: this.targetId,
      startedAt: now,
      reason: next.reason,
      format: read?.format ?? null,
      cmdlineHash: next.cmdline,
      mallocs: next.age?.mallocs ?? null,
      numGC: next.age?.numGC ?? null,
    });
  }

  /** Keeps the state and creator of each linked group (the largest debug=2 group wins a link). */
  private learnDetails(linked: readonly LinkedGroup[]): void {
    const best = new Map<string, GoroutineGroup>();
    for (const { group, gid } of linked) {
      const had = best.get(gid);
      if (had === undefined || group.count > had.count) best.set(gid, group);
    }
    for (const [gid, group] of best) {
      this.details.set(gid, { state: group.state, createdBy: group.createdBy });
      if (group.benign !== null) this.benignByState.set(gid, group.benign);
      else this.benignByState.delete(gid);
    }
  }

  /** Stale verdicts on a debug=2 read; groups with a firing growth alert count as growing. */
  private judgeStale(now: number, linked: readonly LinkedGroup[]): AlertChanges {
    const growing = this.alerts.ofKind('growth');
    return this.alerts.apply(new Set(['stale']), staleConditions(linked, this.window, (gid) => growing.has(gid), this.settings), now);
  }

  /**
   * Stores alert changes and sends them out. Alerts that fired get a snapshot (the one given, or
   * one taken now), from which they also learn the group's state and creator.
   */
  private async emit(now: number, changes: AlertChanges, snapshot: string | null | undefined): Promise<void> {
    if (changes.fired.length > 0 && snapshot === undefined) {
      const taken = await this.snapshot(now, 'alert');
      snapshot = taken?.path ?? null;
      // Stale verdicts from the alert's own snapshot go out with it.
      if (taken?.linked) mergeChanges(changes, this.judgeStale(now, taken.linked));
      // The snapshot's states may show a group benign that its debug=1 profile could not.
      for (const a of changes.fired.filter((f) => f.gid !== null && this.benignByState.has(f.gid))) {
        this.alerts.discard(a);
        changes.fired.splice(changes.fired.indexOf(a), 1);
      }
    }
    for (const a of changes.fired) {
      a.snapshot = snapshot ?? null;
      if (a.gid !== null) a.detail = this.details.get(a.gid) ?? a.detail;
      this.store.saveAlert(a, this.targetId, this.series?.id ?? null);
      this.events.alert(this, 'fired', a);
    }
    for (const a of changes.updated) {
      if (a.gid !== null && a.detail === null) a.detail = this.details.get(a.gid) ?? null;
      this.store.saveAlert(a, this.targetId, this.series?.id ?? null);
    }
    for (const a of changes.resolved) {
      this.store.saveAlert(a, this.targetId, this.series?.id ?? null);
      this.events.alert(this, 'resolved', a);
    }
  }

  /**
   * Takes a debug=2 snapshot (a gops sample already is one), writes it gzipped and learns states
   * and creators from it; `linked` are its groups tied to the sampled ones (null for gops, whose
   * samples are judged as they come). Skipped above --snapshot-max-goroutines: writing it stops
   * the target's world. Null when no snapshot was read.
   */
  private async snapshot(now: number, reason: 'alert' | 'periodic'): Promise<{ path: string | null; linked: LinkedGroup[] | null } | null> {
    if (!this.settings.snapshots) return null;
    this.lastSnapshotAt = now;
    if ((this.lastTotal ?? 0) > this.settings.snapshotMaxGoroutines) {
      this.events.note(this, `snapshot skipped: ${this.lastTotal} goroutines, above --snapshot-max-goroutines ${this.settings.snapshotMaxGoroutines}`);
      return null;
    }
    let bytes: Buffer;
    let read: ReadProfile;
    try {
      bytes = this.source.samplesAreSnapshots && this.lastDebug2 !== null ? this.lastDebug2 : await this.source.snapshot();
      read = readProfile(bytes, this.settings.group);
    } catch (err) {
      this.events.note(this, `snapshot failed: ${this.scrubber.scrub((err as Error).message)}`);
      return null;
    }
    let path: string | null = null;
    if (this.settings.snapshotDir !== null) {
      try {
        path = await writeSnapshot(this.settings.snapshotDir, this.name, now, reason, bytes);
        this.store.recordSnapshot(this.targetId, now, path, read.total, reason);
      } catch (err) {
        this.events.note(this, `cannot write the snapshot: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    if (this.source.samplesAreSnapshots) return { path, linked: null };
    const linked = this.linkSnapshot(read.groups);
    this.learnDetails(linked);
    return { path, linked };
  }

  /** Links a debug=2 read's groups to the sampled groups with the same frames. */
  private linkSnapshot(groups: readonly GoroutineGroup[]): LinkedGroup[] {
    const byStack = new Map<string, string>();
    for (const [gid] of this.window.entries()) {
      const info = this.catalog.get(gid);
      if (info) byStack.set(this.catalog.stackKeyOf(info), gid);
    }
    return groups.map((group) => {
      const own = this.catalog.of(group, 'traceback');
      return { group, gid: byStack.get(this.catalog.stackKeyOf(own)) ?? own.gid };
    });
  }

  /** The periodic snapshot and goroutineleak reads that are due. */
  private async periodicReads(now: number): Promise<void> {
    if (now - this.lastSnapshotAt >= this.settings.snapshotIntervalMs) {
      const taken = await this.snapshot(now, 'periodic');
      if (taken?.linked) await this.emit(now, this.judgeStale(now, taken.linked), taken.path);
    }
    if (!this.leakProfileAsked) {
      this.leakProfileAsked = true;
      try {
        const served = await this.source.leakProfileServed();
        if (served !== null) this.leakProfile = served ? 'available' : 'unavailable';
        if (served && this.settings.leakProfileMs === null) this.events.note(this, 'serves the goroutineleak profile (Go 1.26+): --leak-profile INTERVAL reads it');
      } catch {
        /* --leak-profile still tries */
      }
    }
    if (this.settings.leakProfileMs === null || now - this.lastLeakReadAt < this.settings.leakProfileMs) return;
    this.lastLeakReadAt = now;
    await this.readLeakProfile(now);
  }

  /** Reads the goroutineleak profile and judges its groups (every goroutine in it leaked). */
  private async readLeakProfile(now: number): Promise<void> {
    let bytes: Buffer | null;
    try {
      bytes = await this.source.leakProfile();
    } catch (err) {
      this.events.note(this, `goroutineleak profile read failed: ${this.scrubber.scrub((err as Error).message)}`);
      return;
    }
    if (bytes === null) {
      if (this.leakProfile !== 'unavailable' || !this.leakProfileMissingNoted) {
        this.events.note(this, 'serves no goroutineleak profile (it needs Go 1.26 with GOEXPERIMENT=goroutineleakprofile, or Go 1.27+): --leak-profile has no effect here');
      }
      this.leakProfileMissingNoted = true;
      this.leakProfile = 'unavailable';
      return;
    }
    this.leakProfile = 'available';
    let read: ReadProfile;
    try {
      read = readProfile(bytes, this.settings.group, { allowEmpty: true });
    } catch (err) {
      this.events.note(this, `goroutineleak profile unreadable: ${this.scrubber.scrub((err as Error).message)}`);
      return;
    }
    const byLeakKey = new Map<string, string>();
    for (const [gid] of this.window.entries()) {
      const info = this.catalog.get(gid);
      if (info) byLeakKey.set(this.catalog.leakKeyOf(info), gid);
    }
    const linked = read.groups.map((group) => {
      const own = this.catalog.of(group, read.format);
      return { group, gid: byLeakKey.get(this.catalog.leakKeyOf(own)) ?? own.gid };
    });
    await this.emit(now, this.alerts.apply(new Set(['leak-profile']), leakProfileConditions(linked.filter((l) => !this.benignByState.has(l.gid))), now), undefined);
  }
}

interface NewSeries {
  reason: string;
  age: ProcessAge | null;
  cmdline: string | null;
}

function mergeChanges(into: AlertChanges, more: AlertChanges): void {
  into.fired.push(...more.fired);
  into.updated.push(...more.updated);
  into.resolved.push(...more.resolved);
}
