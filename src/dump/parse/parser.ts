// The incremental text parser: splits chunks into lines and runs a small state machine over them
// (header -> function line -> file line -> ... -> created by -> blank), switching to the pprof
// debug=1 grammar at "goroutine profile: total N", or at a debug=1 record pasted without that line
// once a frame line confirms it. Unrelated text around dumps is ignored; what looks like a goroutine
// but does not parse is recorded in Dump.skipped.

import { LEAK_PROFILE_ORIGIN, type Dump, type Frame, type Goroutine } from '../model.js';
import { BlockReader, type BlockHost, type CleanRead, type RepeatedBlock } from './block-reader.js';
import type { BlockShape } from './block-shape.js';
import { DumpBuilder, quote, type AggregateMode, type TextFrame } from './builder.js';
import { Debug1Record, isStrictRecordHeader } from './debug1.js';
import { callOpenParen, parseFileLine, parseFuncLine } from './frame-line.js';
import { HeaderRests, looksLikeHeader, type HeaderRest } from './header.js';
import { detectMarker } from './markers.js';
import { LinePrefix } from './prefix.js';
import type { GoroutineSink } from './sink.js';
import { isDigit, isSpaceOrTab, skipSpacesAndTabs, toInt } from './text.js';

/** Content beyond this many characters of one line is ignored (and recorded). */
export const MAX_LINE = 64 * 1024;
/** How far into a line a log prefix may push a header. */
const MAX_HEADER_OFFSET = 256;

const OUTSIDE = 0; // between goroutines or in unrelated text
const FUNC = 1; // in a goroutine, expecting a function line (or created by, elision, blank)
const FILE = 2; // after a function line, expecting its file line
const CREATED_FILE = 3; // after "created by", expecting its file line
const ANCESTOR = 4; // in a "[originating from goroutine N]:" block: frames not kept
const SKIP_REST = 5; // after a malformed line: ignore the rest of this goroutine
const DEBUG1 = 6; // in a pprof debug=1 section
const DEBUG1_CANDIDATE = 7; // after a debug=1 record header with no section: a frame line must confirm it

/** A goroutine's frames until its stack is read (closeGoroutine() sets them). */
const NO_FRAMES: Frame[] = Object.freeze([]) as unknown as Frame[];
const NO_ANCESTORS: number[] = Object.freeze([]) as unknown as number[];

export interface ParseOptions {
  /**
   * Merge identical goroutines into one record with `count` raised (see AggregateMode): true,
   * false, or 'auto' (default), which starts merging past AUTO_AGGREGATE_AFTER (500,000)
   * records so that huge dumps are summarised in memory that follows the distinct stacks.
   */
  aggregate?: AggregateMode;
  /** The 'auto' threshold in goroutine records (default AUTO_AGGREGATE_AFTER). */
  aggregateAfter?: number;
  /**
   * Read a goroutine whose stack repeats one read before (up to argument values) whole, by its
   * skeleton (block-reader.ts), instead of line by line. Default true; false is for tests that
   * compare the two ways.
   */
  wholeBlocks?: boolean;
  /**
   * Hand goroutines to this sink instead of keeping them in the model (Dump.goroutines is then
   * empty; sections, total and skipped are filled as usual). Aggregation is left to the sink.
   */
  sink?: GoroutineSink;
}

export class DumpParser {
  private readonly b: DumpBuilder;

  constructor(options: ParseOptions = {}) {
    this.sink = options.sink ?? null;
    this.b = new DumpBuilder(options.aggregate ?? 'auto', options.aggregateAfter, this.sink);
    this.blocks = options.wholeBlocks === false ? null : new BlockReader(this.blockHost(), this.headerRests);
  }

  private readonly sink: GoroutineSink | null;
  /** Headers parsed once per text after the goroutine ID. */
  private readonly headerRests = new HeaderRests();
  /** Reads goroutines whose stack was read before whole (block-reader.ts); null when disabled. */
  private readonly blocks: BlockReader | null;
  /** Goroutines closed so far, the last one and the line it was closed at: how readLines() checks a read. */
  private closedCount = 0;
  private lastClosed: Goroutine | null = null;
  private closedAtLine = 0;
  /** The "created by" call site of the goroutine being read, when it has one. */
  private creatorSite: Frame | null = null;

