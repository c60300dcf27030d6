// A snapshot file analysed for the dashboard: read, gunzipped and analysed with the dump library as
// `goroscope dump FILE` would, then reduced to what the views show (groups without their members,
// each with its wait times counted and the key that ties it to sampled groups). It runs on a worker
// thread (snapshot-worker.ts): a snapshot of 100,000 goroutines takes the dump library a second or
// more, which must not hold up the watch's sampling.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { analyzeDump, type AnalyzeOptions } from '../../dump/analyze/index.js';
import { parseDump } from '../../dump/parse/index.js';
import { groupToJson } from '../../dump/report/json.js';
import { stackKey } from '../profile.js';
import type { SnapshotGroupJson } from './web/api-types.js';

export interface AnalysedGroup extends SnapshotGroupJson {
  signature: string;
  /** stackKey of its frames: how watch ties a debug=2 group to a sampled debug=1 group. */
  stackKey: string;
  /** [wait minutes (null: none printed), goroutines], one entry per distinct wait. */
  waits: Array<[number | null, number]>;
}

export interface AnalysedSnapshot {
  goroutines: number;
  suspects: { definite: number; likely: number };
  /** Ranked as `goroscope dump` ranks them: suspects first. */
  groups: AnalysedGroup[];
}

/** Why a snapshot cannot be shown (its file is gone or unreadable); the message says which. */
export class SnapshotUnavailable extends Error {}

export function analyseSnapshotFile(file: string, options: AnalyzeOptions): AnalysedSnapshot {
  let text: Buffer;
  try {
    const bytes = readFileSync(file);
    text = file.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotUnavailable(code === 'ENOENT' ? 'the snapshot file is gone (removed after --retention, or by hand)' : `the snapshot file cannot be read: ${code ?? (err as Error).message}`);
  }
  const a = analyzeDump(parseDump(text), options);
  return {
    goroutines: a.groups.reduce((s, g) => s + g.count, 0),
    suspects: a.suspects,
    groups: a.groups.map((g) => {
      const waits = new Map<number | null, number>();
      for (const m of g.members) waits.set(m.waitMinutes, (waits.get(m.waitMinutes) ?? 0) + m.count);
      // As `dump --format json` prints the group, without its goroutine IDs (a view needs none).
      const { ids: _ids, ...json } = groupToJson(g);
      return { ...json, signature: g.signature, stackKey: stackKey(g.frames), waits: [...waits] };
    }),
  };
}
