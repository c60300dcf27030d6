// Collects the parsed model: sections, goroutines and skipped lines, with interning so that
// memory grows with the number of distinct frames, not with the input size.

import type { CreatedBy, Dump, DumpFormat, Frame, Goroutine, Section, Skipped } from '../model.js';
import { MergeKeys } from './merge-key.js';
import { packageOf } from './package-name.js';
import type { GoroutineSink } from './sink.js';
import { flat } from './text.js';
import { inferWaitReason } from './wait-inference.js';

/** More skipped entries than this only add noise (and memory, for binary garbage): count them. */
export const MAX_SKIPPED = 10_000;

interface FrameEntry {
  /** Second, independent hash of the key: with the map's key, 64 bits tell frames apart. */
  check: number;
  frame: Frame;
}

/** A traceback frame and a small number naming it, for hashing stacks without touching text. */
export interface TextFrame {
  frame: Frame;
  id: number;
  /** The function line's text from the function name on (own copy). */
  funcKey: string;
}

/**
 * Two 32-bit hashes (FNV-1a and Java's polynomial string hash) of s[start, end),
 * continuing from `into`, which receives the result. Hashing in place keys the frame table
 * without a substring per frame; two distinct printed frames share both hashes with probability
 * about n^2 / 2^65 for n distinct frames, negligible next to a dump's own damage.
 */
function hashSpan(s: string, start: number, end: number, into: Uint32Array): Uint32Array {
  let h1 = into[0]!;
  let h2 = into[1]!;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = (Math.imul(h2, 31) + c) | 0;
  }
  into[0] = h1;
  into[1] = h2;
  return into;
}

/** A fresh hash state for hashSpan(). */
function hashStart(into: Uint32Array): Uint32Array {
  into[0] = 0x811c9dc5;
  into[1] = 0x9747b28c;
  return into;
}

const NO_FRAMES: Frame[] = Object.freeze([]) as unknown as Frame[];
const NO_ANCESTORS: number[] = Object.freeze([]) as unknown as number[];
/** hashSpan()'s state for profileFrame(). */
const HASH = new Uint32Array(2);

/** Frames of one file line kept in a list, compared one by one; more are indexed by function line. */
const MAX_FRAMES_LISTED = 8;

