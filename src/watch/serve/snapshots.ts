// The dashboard's reading of snapshot files: a snapshot (gzipped debug=2 text) analysed with the
// dump library as `goroscope dump FILE` would, kept for the few latest asked for (a snapshot never
// changes), and a sampled group found in it: its state, creator and wait times.
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { analyzeDump, type AnalyzeOptions, type DumpAnalysis, type GoroutineGroup } from '../../dump/analyze/index.js';
import { parseDump } from '../../dump/parse/index.js';
import type { GroupInfo } from '../group-info.js';
import { stackKey } from '../profile.js';
import type { SnapshotRow } from '../store.js';
import type { WaitBucketJson } from './web/api-types.js';

const gunzipAsync = promisify(gunzip);

/** Analysed snapshots kept in memory (the latest of a few targets). */
const KEPT = 8;

export interface ReadSnapshot {
  row: SnapshotRow;
  analysis: DumpAnalysis;
  /** Groups by the stack key that ties them to sampled debug=1 groups. */
  byStack: Map<string, GoroutineGroup[]>;
}

/** A snapshot file that cannot be read (gone after retention, unreadable, not a dump). */
export class SnapshotUnavailable extends Error {}

export class SnapshotReader {
  private readonly kept = new Map<number, Promise<ReadSnapshot>>();

  constructor(private readonly options: AnalyzeOptions) {}

  read(row: SnapshotRow): Promise<ReadSnapshot> {
    let read = this.kept.get(row.id);
    if (read === undefined) {
      read = this.load(row);
      // A failed read is not kept: the file may be back (or written completely) next time.
      read.catch(() => this.kept.delete(row.id));
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
    let text: Buffer;
    try {
      const bytes = await readFile(row.path);
      text = row.path.endsWith('.gz') ? await gunzipAsync(bytes) : bytes;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new SnapshotUnavailable(code === 'ENOENT' ? 'the snapshot file is gone (removed after --retention, or by hand)' : `the snapshot file cannot be read: ${code ?? (err as Error).message}`);
    }
    const analysis = analyzeDump(parseDump(text), this.options);
    const byStack = new Map<string, GoroutineGroup[]>();
    for (const g of analysis.groups) {
      const key = stackKey(g.frames);
      const list = byStack.get(key);
      if (list) list.push(g);
      else byStack.set(key, [g]);
    }
    return { row, analysis, byStack };
  }
}

/**
 * The snapshot's groups that are the sampled group `info`: the same signature for a debug=2 group,
 * else the same frames without the runtime's own (as watch ties snapshots to samples). Largest first.
 */
export function groupsInSnapshot(snapshot: ReadSnapshot, info: GroupInfo): GoroutineGroup[] {
  if (info.format === 'traceback') return snapshot.analysis.groups.filter((g) => g.signature === info.signature);
  const found = snapshot.byStack.get(stackKey(info.frames)) ?? [];
  return [...found].sort((a, b) => b.count - a.count);
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
export function waitDistribution(groups: readonly GoroutineGroup[]): { waits: WaitBucketJson[]; noWait: number } {
  const waits = BUCKETS.map((b) => ({ ...b, count: 0 }));
  let noWait = 0;
  for (const g of groups) {
    for (const m of g.members) {
      if (m.waitMinutes === null || m.waitMinutes < 1) {
        noWait += m.count;
        continue;
      }
      const bucket = waits.find((b) => m.waitMinutes! >= b.min && (b.max === null || m.waitMinutes! < b.max))!;
      bucket.count += m.count;
    }
  }
  return { waits, noWait };
}
