// What two dumps can be compared by. The formats print different things about the same
// goroutines: a traceback has a state, an ID and a creator for each goroutine; pprof debug=1 and
// debug=0 have one record per stack with a count and labels, no state and no creator; debug=1 hides
// the runtime frames on top of a stack, debug=0 shows every frame, a default traceback hides runtime
// frames everywhere (GOTRACEBACK=system shows them); the goroutineleak profile in pprof form lists
// only the goroutines the runtime found leaked. Two dumps alike are compared by the full group
// signature. Otherwise they are compared by a stack signature made of what both print (function,
// file name and line of each frame outside the runtime, plus state, creator and labels when both
// have them), or refused when one lists only leaked goroutines and the other cannot say which of
// its goroutines leaked.
import { LEAK_PROFILE_ORIGIN, type Dump, type Goroutine } from '../model.js';
import type { GoroutineGroup } from './group.js';
import { labelsKey } from './identity.js';
import type { FrameRef } from './packages.js';
import { hasDumpWriterFrame } from './idle.js';

export interface Comparison {
  /**
   * 'group': the group signature (state, frames, creator, labels, leak mark); 'stack': the stack
   * signature both dumps have (see the module comment).
   */
  by: 'group' | 'stack';
  /** Why, in a sentence for people. */
  reason: string;
  /** What one of the dumps lacks, left out of the stack signature: 'state', 'creator', 'labels', 'leak mark'. */
  leftOut: string[];
  /** One dump is a goroutineleak profile: only the other's goroutines marked leaked were compared. */
  leakedOnly: boolean;
}

/** Two dumps that share nothing to compare by; the message says why and what to do. */
export class IncomparableDumpsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncomparableDumpsError';
  }
}

interface Traits {
  /** The section formats, sorted and joined ("" for a dump without sections). */
  formats: string;
  /** Every section is traceback text: every goroutine has its state and creator. */
  tracebackOnly: boolean;
  labels: boolean;
  leakMarks: boolean;
  /** Every section is a goroutineleak profile in pprof form: only leaked goroutines are listed. */
  leakProfile: boolean;
  /** Runtime frames are printed (debug=0, GOTRACEBACK=system): runtime.goexit ends most stacks. */
  runtimeFrames: boolean;
}

function traitsOf(d: Dump): Traits {
  const formats = [...new Set(d.sections.map((s) => s.format))].sort();
  const some = (p: (g: Goroutine) => boolean) => d.goroutines.some(p);
  return {
    formats: formats.join(','),
    tracebackOnly: formats.length === 1 && formats[0] === 'traceback',
    labels: some((g) => hasLabels(g.labels)),
    leakMarks: some((g) => g.leaked),
    leakProfile: d.sections.length > 0 && d.sections.every((s) => s.origin === LEAK_PROFILE_ORIGIN),
    runtimeFrames: 2 * count(d, endsInGoexit) > d.goroutines.length,
  };
}

function count(d: Dump, p: (g: Goroutine) => boolean): number {
  let n = 0;
  for (const g of d.goroutines) if (p(g)) n++;
  return n;
}

function endsInGoexit(g: Goroutine): boolean {
  return g.frames.length > 0 && g.frames[g.frames.length - 1]!.func === 'runtime.goexit';
}

function hasLabels(labels: Record<string, string>): boolean {
  for (const _k in labels) return true;
  return false;
}

function describe(t: Traits): string {
  if (t.leakProfile) return 'a goroutineleak profile';
  return t.formats === '' ? 'empty' : t.formats;
}