  private readonly prefix = new LinePrefix();
  private carry = '';
  private carryTruncated = false;
  private lineNo = 0;
  private state = OUTSIDE;
  private section = -1;
  /** Origin of the next section, set by a "panic:"/"fatal error:"/"SIGQUIT:" line; undefined when none. */
  private pendingOrigin: string | undefined = undefined;
  /** Unrelated text since the last goroutine: the next goroutine starts a new section. */
  private runBroken = false;

  private cur: Goroutine | null = null;
  /** Frames of the goroutine being read (scratch) and a hash of their identities. */
  private frames: Frame[] = [];
  private stackHash = 0;
  private stackUnavailable = false;
  /** The pending function line (state FILE): its text and where its content starts. */
  private funcLineText = '';
  private funcAt = 0;
  /** Where the pending function line's arguments open. */
  private funcOpen = 0;
  private funcLineNo = 0;
  /** The pending "created by" line (state CREATED_FILE), where its function starts and ends. */
  private createdLine = '';
  private createdAt = 0;
  private createdNameEnd = 0;
  private createdId: number | null = null;
  private createdLineNo = 0;

  private d1: Debug1Record | null = null;
  private d1Leak = false;
  /**
   * Whether the debug=1 section being read had no "goroutine profile: total N" line (a pasted
   * fragment): its records then need the strict header and a frame line to count.
   */
  private d1Headerless = false;
  /** A record header seen outside any section (state DEBUG1_CANDIDATE), its line and prefix. */
  private candidate: Debug1Record | null = null;
  private candidateLine = '';
  private candidateAt = 0;
  private readonly candidatePrefix = new LinePrefix();
  private ended: Dump | null = null;