function sameFrames(a: readonly Frame[], b: readonly Frame[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether goroutines that print identically are merged into one record with `count` raised:
 * true always, false never, 'auto' (the default) once a dump passes AUTO_AGGREGATE_AFTER records.
 */
export type AggregateMode = boolean | 'auto';

/**
 * Past half a million goroutine records (about 175 MiB of debug=2 text, 90 MiB of model) the
 * model would keep growing with the input: from there on, identical goroutines share one record,
 * so memory follows the number of distinct stacks and a multi-GiB dump is summarised in a few
 * hundred MiB. Below it every goroutine keeps its own record (and its id in reports). Measured:
 * a 2 GiB dump peaked at 533 MiB of RSS with a threshold of 1,000,000, hence the lower one.
 */
export const AUTO_AGGREGATE_AFTER = 500_000;

export class DumpBuilder {
  readonly goroutines: Goroutine[] = [];
  readonly sections: Section[] = [];
  private readonly skipped: Skipped[] = [];
  private skippedOverflow = 0;
  private readonly strings = new Map<string, string>();
  private readonly frames = new Map<number, FrameEntry | FrameEntry[]>();
  /**
   * Traceback frames keyed by the file line's text, then told apart by the function line's text.
   * V8 hashes and compares string keys natively, several times faster than a JavaScript loop over
   * the characters; the file line ("path:line +0xpc") nearly always names one frame, so the
   * function line is only compared (memcmp speed), never hashed.
   */
  private readonly textFrames = new Map<string, TextFrame | TextFrame[] | Map<string, TextFrame>>();
  private textFrameCount = 0;
  private readonly packages = new Map<string, string>();
  private readonly stacks = new Map<number, Frame[] | Frame[][]>();
  private readonly creators = new Map<Frame, Map<number, CreatedBy>>();
  private total = 0;
  private merging: boolean;
  /** Merge keys of aggregated records -> the record. */
  private readonly merged = new Map<string, Goroutine>();
  private readonly mergeKeys = new MergeKeys();

  /**
   * With a sink, goroutine records go to it instead of the model (build() then has none); sections,
   * totals and skipped entries are still the builder's.
   */
  constructor(
    private readonly aggregate: AggregateMode = 'auto',
    private readonly aggregateAfter = AUTO_AGGREGATE_AFTER,
    private readonly sink: GoroutineSink | null = null,
  ) {
    this.merging = aggregate === true && sink === null;
  }

  /** True once identical goroutines are merged (see AggregateMode). */
  get aggregating(): boolean {
    return this.merging;
  }

  /**
   * Whether frames are told apart without their argument values (each distinct frame keeps the
   * first goroutine's arguments): when aggregating, and with a sink, which only groups (groups
   * and merge keys never look at arguments). Keeps memory following the distinct call sites.
   */
  get framesWithoutArgs(): boolean {
    return this.merging || this.sink !== null;
  }

  /** Returns one shared copy of `s`. */
  intern(s: string): string {
    let v = this.strings.get(s);
    if (v === undefined) {
      v = flat(s);
      this.strings.set(v, v);
    }
    return v;
  }

  packageOf(func: string): string {
    let p = this.packages.get(func);
    if (p === undefined) {
      p = this.intern(packageOf(func));
      this.packages.set(func, p);
    }
    return p;
  }

  /**
   * The frame of a pprof record (debug=1 or protobuf) printed as `key`: one shared Frame per
   * distinct key, hashed in place (see hashSpan()); a hit allocates nothing.
   */
  profileFrame(key: string, raw: Omit<Frame, 'package'>): Frame {
    const hash = hashSpan(key, 0, key.length, hashStart(HASH));
    return this.lookupFrame(hash) ?? this.addFrame(hash, raw);
  }

  /**
   * A pprof record as a goroutine: no ID, header or creator; the wait reason inferred from its
   * frames, since neither format prints one.
   */
  profileRecord(frames: Frame[], labels: Record<string, string>, leaked: boolean, count: number, line: number, section: number): Goroutine {
    const reason = this.intern(inferWaitReason(frames));
    return {
      id: null,
      state: reason,
      waitReason: reason,
      waitMinutes: null,
      lockedToThread: false,
      leaked,
      durable: false,
      bubble: null,
      labels,
      frames,
      elidedFrames: null,
      createdBy: null,
      ancestors: NO_ANCESTORS,
      count,
      line,
      section,
    };
  }

  private lookupFrame(hash: Uint32Array): Frame | undefined {
    const e = this.frames.get(hash[0]!);
    if (e === undefined) return undefined;
    const check = hash[1]!;
    if (!Array.isArray(e)) return e.check === check ? e.frame : undefined;
    for (const c of e) if (c.check === check) return c.frame;
    return undefined;
  }

  private addFrame(hash: Uint32Array, raw: Omit<Frame, 'package'>): Frame {
    const frame = this.newFrame(raw);
    const entry: FrameEntry = { check: hash[1]!, frame };
    const key = hash[0]!;
    const e = this.frames.get(key);
    if (e === undefined) this.frames.set(key, entry);
    else if (Array.isArray(e)) e.push(entry);
    else this.frames.set(key, [e, entry]);
    return frame;
  }

  /** A frame with its names interned and its arguments copied off the input. */
  private newFrame(raw: Omit<Frame, 'package'>): Frame {
    const func = this.intern(raw.func);
    return {
      func,
      package: this.packageOf(func),
      file: this.intern(raw.file),
      line: raw.line,
      offset: raw.offset,
      inlined: raw.inlined,
      args: raw.args.length === 0 ? '' : flat(raw.args),
    };
  }

  /** The frame printed as `funcKey` (function line from its name) and `fileKey` (file line, no fp=). */
  lookupTextFrame(funcKey: string, fileKey: string): TextFrame | undefined {
    const e = this.textFrames.get(fileKey);
    if (e === undefined) return undefined;
    if (e instanceof Map) return e.get(funcKey);
    if (!Array.isArray(e)) return e.funcKey === funcKey ? e : undefined;
    for (const c of e) if (c.funcKey === funcKey) return c;
    return undefined;
  }

  addTextFrame(funcKey: string, fileKey: string, raw: Omit<Frame, 'package'>): TextFrame {
    const frame = this.newFrame(raw);
    // Keys are slices of input chunks: copy them so that the chunk can be collected.
    const entry: TextFrame = { frame, id: ++this.textFrameCount, funcKey: flat(funcKey) };
    const e = this.textFrames.get(fileKey);
    if (e === undefined) this.textFrames.set(flat(fileKey), entry);
    else if (e instanceof Map) e.set(entry.funcKey, entry);
    else if (!Array.isArray(e)) this.textFrames.set(fileKey, [e, entry]);
    else if (e.length < MAX_FRAMES_LISTED) e.push(entry);
    else {
      // One call site printed with many argument values: index them, or every lookup scans them all.
      const byFunc = new Map<string, TextFrame>();
      for (const c of e) byFunc.set(c.funcKey, c);
      byFunc.set(entry.funcKey, entry);
      this.textFrames.set(fileKey, byFunc);
    }
    return entry;
  }

  /**
   * The stack array for a goroutine: goroutines with the same frames (by identity) share one
   * array. `frames` is the parser's scratch array; it is copied when new, never kept.
   */
  shareStack(frames: Frame[], hash: number): Frame[] {
    if (frames.length === 0) return NO_FRAMES;
    const e = this.stacks.get(hash);
    if (e !== undefined) {
      if (!Array.isArray(e[0])) {
        if (sameFrames(e as Frame[], frames)) return e as Frame[];
      } else {
        for (const c of e as Frame[][]) if (sameFrames(c, frames)) return c;
      }
    }
    const copy = frames.slice();
    if (e === undefined) this.stacks.set(hash, copy);
    else if (!Array.isArray(e[0])) this.stacks.set(hash, [e as Frame[], copy]);
    else (e as Frame[][]).push(copy);
    return copy;
  }

  /** "created by" records are shared per (call site, creator goroutine). */
  createdByAt(site: Frame, creatorId: number | null): CreatedBy {
    let byId = this.creators.get(site);
    if (byId === undefined) {
      byId = new Map();
      this.creators.set(site, byId);
    }
    // Aggregated records keep their first member's creator: caching one object per creator ID
    // would grow with the input again (so would it for a sink, which does not keep them).
    if (this.merging || this.sink !== null) return { func: site.func, package: site.package, file: site.file, line: site.line, creatorId };
    const key = creatorId ?? -1;
    let c = byId.get(key);
    if (c === undefined) {
      c = { func: site.func, package: site.package, file: site.file, line: site.line, creatorId };
      byId.set(key, c);
    }
    return c;
  }

  createdBy(func: string, file: string, line: number, creatorId: number | null): CreatedBy {
    const f = this.intern(func);
    return { func: f, package: this.packageOf(f), file: this.intern(file), line, creatorId };
  }

  openSection(format: DumpFormat, line: number, origin: string | null, declaredTotal: number | null): number {
    this.sections.push({
      format,
      goroutines: 0,
      line,
      declaredTotal,
      origin: origin === null ? null : flat(origin),
    });
    return this.sections.length - 1;
  }

  addGoroutine(g: Goroutine): void {
    const s = this.sections[g.section];
    if (s) s.goroutines += g.count;
    this.total += g.count;
    if (this.sink !== null) {
      this.sink.add(g);
      return;
    }
    if (this.merging) {
      this.mergeInto(this.goroutines, g);
      return;
    }
    this.goroutines.push(g);
    if (this.aggregate === 'auto' && this.goroutines.length > this.aggregateAfter) this.startAggregating();
  }

  /** Counts a goroutine of `section` that was handed to the sink directly (GoroutineSink.addRepeat). */
  countRepeat(section: number): void {
    this.sections[section]!.goroutines++;
    this.total++;
  }

  /** Merges the records so far, in order of first appearance, and merges every later one. */
  private startAggregating(): void {
    this.merging = true;
    this.creators.clear();
    const all = this.goroutines.splice(0);
    for (const g of all) this.mergeInto(this.goroutines, g);
    // Caches that point at the merged-away goroutines' frames: from here on frames are keyed
    // without argument values and refill with far fewer entries.
    this.mergeKeys.forgetStacks();
    this.stacks.clear();
    this.textFrames.clear();
  }

  /**
   * Adds `g` to an existing record with the same stack (shared array), state, wait, flags, labels,
   * creator site and section, or as a new record. The record keeps its first member's id, line
   * and creator ID. Goroutines with ancestors are kept apart: the ancestor IDs are the point.
   */
  private mergeInto(out: Goroutine[], g: Goroutine): void {
    if (g.ancestors.length > 0) {
      out.push(g);
      return;
    }
    const key = this.mergeKeys.keyOf(g);
    const m = this.merged.get(key);
    if (m !== undefined) {
      m.count += g.count;
      return;
    }
    this.merged.set(key, g);
    out.push(g);
  }

  /** Entries recorded by skip() so far, counted ones included. */
  get skipCount(): number {
    return this.skipped.length + this.skippedOverflow;
  }

  skip(line: number, reason: string): void {
    if (this.skipped.length < MAX_SKIPPED) this.skipped.push({ line, reason: flat(reason) });
    else this.skippedOverflow++;
  }

  build(): Dump {
    const skipped = this.skipped.slice();
    if (this.skippedOverflow > 0) {
      skipped.push({ line: 0, reason: `${this.skippedOverflow} more skipped entries not recorded` });
    }
    return { total: this.total, goroutines: this.goroutines, sections: this.sections, skipped };
  }
}

/** A short quote of an offending line for a skipped entry. */
export function quote(line: string): string {
  return JSON.stringify(line.length > 80 ? line.slice(0, 80) + '…' : line);
}