/** How BEFORE and AFTER are compared; throws IncomparableDumpsError when they cannot be. */
export function planComparison(before: Dump, after: Dump): Comparison {
  const a = traitsOf(before);
  const b = traitsOf(after);
  let leakedOnly = false;
  if (a.leakProfile !== b.leakProfile) {
    const [profile, other, full] = a.leakProfile ? ['BEFORE', 'AFTER', b] : ['AFTER', 'BEFORE', a];
    if (!full.leakMarks && (a.leakProfile ? after : before).total > 0) {
      throw new IncomparableDumpsError(
        `${profile} is a goroutineleak profile, which lists only the goroutines the runtime found leaked, and ${other} ` +
          `(${describe(full)}) marks none as leaked, so nothing tells which of its goroutines to compare: take both dumps ` +
          'from /debug/pprof/goroutineleak (any debug=), or both from /debug/pprof/goroutine',
      );
    }
    leakedOnly = true;
  }
  const alike = a.formats === b.formats && !a.formats.includes(',') && a.leakMarks === b.leakMarks && a.runtimeFrames === b.runtimeFrames;
  if (!leakedOnly && (alike || a.formats === '' || b.formats === '')) {
    return { by: 'group', reason: 'both dumps print the same things: compared by group signature', leftOut: [], leakedOnly: false };
  }
  const leftOut: string[] = [];
  if (!(a.tracebackOnly && b.tracebackOnly)) leftOut.push('state', 'creator');
  if (a.labels !== b.labels) leftOut.push('labels'); // (when neither has labels, leaving them in changes nothing)
  if (a.leakMarks !== b.leakMarks || leakedOnly) leftOut.push('leak mark');
  const what = `BEFORE is ${describe(a)}, AFTER is ${describe(b)}`;
  const subset = leakedOnly ? `; only the goroutines marked leaked in ${a.leakProfile ? 'AFTER' : 'BEFORE'} are compared` : '';
  return {
    by: 'stack',
    reason: `${what}: compared by the function, file name and line of each frame outside the runtime${leftOut.length ? `; left out as one dump lacks it: ${leftOut.join(', ')}` : ''}${subset}`,
    leftOut,
    leakedOnly,
  };
}

/** The dump restricted to what the comparison looks at. */
export function comparedPart(d: Dump, c: Comparison): Dump {
  if (c.by === 'group') return d;
  // The goroutine writing the dump exists because the dump was taken, and its stack differs with
  // the format asked for (debug=1 and debug=2 are written by different functions).
  // A goroutine with no frame outside the runtime (a pprof record of runtime frames only, or none)
  // is the runtime's: tracebacks do not show what to compare it with.
  const keep = (g: Goroutine) => (!c.leakedOnly || g.leaked) && !hasDumpWriterFrame(g) && g.frames.some(comparable);
  const goroutines = d.goroutines.filter(keep);
  return goroutines.length === d.goroutines.length ? d : { ...d, goroutines, total: goroutines.reduce((n, g) => n + g.count, 0) };
}