  /** Feeds decoded text; chunks may split lines (and CRLF pairs) anywhere. */
  push(chunk: string): void {
    if (this.ended || chunk.length === 0) return;
    let start = 0;
    if (this.carry.length > 0 || this.carryTruncated) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) {
        this.appendCarry(chunk);
        return;
      }
      this.appendCarry(chunk.slice(0, nl));
      const line = this.carry;
      const truncated = this.carryTruncated;
      this.carry = '';
      this.carryTruncated = false;
      this.emit(line, truncated);
      start = nl + 1;
    }
    for (;;) {
      if (this.state === OUTSIDE && this.blocks !== null && chunk.charCodeAt(start) === 0x67 /* g */ && this.prefix.length === 0) {
        const next = this.blocks.read(chunk, start);
        if (next >= 0) {
          start = next;
          continue;
        }
      }
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      if (nl - start > MAX_LINE) this.emit(chunk.slice(start, start + MAX_LINE), true);
      else this.emit(chunk.slice(start, nl), false);
      start = nl + 1;
    }
    if (start < chunk.length) this.appendCarry(start === 0 ? chunk : chunk.slice(start));
  }

  /** Finishes parsing and returns the model; later calls return the same result. */
  end(): Dump {
    if (this.ended) return this.ended;
    if (this.carry.length > 0 || this.carryTruncated) {
      this.emit(this.carry, this.carryTruncated);
      this.carry = '';
    }
    this.closeGoroutine();
    this.closeDebug1Record();
    this.ended = this.b.build();
    return this.ended;
  }

  private appendCarry(s: string): void {
    if (this.carryTruncated) return;
    const room = MAX_LINE - this.carry.length;
    if (s.length > room) {
      this.carry += s.slice(0, room);
      this.carryTruncated = true;
    } else {
      this.carry += s;
    }
  }

  // ---- whole goroutine blocks (block-reader.ts) ----

  private blockHost(): BlockHost {
    const b = this.b;
    return {
      get framesWithoutArgs() {
        return b.framesWithoutArgs;
      },
      readLines: (s, at, end) => this.readLines(s, at, end),
      addRepeat: (t, header, shape, frames) => this.addRepeat(t, header, shape, frames),
    };
  }

  /** See BlockHost.readLines(). */
  private readLines(s: string, at: number, end: number): CleanRead | null {
    const b = this.b;
    const headerLine = this.lineNo + 1;
    const skips = b.skipCount;
    const closed = this.closedCount;
    for (let pos = at; pos < end; ) {
      const nl = s.indexOf('\n', pos);
      this.emit(s.slice(pos, nl), false);
      pos = nl + 1;
    }
    const g = this.lastClosed;
    const clean =
      g !== null &&
      this.closedCount === closed + 1 &&
      this.closedAtLine === this.lineNo &&
      g.line === headerLine &&
      this.state === OUTSIDE &&
      b.skipCount === skips &&
      g.ancestors.length === 0;
    if (!clean) return null;
    return { goroutine: g, creatorSite: g.createdBy === null ? null : this.creatorSite, lines: this.lineNo - headerLine + 1 };
  }

  /** See BlockHost.addRepeat(): the goroutine of a block read by skeleton `t`. */
  private addRepeat(t: RepeatedBlock, header: HeaderRest, shape: BlockShape, frames: Frame[]): void {
    const b = this.b;
    this.lineNo++;
    const sink = this.sink;
    if (sink !== null) {
      const section = this.enterSection();
      b.countRepeat(section);
      sink.addRepeat(t, header, shape.id, section);
    } else {
      this.openGoroutine(header, shape.id);
      const g = this.cur!;
      this.cur = null;
      this.state = OUTSIDE;
      g.frames = frames;
      g.elidedFrames = t.elidedFrames;
      g.createdBy = t.creatorSite === null ? null : b.createdByAt(t.creatorSite, shape.creatorId);
      b.addGoroutine(g);
    }
    this.lineNo += t.lines - 1;
  }

  private emit(line: string, truncated: boolean): void {
    this.lineNo++;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1);
    if (this.lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (truncated) this.b.skip(this.lineNo, `line longer than ${MAX_LINE} characters: the rest was ignored`);
    try {
      this.handle(line);
    } catch (err) {
      // A parser bug must not lose the rest of the dump: record it and resynchronise.
      this.b.skip(this.lineNo, `internal parser error: ${(err as Error)?.message ?? String(err)}`);
      this.cur = null;
      this.d1 = null;
      this.candidate = null;
      this.state = OUTSIDE;
    }
  }

  private handle(line: string): void {
    switch (this.state) {
      case FUNC:
        return this.inFunc(line);
      case FILE:
        return this.inFile(line);
      case CREATED_FILE:
        return this.inCreatedFile(line);
      case ANCESTOR:
        return this.inAncestor(line);
      case SKIP_REST:
        return this.inSkipRest(line);
      case DEBUG1:
        return this.inDebug1(line);
      case DEBUG1_CANDIDATE:
        return this.inDebug1Candidate(line);
      default:
        return this.outside(line);
    }
  }

  // ---- traceback goroutines ----

  private inFunc(line: string): void {
    const p = this.prefix.contentStart(line);
    if (isBlank(line, p)) return this.endGoroutine();
    const c = line.charCodeAt(p);
    if (c === 0x67 /* g */ && looksLikeHeader(line, p)) {
      this.endGoroutine();
      return this.outside(line);
    }
    if (c === 0x63 /* c */ && line.startsWith('created by ', p)) return this.createdBy(line, p + 11);
    if (c === 0x2e /* . */ && line.startsWith('...', p)) return this.elided(line, p);
    if (c === 0x5b /* [ */ && line.startsWith('[originating from goroutine ', p)) return this.ancestor(line, p);
    if (c === 0x09 || c === 0x20) {
      if (line.includes('stack unavailable')) this.stackUnavailable = true;
      else this.b.skip(this.lineNo, `file line without a function line: ${quote(line)}`);
      return;
    }
    const open = callOpenParen(line, p);
    if (open >= 0) {
      // Only remembered here: the function line is sliced and parsed when its frame is new.
      this.funcLineText = line;
      this.funcAt = p;
      this.funcOpen = open;
      this.funcLineNo = this.lineNo;
      this.state = FILE;
      return;
    }
    const paren = line.indexOf('(', p);
    if (paren >= 0 && line.lastIndexOf(' ', paren) < p) {
      // A damaged call ("main.main)("): the rest of this goroutine cannot be trusted.
      this.b.skip(this.lineNo, `malformed function call in goroutine ${this.cur?.id ?? '?'}: ${quote(line)}`);
      this.state = SKIP_REST;
      return;
    }
    // Not a call: the goroutine ended without a blank line (register dumps, log lines).
    this.endGoroutine();
    this.outside(line);
  }

  private inFile(line: string): void {
    const p = this.prefix.contentStart(line);
    const c = line.charCodeAt(p);
    this.state = FUNC;
    if (c !== 0x09 && c !== 0x20) {
      this.b.skip(this.funcLineNo, `function call without a file:line: ${quote(this.funcLineText.slice(this.funcAt))}`);
      return this.inFunc(line);
    }
    // The printed text identifies the frame; fp=/sp=/pc= differ per goroutine and are left out.
    const b = this.b;
    const fl = this.funcLineText;
    const at = this.funcAt;
    // Once aggregating (or with a sink), argument values (pointers that differ per goroutine) are
    // left out of the key, as grouping ignores them: the frame keeps the first goroutine's
    // arguments. "(...)" (inlined) stays in the key.
    const funcKey =
      b.framesWithoutArgs && !fl.startsWith('...)', this.funcOpen + 1) ? fl.slice(at, this.funcOpen + 1) : at === 0 ? fl : fl.slice(at);
    const entry = this.findFrame(funcKey, line.slice(p, fileKeyEnd(line, p)), fl, at);
    if (entry === null) {
      b.skip(this.lineNo, `invalid file:line: ${quote(line)}`);
      return;
    }
    this.frames.push(entry.frame);
    this.stackHash = (Math.imul(this.stackHash, 0x01000193) ^ entry.id) | 0;
  }

  /** The frame table entry for a function line and file line, parsed when first seen; null when the file line is invalid. */
  private findFrame(funcKey: string, fileKey: string, funcLine: string, at: number): TextFrame | null {
    const b = this.b;
    let entry = b.lookupTextFrame(funcKey, fileKey);
    if (!entry) {
      const loc = parseFileLine(fileKey, 0);
      if (!loc) return null;
      const fn = parseFuncLine(funcLine, at)!;
      entry = b.addTextFrame(funcKey, fileKey, {
        func: fn.func,
        file: loc.file,
        line: loc.line,
        offset: loc.offset,
        inlined: fn.args === '...',
        args: fn.args,
      });
    }
    return entry;
  }

  /** "created by <func>[ in goroutine N]" whose <func> starts at `at`; its file line comes next. */
  private createdBy(line: string, at: number): void {
    let end = line.length;
    while (end > at && isSpaceOrTab(line.charCodeAt(end - 1))) end--;
    const inG = line.lastIndexOf(' in goroutine ', end);
    const nameEnd = inG > at ? inG : end;
    this.createdLine = line;
    this.createdAt = at;
    this.createdNameEnd = nameEnd;
    this.createdId = inG > at ? toInt(line.slice(inG + 14, end)) : null;
    this.createdLineNo = this.lineNo;
    this.state = CREATED_FILE;
  }

  private inCreatedFile(line: string): void {
    const p = this.prefix.contentStart(line);
    const c = line.charCodeAt(p);
    this.state = FUNC;
    if (c !== 0x09 && c !== 0x20) {
      this.createdWithoutFile();
      return this.inFunc(line);
    }
    // Shares the frame table: the key includes "created by ", which no function line starts with.
    const b = this.b;
    const cl = this.createdLine;
    const to = this.createdNameEnd;
    const funcKey = cl.slice(this.createdAt - 11, to);
    const fileKey = line.slice(p, fileKeyEnd(line, p));
    let site = b.lookupTextFrame(funcKey, fileKey)?.frame;
    if (!site) {
      const loc = parseFileLine(line, p);
      if (!loc) {
        b.skip(this.lineNo, `invalid file:line: ${quote(line)}`);
        return this.createdWithoutFile(false);
      }
      const func = cl.slice(this.createdAt, to);
      site = b.addTextFrame(funcKey, fileKey, { func, file: loc.file, line: loc.line, offset: loc.offset, inlined: false, args: '' }).frame;
    }
    const g = this.cur;
    if (g) {
      g.createdBy = b.createdByAt(site, this.createdId);
      this.creatorSite = site;
    }
  }

  /** Keeps the creator's name when its file line is missing or damaged. */
  private createdWithoutFile(record = true): void {
    const func = this.createdLine.slice(this.createdAt, this.createdNameEnd);
    if (record) this.b.skip(this.createdLineNo, `"created by" without a file:line: ${quote(func)}`);
    if (this.cur) this.cur.createdBy = this.b.createdBy(func, '', 0, this.createdId);
  }

  private elided(line: string, p: number): void {
    const g = this.cur;
    if (!g) return;
    if (line.startsWith('...additional frames elided...', p)) {
      // Go <= 1.20 does not say how many: 0 means "some, count unknown".
      g.elidedFrames = g.elidedFrames ?? 0;
      return;
    }
    let i = p + 3;
    let n = 0;
    const start = i;
    while (i < line.length && i - start < 10 && isDigit(line.charCodeAt(i))) n = n * 10 + (line.charCodeAt(i++) - 0x30);
    if (i > start && line.startsWith(' frames elided...', i)) g.elidedFrames = (g.elidedFrames ?? 0) + n;
    else this.b.skip(this.lineNo, `unrecognised line in goroutine ${g.id ?? '?'}: ${quote(line)}`);
  }

  private ancestor(line: string, p: number): void {
    const id = toInt(line.slice(p + 28, line.indexOf(']', p + 28)));
    const g = this.cur;
    if (g && id !== null) {
      if (g.ancestors === NO_ANCESTORS) g.ancestors = [];
      g.ancestors.push(id);
    }
    this.state = ANCESTOR;
  }

  private inAncestor(line: string): void {
    const p = this.prefix.contentStart(line);
    if (isBlank(line, p)) return this.endGoroutine();
    if (line.startsWith('[originating from goroutine ', p)) return this.ancestor(line, p);
    if (looksLikeHeader(line, p)) {
      this.endGoroutine();
      return this.outside(line);
    }
    const c = line.charCodeAt(p);
    // Ancestor frames, their file lines, elision markers and "created by" are consumed, not kept.
    if (c === 0x09 || c === 0x20 || c === 0x2e || line.startsWith('created by ', p) || callOpenParen(line, p) >= 0) return;
    this.endGoroutine();
    this.outside(line);
  }

  private inSkipRest(line: string): void {
    const p = this.prefix.contentStart(line);
    if (isBlank(line, p)) return this.endGoroutine();
    if (looksLikeHeader(line, p)) {
      this.endGoroutine();
      this.outside(line);
    }
  }

  private startGoroutine(h: HeaderRest, id: number, line: string, at: number): void {
    this.prefix.learn(line, at);
    this.openGoroutine(h, id);
  }

  /** Starts reading a goroutine whose header (at this.lineNo) was parsed; the next section opens when the run was broken. */
  private openGoroutine(h: HeaderRest, id: number): void {
    this.enterSection();
    const state = h.state; // already shared by the header's status cache
    this.cur = {
      id,
      state,
      waitReason: state,
      waitMinutes: h.waitMinutes,
      lockedToThread: h.lockedToThread,
      leaked: h.leaked,
      durable: h.durable,
      bubble: h.bubble,
      labels: h.labels, // EMPTY_LABELS when there are none
      frames: NO_FRAMES,
      elidedFrames: null,
      createdBy: null,
      ancestors: NO_ANCESTORS,
      count: 1,
      line: this.lineNo,
      section: this.section,
    };
    this.frames.length = 0;
    this.stackHash = 0;
    this.stackUnavailable = false;
    this.creatorSite = null;
    this.state = FUNC;
  }

  /** The traceback section a goroutine whose header is at this.lineNo belongs to, opened when the run was broken. */
  private enterSection(): number {
    const b = this.b;
    if (
      this.section < 0 ||
      b.sections[this.section]!.format !== 'traceback' ||
      this.pendingOrigin !== undefined ||
      this.runBroken
    ) {
      this.section = b.openSection('traceback', this.lineNo, this.pendingOrigin ?? null, null);
      this.pendingOrigin = undefined;
      this.runBroken = false;
    }
    return this.section;
  }

  /** Ends the goroutine being read (at a blank line, a new header, or unrelated text). */
  private endGoroutine(): void {
    this.closeGoroutine();
    this.state = OUTSIDE;
  }

  private closeGoroutine(): void {
    if (this.state === FILE) {
      this.b.skip(this.funcLineNo, `function call without a file:line: ${quote(this.funcLineText.slice(this.funcAt))}`);
    }
    if (this.state === CREATED_FILE) this.createdWithoutFile();
    this.funcLineText = '';
    const g = this.cur;
    if (!g) return;
    this.cur = null;
    g.frames = this.b.shareStack(this.frames, this.stackHash);
    this.frames.length = 0; // scratch, reused for the next goroutine
    if (g.frames.length === 0 && !this.stackUnavailable && g.createdBy === null) {
      this.b.skip(g.line, `goroutine ${g.id ?? '?'} has no frames`);
    }
    this.closedCount++;
    this.lastClosed = g;
    this.closedAtLine = this.lineNo;
    this.b.addGoroutine(g);
  }

  // ---- text between goroutines ----

  private outside(line: string): void {
    const p0 = this.prefix.contentStart(line);
    if (isBlank(line, p0)) return;
    let at = -1;
    if (looksLikeHeader(line, p0)) at = p0;
    else if (looksLikeHeader(line, 0)) at = 0;
    else {
      const i = line.indexOf('goroutine ');
      if (i > 0 && i <= MAX_HEADER_OFFSET && looksLikeHeader(line, i)) at = i;
    }
    if (at >= 0) {
      const idEnd = headerIdEnd(line, at);
      const h = idEnd < 0 ? null : this.headerRests.parse(line, at, idEnd, line.length);
      if (h) return this.startGoroutine(h, toInt(line.slice(at + 10, idEnd))!, line, at);
      if (at === p0 || at === 0) {
        // Starts like a goroutine but is not one (truncated or damaged header): skip its frames.
        this.b.skip(this.lineNo, `malformed goroutine header: ${quote(line)}`);
        this.state = SKIP_REST;
        return;
      }
    }
    const profileAt = line.indexOf(' profile: total ');
    if (profileAt >= 0 && profileAt <= MAX_HEADER_OFFSET + 20 && this.debug1Header(line, profileAt)) return;
    if (this.debug1Candidate(line, p0)) return;
    const marker = detectMarker(line, p0);
    if (marker !== null) {
      if (marker.origin !== null && this.pendingOrigin === undefined) this.pendingOrigin = marker.origin;
      if (marker.breaksRun) this.runBroken = true;
      return;
    }
    if (!isDumpDebris(line, p0)) this.runBroken = true;
  }

  // ---- pprof debug=1 ----

  /** "goroutine profile: total N" / "goroutineleak profile: total N" opens a debug=1 section. */
  private debug1Header(line: string, profileAt: number): boolean {
    let name: string;
    let at: number;
    if (line.startsWith('goroutineleak', profileAt - 13) && profileAt >= 13) {
      name = 'goroutineleak';
      at = profileAt - 13;
    } else if (line.startsWith('goroutine', profileAt - 9) && profileAt >= 9) {
      name = 'goroutine';
      at = profileAt - 9;
    } else return false;
    const total = toInt(line.slice(profileAt + 16).trimEnd());
    if (total === null) return false;
    const leak = name === 'goroutineleak';
    this.openDebug1Section(line, at, this.lineNo, total, leak ? LEAK_PROFILE_ORIGIN : null);
    this.d1Leak = leak;
    return true;
  }

  private openDebug1Section(line: string, at: number, lineNo: number, total: number | null, origin: string | null = null): void {
    this.prefix.learn(line, at);
    this.section = this.b.openSection('pprof-debug1', lineNo, origin ?? this.pendingOrigin ?? null, total);
    this.pendingOrigin = undefined;
    this.runBroken = false;
    this.d1Leak = false;
    this.d1Headerless = total === null;
    this.state = DEBUG1;
  }

  /**
   * A debug=1 record header with no "goroutine profile" line above it (people paste the one group
   * that worries them, often indented as a code block or quoted): exactly "N @ 0x.. 0x..", at the
   * content start after blanks and '>' quote marks. It only becomes a record when a frame line
   * follows, possibly after its "# labels:" line (DEBUG1_CANDIDATE); until then it is text.
   */
  private debug1Candidate(line: string, p0: number): boolean {
    let at = p0;
    for (let c = line.charCodeAt(at); c === 0x20 || c === 0x09 || c === 0x3e /* > */; c = line.charCodeAt(++at));
    if (!isDigit(line.charCodeAt(at)) || at > MAX_HEADER_OFFSET || !isStrictRecordHeader(line, at)) return false;
    this.candidate = Debug1Record.parseHeader(line, at, this.lineNo);
    this.candidateLine = line;
    this.candidateAt = at;
    this.candidatePrefix.learn(line, at);
    this.state = DEBUG1_CANDIDATE;
    return true;
  }

  private inDebug1Candidate(line: string): void {
    const rec = this.candidate!;
    const p = skipSpacesAndTabs(line, this.candidatePrefix.contentStart(line));
    if (line.charCodeAt(p) === 0x23 /* # */) {
      const frames = rec.frameCount;
      if (rec.addLine(line, p)) {
        if (rec.frameCount === frames) return; // its "# labels:" line: a frame line must still come
        this.candidate = null;
        this.openDebug1Section(this.candidateLine, this.candidateAt, rec.line, null);
        this.d1 = rec;
        return;
      }
    }
    // Not a record after all: what was held back is ordinary text.
    this.candidate = null;
    this.state = OUTSIDE;
    this.runBroken = true;
    this.outside(line);
  }

  private inDebug1(line: string): void {
    const p = skipSpacesAndTabs(line, this.prefix.contentStart(line)); // pasted records are often re-indented
    if (p === line.length) return this.closeDebug1Record();
    const c = line.charCodeAt(p);
    if (isDigit(c) && (!this.d1Headerless || isStrictRecordHeader(line, p))) {
      const rec = Debug1Record.parseHeader(line, p, this.lineNo);
      if (rec) {
        this.closeDebug1Record();
        this.d1 = rec;
        return;
      }
    } else if (c === 0x23 /* # */) {
      const rec = this.d1;
      if (!rec) return this.b.skip(this.lineNo, `debug=1 frame outside a record: ${quote(line)}`);
      if (!rec.addLine(line, p)) this.b.skip(this.lineNo, `invalid debug=1 line: ${quote(line)}`);
      return;
    }
    this.closeDebug1Record();
    this.state = OUTSIDE;
    this.outside(line);
  }

  private closeDebug1Record(): void {
    const rec = this.d1;
    if (!rec) return;
    this.d1 = null;
    // In a pasted fragment, a record header no frame line followed is text that looks like one.
    if (this.d1Headerless && rec.frameCount === 0) {
      this.runBroken = true;
      return;
    }
    this.b.addGoroutine(rec.toGoroutine(this.b, this.section, this.d1Leak));
  }
}

