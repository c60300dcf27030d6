// The dashboard's snapshots: analysed on a worker thread (snapshot-worker.ts) when the package is
// built, in this thread from a source checkout that is not (tests of the TypeScript sources); kept
// for the few latest asked for (a snapshot never changes). And a sampled group found in one: its
// state, creator and wait times.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../../dump/analyze/index.js';
import type { GroupInfo } from '../group-info.js';
import { stackKey } from '../profile.js';
import type { SnapshotRow } from '../store.js';
import { analyseSnapshotFile, SnapshotUnavailable, type AnalysedGroup, type AnalysedSnapshot } from './snapshot-analysis.js';
import type { SnapshotReply, SnapshotRequest } from './snapshot-worker.js';
import type { WaitBucketJson } from './web/api-types.js';

export { SnapshotUnavailable } from './snapshot-analysis.js';

/** Analysed snapshots kept in memory (the latest of a few targets). */
const KEPT = 8;

export const SNAPSHOT_WORKER = new URL('./snapshot-worker.js', import.meta.url);

export interface ReadSnapshot {
  row: SnapshotRow;
  analysis: AnalysedSnapshot;
}

/** One worker thread, started when first needed, answering one request at a time. */
class AnalysisThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (s: AnalysedSnapshot) => void; reject: (e: Error) => void }>();

  constructor(private readonly url: URL) {}

  analyse(file: string, options: AnalyzeOptions): Promise<AnalysedSnapshot> {
    const worker = this.start();
    const id = this.nextId++;
    // Held while an answer is awaited; when idle it never keeps the process alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, file, options } satisfies SnapshotRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.url);
    worker.on('message', (reply: SnapshotReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.snapshot);
      else p.reject(reply.unavailable ? new SnapshotUnavailable(reply.message) : new Error(reply.message));
    });
    const fail = (err: Error) => {
      // A crash (out of memory on a huge snapshot) fails what was asked; the next request starts a new thread.
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new Error(`the snapshot analysis thread stopped: ${err.message}`));
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(new Error(`exit code ${code}`));
    });
    // Idle, the thread never keeps the process alive (unref after the listeners: adding a
    // 'message' listener refs the worker again).
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

export class SnapshotReader {
  private readonly kept = new Map<number, Promise<ReadSnapshot>>();
  private readonly thread: AnalysisThread | null;

  /** `workerUrl` null: analyse in this thread. */
  constructor(
    private readonly options: AnalyzeOptions,
    workerUrl: URL | null = existsSync(fileURLToPath(SNAPSHOT_WORKER)) ? SNAPSHOT_WORKER : null,
  ) {
    this.thread = workerUrl === null ? null : new AnalysisThread(workerUrl);
  }

  read(row: SnapshotRow): Promise<ReadSnapshot> {
    let read = this.kept.get(row.id);
    if (read === undefined) {
      read = this.load(row);
      // A failed read is not kept: the file may be back (or written completely) next time.
      read.catch(() => this.kept.get(row.id) === read && this.kept.delete(row.id));
      this.kept.set(row.id, read);
      if (this.kept.size > KEPT) this.kept.delete(this.kept.keys().next().value!);
    } else {
      // Most recently used last.
      this.kept.delete(row.id);
      this.kept.set(row.id, read);
    }
    return read;
  }

  private async load(row: SnapshotRow): Promise<ReadSnapshot> {
    const analysis = this.thread ? await this.thread.analyse(row.path, this.options) : analyseSnapshotFile(row.path, this.options);
    return { row, analysis };
  }
}

/**
 * The snapshot's groups that are the sampled group `info`: the same signature for a debug=2 group,
 * else the same frames without the runtime's own (as watch ties snapshots to samples). Largest first.
 */
export function groupsInSnapshot(snapshot: ReadSnapshot, info: GroupInfo): AnalysedGroup[] {
  const groups = snapshot.analysis.groups;
  if (info.format === 'traceback') return groups.filter((g) => g.signature === info.signature);
  const key = stackKey(info.frames);
  return groups.filter((g) => g.stackKey === key).sort((a, b) => b.count - a.count);
}

/** Wait-time buckets, in minutes: what a dump's "N minutes" says about how long goroutines wait. */
const BUCKETS: ReadonlyArray<{ label: string; min: number; max: number | null }> = [
  { label: '1-4 min', min: 1, max: 5 },
  { label: '5-14 min', min: 5, max: 15 },
  { label: '15-59 min', min: 15, max: 60 },
  { label: '1-4 h', min: 60, max: 240 },
  { label: '4-24 h', min: 240, max: 1440 },
  { label: '1 d or more', min: 1440, max: null },
];

/**
 * How long the goroutines of `groups` have waited: counts per bucket, and those that printed no
 * wait time (the runtime prints minutes only once a goroutine has waited at least one).
 */
export function waitDistribution(groups: readonly AnalysedGroup[]): { waits: WaitBucketJson[]; noWait: number } {
  const waits = BUCKETS.map((b) => ({ ...b, count: 0 }));
  let noWait = 0;
  for (const g of groups) {
    for (const [minutes, count] of g.waits) {
      if (minutes === null || minutes < 1) {
        noWait += count;
        continue;
      }
      waits.find((b) => minutes >= b.min && (b.max === null || minutes < b.max))!.count += count;
    }
  }
  return { waits, noWait };
}