/** Frames neither format hides: not the runtime's own (hidden by tracebacks) nor generated wrappers. */
function comparable(f: { func: string; file: string }): boolean {
  return !f.func.startsWith('runtime.') && !f.func.startsWith('internal/runtime/') && f.file !== '<autogenerated>';
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/**
 * Stacks longer than this keep only their innermost frames in the stack signature when some stack
 * of either dump was cut short; never fewer (every real cut leaves more).
 */
const MIN_KEPT_FRAMES = 24;
/** Tracebacks print the innermost 50 frames of a deep stack before "...N frames elided...". */
const TRACEBACK_INNER_FRAMES = 50;

/**
 * How many innermost frames the stack signature keeps. Deep stacks are cut differently by each
 * format: a traceback prints the innermost 50 and the outermost 50 frames, pprof keeps the innermost
 * 32 (Go up to 1.22) or 128 program counters. Only the innermost frames both kept can be compared.
 */
function keptFrames(dumps: Dump[], atCreator: boolean): number {
  let kept = Infinity;
  for (const d of dumps) {
    for (const g of d.goroutines) {
      const n = comparableFrames(g.frames, g.createdBy, atCreator).length;
      const traceback = d.sections[g.section]?.format === 'traceback';
      if (traceback && g.elidedFrames !== null) kept = Math.min(kept, TRACEBACK_INNER_FRAMES, n);
      // A pprof stack as deep as the profile's cut (and, with runtime frames, not ending in
      // runtime.goexit) may have lost its outer frames.
      else if (!traceback && n >= MIN_KEPT_FRAMES && !endsInGoexit(g)) kept = Math.min(kept, n);
    }
  }
  return Math.max(kept, MIN_KEPT_FRAMES);
}



/** The keys the groups of BEFORE and AFTER are compared by, in the order of the groups given. */
export interface ComparisonKeys {
  before: string[];
  after: string[];
}

/**
 * The key of each group of BEFORE (`a`, from the dump `before`) and AFTER: its signature, or its
 * stack signature (see planComparison()).
 */
export function comparisonKeys(c: Comparison, before: Dump, after: Dump, a: readonly GoroutineGroup[], b: readonly GoroutineGroup[]): ComparisonKeys {
  if (c.by === 'group') return { before: a.map((g) => g.signature), after: b.map((g) => g.signature) };
  const withState = !c.leftOut.includes('state');
  const withCreator = !c.leftOut.includes('creator');
  const withLabels = !c.leftOut.includes('labels');
  const kept = keptFrames([before, after], withCreator);
  /** The group's key, and its key without an outermost frame that may be a go statement's wrapper. */
  const variants = (g: GoroutineGroup): string[] => {
    const parts: string[] = [];
    if (withState) parts.push(g.state);
    if (withCreator) parts.push(g.createdBy ? `${g.createdBy.func} ${baseName(g.createdBy.file)}:${g.createdBy.line}` : '-');
    if (withLabels) parts.push(labelsKey(g.labels));
    const frames = comparableFrames(g.frames, g.createdBy, withCreator);
    const key = (n: number) => [...parts, ...frames.slice(0, Math.min(n, kept)).map(frameText)].join('\u0001');
    return mayBeGoWrapper(g.frames, frames, g.createdBy) ? [key(frames.length), key(frames.length - 1)] : [key(frames.length)];
  };
  const va = a.map(variants);
  const vb = b.map(variants);
  // Only a traceback that prints runtime frames has the ambiguous frame, and only one dump is a
  // traceback when creators are left out: the other dump's keys decide which variant it matches.
  const pick = (mine: string[][], theirs: string[][]): string[] => {
    const known = new Set(theirs.map((v) => v[0]!));
    return mine.map((v) => (v.length > 1 && !known.has(v[0]!) && known.has(v[1]!) ? v[1]! : v[0]!));
  };
  return { before: pick(va, vb), after: pick(vb, va) };
}

function frameText(f: FrameRef): string {
  return `${shapeless(f.func)} ${baseName(f.file)}:${f.line}`;
}

/**
 * The frames both dumps print, innermost first: not the runtime's own, not generated wrappers.
 * The function that runs a go statement's call is printed only with the runtime frames
 * (GOTRACEBACK=system): from Go 1.22 it is "F.gowrapN", dropped always; before, an "F.funcN" at the
 * go statement's line, which a one-line `go func() { ... }()` also is: dropped when both dumps have
 * creators (`atCreator`), which then drop it alike; otherwise see mayBeGoWrapper().
 */
function comparableFrames(frames: readonly FrameRef[], createdBy: FrameRef | null, atCreator: boolean): FrameRef[] {
  const kept = frames.filter(comparable);
  const outer = kept[kept.length - 1];
  if (outer !== undefined && kept.length > 1 && (/\.gowrap\d+$/.test(outer.func) || (atCreator && atGoStatement(outer, createdBy)))) kept.pop();
  return kept;
}

/** An "F.funcN" frame at the go statement that created the goroutine. */
function atGoStatement(f: FrameRef, createdBy: FrameRef | null): boolean {
  return createdBy !== null && /\.func\d+$/.test(f.func) && f.line === createdBy.line && f.file === createdBy.file;
}

/** Whether the outermost of `kept` (from `frames`) may be a Go 1.21-or-older go statement wrapper. */
function mayBeGoWrapper(frames: readonly FrameRef[], kept: readonly FrameRef[], createdBy: FrameRef | null): boolean {
  return kept.length > 1 && frames[frames.length - 1]!.func === 'runtime.goexit' && atGoStatement(kept[kept.length - 1]!, createdBy);
}

/**
 * A generic function's name without its type arguments: tracebacks print "F[...]", pprof prints
 * the shapes ("F[go.shape.int]").
 */
function shapeless(func: string): string {
  if (!func.includes('[')) return func;
  let out = '';
  let depth = 0;
  for (const c of func) {
    if (c === '[') {
      if (depth++ === 0) out += '[...]';
    } else if (c === ']') {
      if (depth > 0) depth--;
    } else if (depth === 0) {
      out += c;
    }
  }
  return out;
}