/** Where the ID of the header at `at` ("goroutine <digits>") ends; -1 when it has no digits or more than 15. */
function headerIdEnd(line: string, at: number): number {
  let i = at + 10;
  while (isDigit(line.charCodeAt(i))) i++;
  return i === at + 10 || i - (at + 10) > 15 ? -1 : i;
}

function fileKeyEnd(line: string, p: number): number {
  const fp = line.indexOf(' fp=', p);
  return fp >= 0 ? fp : trimEnd(line);
}

function trimEnd(line: string): number {
  let end = line.length;
  while (end > 0 && isSpaceOrTab(line.charCodeAt(end - 1))) end--;
  return end;
}

/** Lines that belong to dumps without being goroutines: they do not split a run of goroutines. */
function isDumpDebris(line: string, p: number): boolean {
  const c = line.charCodeAt(p);
  if (c === 0x09 || c === 0x20 || c === 0x2e || c === 0x5b /* [ */) return true;
  if (line.startsWith('runtime stack:', p) || line.startsWith('PC=', p) || line.startsWith('created by ', p)) return true;
  if (isRegisterLine(line, p)) return true;
  return callOpenParen(line, p) >= 0;
}

/** "rax    0xca", "r10    0x0", "rflags 0x286", "lr 0x.." in signal register dumps. */
function isRegisterLine(line: string, p: number): boolean {
  let i = p;
  while (i < line.length && i - p < 8) {
    const c = line.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || isDigit(c))) break;
    i++;
  }
  if (i === p || line.charCodeAt(i) !== 0x20) return false;
  while (line.charCodeAt(i) === 0x20) i++;
  return line.startsWith('0x', i);
}

function isBlank(line: string, p: number): boolean {
  for (let i = p; i < line.length; i++) if (!isSpaceOrTab(line.charCodeAt(i))) return false;
  return true;
}
