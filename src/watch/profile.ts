// One goroutine profile read from a target, grouped with the dump library: the same parser and the
// same group signatures as `goroscope dump`, so a group keeps its identity across samples, restarts
// of the target or of goroscope, and dump/diff output.
import { createHash } from 'node:crypto';
import { groupGoroutines, type GoroutineGroup, type GroupOptions } from '../dump/analyze/index.js';
import { labelsKey } from '../dump/analyze/identity.js';
import type { FrameRef } from '../dump/analyze/packages.js';
import type { DumpFormat } from '../dump/model.js';
import { parseDump } from '../dump/parse/index.js';

export interface ReadProfile {
  /** The format of the answer, as the parser recognised it. */
  format: DumpFormat;
  total: number;
  groups: GoroutineGroup[];
}

/** An answer that is not a usable goroutine profile; the message says what it is instead. */
export class ProfileError extends Error {
  override name = 'ProfileError';
}

export interface ReadOptions {
  /** A profile that lists no goroutine is fine (the goroutineleak profile when nothing leaked). */
  allowEmpty?: boolean;
}

/** Parses and groups a profile (debug=1, debug=0 or debug=2 text); throws ProfileError. */
export function readProfile(bytes: Buffer, options: GroupOptions, read: ReadOptions = {}): ReadProfile {
  if (bytes.length === 0) throw new ProfileError('empty answer');
  const start = bytes.subarray(0, 512).toString('latin1').trimStart();
  if (start.startsWith('<')) throw new ProfileError('the answer is an HTML page, not a goroutine profile');
  const dump = parseDump(bytes);
  const first = dump.sections[0];
  if (first !== undefined && dump.total === 0 && read.allowEmpty) return { format: first.format, total: 0, groups: [] };
  if (first === undefined || dump.total === 0) {
    const why = dump.skipped[0] ? `: ${dump.skipped[0].reason}` : '';
    throw new ProfileError(`no goroutine profile in the answer${why}`);
  }
  for (const s of dump.sections) {
    if (s.declaredTotal !== null && s.declaredTotal !== s.goroutines) {
      throw new ProfileError(`profile cut short: it declares ${s.declaredTotal} goroutines and holds ${s.goroutines}`);
    }
  }
  return { format: first.format, total: dump.total, groups: groupGoroutines(dump.goroutines, options) };
}

/** A short stable ID of a group signature (the same signature gives the same ID everywhere). */
export function groupId(signature: string): string {
  return createHash('sha256').update(signature).digest('hex').slice(0, 16);
}

/**
 * The frames of a group without the runtime's own, which debug=1 and debug=2 text print alike: it
 * links a debug=2 snapshot's groups (which also carry state and creator) to a debug=1 sample's.
 */
export function stackKey(frames: readonly FrameRef[]): string {
  let key = '';
  for (const f of frames) if (!f.func.startsWith('runtime.')) key += `${f.func} ${f.file}:${f.line}\n`;
  return key;
}

/** stackKey plus the pprof labels: links the goroutineleak profile's groups to the sample's. */
export function labelledStackKey(frames: readonly FrameRef[], labels: Record<string, string>): string {
  return `${stackKey(frames)}${labelsKey(labels)}`;
}
