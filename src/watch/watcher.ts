// A watch: many targets sampled on their own timers (spread over the interval so they do not all
// fire at once), the targets file followed, retention applied, until --duration ends or the
// caller stops it.
import { unlink } from 'node:fs/promises';
import { GroupCatalog } from './group-info.js';
import type { Scrubber } from './redact.js';
import type { WatchStore } from './store.js';
import type { Target } from './target.js';
import { TargetWatch, type WatchEvents, type WatchSettings } from './target-watch.js';
import { TargetsFile } from './targets-file.js';

export interface WatchPlan {
  targets: Target[];
  targetsFile: string | null;
  durationMs: number | null;
  retentionMs: number;
}

/** How often the targets file is checked for changes. */
const TARGETS_FILE_POLL_MS = 2000;
/** How often retention and downsampling run. */
const RETENTION_EVERY_MS = 10 * 60_000;
/** Sample start delays kept for samplingLag() (the most recent, of all targets). */
const LAG_KEPT = 4096;

/** The p-quantile (0..1) of ascending `sorted` (the value at rank floor(p * n)), 0 when empty. */
export function quantileOfSorted(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** How late samples started after they were planned (a busy event loop, a starved machine). */
export interface SamplingLag {
  samples: number;
  /** Ticks skipped because a sample (or the wait for it) overran its interval. */
  skipped: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

interface Run {
  watch: TargetWatch;
  timer: NodeJS.Timeout | null;
  /** When the current sample was planned; the next is planned an interval later (no drift). */
  planned: number;
  inFlight: Promise<void> | null;
}

export class Watcher {
  readonly startedAt = Date.now();
  endedAt: number | null = null;
  private readonly runs = new Map<string, Run>();
  private readonly catalog = new GroupCatalog();
  private stopping = false;
  private readonly sampleListeners = new Set<(target: TargetWatch) => void>();
  private readonly timers: NodeJS.Timeout[] = [];
  /** [time, ms late] of recent samples, oldest first. */
  private readonly lateness: Array<[number, number]> = [];
  /** Times of skipped ticks, oldest first. */
  private readonly skips: number[] = [];
  private finished!: () => void;
  private readonly done = new Promise<void>((resolve) => {
    this.finished = resolve;
  });

  constructor(
    private readonly plan: WatchPlan,
    private readonly settings: WatchSettings,
    private readonly store: WatchStore,
    private readonly scrubber: Scrubber,
    private readonly events: WatchEvents & { error(message: string): void },
  ) {}

  /** The targets being watched, in the order they were added. */
  targets(): TargetWatch[] {
    return [...this.runs.values()].map((r) => r.watch);
  }

  /** How long the history is kept (--retention): the longest range the dashboard offers. */
  get retentionMs(): number {
    return this.plan.retentionMs;
  }

  /** How late the samples started since `from` (of those still kept: the last 4,096). */
  samplingLag(from: number): SamplingLag {
    const late = this.lateness.filter(([at]) => at >= from).map(([, ms]) => ms);
    late.sort((a, b) => a - b);
    const skipped = this.skips.filter((at) => at >= from).length;
    return { samples: late.length, skipped, p50Ms: quantileOfSorted(late, 0.5), p95Ms: quantileOfSorted(late, 0.95), maxMs: late.length === 0 ? 0 : late[late.length - 1]! };
  }

  /**
   * Calls `listener` after every sample of every target, answered or failed (what `--serve`'s
   * metrics count). Returns the function that removes it. A listener that throws is removed.
   */
  onSampled(listener: (target: TargetWatch) => void): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  /** Whether some target answered at least once. */
  anyReached(): boolean {
    return this.targets().some((t) => t.samples > 0);
  }

  /** Runs until --duration ends or stop() is called. */
  async run(): Promise<void> {
    this.retention();
    this.timers.push(setInterval(() => this.retention(), RETENTION_EVERY_MS));
    this.setTargets(this.plan.targets, true);
    if (this.plan.targetsFile !== null) {
      const file = new TargetsFile(this.plan.targetsFile);
      await this.followTargetsFile(file);
      this.timers.push(setInterval(() => void this.followTargetsFile(file), TARGETS_FILE_POLL_MS));
    }
    if (this.plan.durationMs !== null) this.timers.push(setTimeout(() => void this.stop(), this.plan.durationMs));
    await this.done;
  }

  /** Stops sampling, waits for samples under way, and ends run(). */
  async stop(): Promise<void> {
    if (this.stopping) return this.done;
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    for (const run of this.runs.values()) {
      if (run.timer) clearTimeout(run.timer);
      run.watch.stop();
    }
    await Promise.all([...this.runs.values()].map((r) => r.inFlight));
    this.endedAt = Date.now();
    this.finished();
    return this.done;
  }

  private setTargets(targets: readonly Target[], initial: boolean): void {
    const wanted = new Map(targets.map((t) => [t.name, t]));
    for (const [name, run] of this.runs) {
      if (wanted.has(name)) continue;
      if (run.timer) clearTimeout(run.timer);
      run.watch.stop();
      this.runs.delete(name);
      this.events.note(run.watch, 'no longer in the targets file: not watched any more (its history stays)');
    }
    const added = targets.filter((t) => !this.runs.has(t.name));
    added.forEach((target, i) => {
      const now = Date.now();
      const watch = new TargetWatch(target, this.settings, this.store, this.catalog, this.scrubber, this.events, now);
      // First samples spread over one interval: a thousand targets do not all start at once.
      const offset = Math.floor((this.settings.intervalMs * i) / Math.max(1, added.length));
      const run: Run = { watch, timer: null, planned: now + offset, inFlight: null };
      this.runs.set(target.name, run);
      if (!initial) this.events.note(watch, 'added from the targets file');
      this.schedule(run);
    });
  }

  private schedule(run: Run): void {
    if (this.stopping) return;
    run.timer = setTimeout(() => void this.tick(run), Math.max(0, run.planned - Date.now()));
  }

  private async tick(run: Run): Promise<void> {
    run.timer = null;
    if (this.stopping || !this.runs.has(run.watch.name)) return;
    const started = Date.now();
    this.lateness.push([started, Math.max(0, started - run.planned)]);
    if (this.lateness.length > LAG_KEPT) this.lateness.shift();
    run.inFlight = run.watch.sample(started);
    await run.inFlight;
    run.inFlight = null;
    for (const listener of this.sampleListeners) {
      try {
        listener(run.watch);
      } catch (err) {
        this.sampleListeners.delete(listener);
        this.events.error(`internal error in a sample listener, removed: ${this.scrubber.scrub((err as Error).message)}`);
      }
    }
    const delay = run.watch.nextDelay();
    const now = Date.now();
    // Fixed rate while the target answers; a sample that overran skips the ticks it missed.
    run.planned = run.watch.up ? run.planned + delay : now + delay;
    while (run.planned < now) {
      run.planned += delay;
      this.skips.push(now);
      if (this.skips.length > LAG_KEPT) this.skips.shift();
    }
    this.schedule(run);
  }

  private async followTargetsFile(file: TargetsFile): Promise<void> {
    if (this.stopping) return;
    try {
      const read = await file.readIfChanged();
      if (read === null) return;
      for (const t of read.targets) this.scrubber.add(t.secrets);
      for (const e of read.errors) this.events.error(e);
      this.setTargets([...this.plan.targets, ...read.targets.filter((t) => !this.plan.targets.some((p) => p.name === t.name))], false);
    } catch (err) {
      this.events.error(`cannot read the targets file ${file.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  private retention(): void {
    try {
      const expired = this.store.applyRetention(Date.now(), this.plan.retentionMs);
      for (const file of expired) void unlink(file).catch(() => undefined);
    } catch (err) {
      this.events.error(`retention failed: ${(err as Error).message}`);
    }
  }
}
