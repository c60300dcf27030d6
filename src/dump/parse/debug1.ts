// One record of the pprof debug=1 goroutine profile:
//   40 @ 0x471a0e 0x40841c 0x6c6945 0x479821
//   # labels: {"handler":"/api", "tenant":"t0"}
//   #	0x6c6944	main.worker+0x44	/path/main.go:37
// Columns come from text/tabwriter, so fields are separated by runs of tabs (runs of spaces once
// an editor or chat client has replaced the tabs of a pasted record).

import type { Frame, Goroutine } from '../model.js';
import type { DumpBuilder } from './builder.js';
import { parseLabels } from './labels.js';
import { hexValue, isDigit, isSpaceOrTab, skipSpacesAndTabs } from './text.js';

interface RawFrame {
  pc: string;
  funcKey: string;
  fileKey: string;
  func: string;
  offset: number | null;
  file: string;
  line: number;
}

const EMPTY_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

export class Debug1Record {
  private labels: Record<string, string> = EMPTY_LABELS;
  private readonly raw: RawFrame[] = [];

  /** Frame lines read so far. */
  get frameCount(): number {
    return this.raw.length;
  }

  private constructor(
    private readonly count: number,
    /** Where the record's header is in the input. */
    readonly line: number,
  ) {}

  /** "N @ 0x.. 0x.." at `p`; null when the line is not a record header. */
  static parseHeader(line: string, p: number, lineNo: number): Debug1Record | null {
    let i = p;
    let n = 0;
    while (i < line.length && i - p < 15) {
      const c = line.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
      i++;
    }
    if (i === p || !line.startsWith(' @', i)) return null;
    return new Debug1Record(n, lineNo);
  }

  /** A "# labels:" or "#\t0x..\tfunc+0x..\tfile:line" line; false when it is neither. */
  addLine(line: string, p: number): boolean {
    if (line.startsWith('# labels: ', p)) {
      const parsed = parseLabels(line, p + 10);
      if (!parsed) return false;
      this.labels = parsed.labels;
      return true;
    }
    const sep = line.charCodeAt(p + 1);
    if (sep !== 0x09 && sep !== 0x20) return line.length === p + 1;
    const fields = sep === 0x09 ? tabFields(line, p + 2) : blankFields(line, p + 1);
    if (fields === null) return false;
    const [pc, fn, loc] = fields;
    const plus = fn.lastIndexOf('+0x');
    const colon = loc.lastIndexOf(':');
    if (colon <= 0) return false;
    const lineNo = Number(loc.slice(colon + 1));
    if (!Number.isInteger(lineNo) || lineNo < 0) return false;
    this.raw.push({
      pc,
      funcKey: fn,
      fileKey: loc,
      func: plus > 0 ? fn.slice(0, plus) : fn,
      offset: plus > 0 ? parseInt(fn.slice(plus + 3), 16) || 0 : null,
      file: loc.slice(0, colon),
      line: lineNo,
    });
    return true;
  }

  toGoroutine(b: DumpBuilder, section: number, leaked: boolean): Goroutine {
    const frames: Frame[] = [];
    const raw = this.raw;
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      // A PC expands to several lines when calls were inlined into it: all but the last are inlined.
      const inlined = i + 1 < raw.length && raw[i + 1]!.pc === r.pc;
      const key = `${r.funcKey}\n${r.fileKey}${inlined ? '\tinlined' : ''}`;
      frames.push(b.profileFrame(key, { func: r.func, file: r.file, line: r.line, offset: r.offset, inlined, args: '' }));
    }
    return b.profileRecord(frames, this.labels, leaked, this.count, this.line, section);
  }
}

/** "0x..\tfunc+0x..\t\tfile:line" as tabwriter aligns it: PC, function, location. */
function tabFields(line: string, from: number): [string, string, string] | null {
  const fields = line.slice(from).split('\t');
  let k = 0;
  const next = (): string | undefined => {
    while (k < fields.length && fields[k] === '') k++;
    return fields[k++];
  };
  const pc = next();
  const fn = next();
  const loc = next()?.trimEnd();
  return pc && fn && loc ? [pc, fn, loc] : null;
}

/**
 * The same with the tabs turned into spaces (an editor or chat client did it): the PC, the
 * function (a Go symbol has no blanks) and the rest, the location (a path may have blanks).
 */
function blankFields(line: string, from: number): [string, string, string] | null {
  const pcAt = skipSpacesAndTabs(line, from);
  const pcEnd = blankAt(line, pcAt);
  const fnAt = skipSpacesAndTabs(line, pcEnd);
  const fnEnd = blankAt(line, fnAt);
  const locAt = skipSpacesAndTabs(line, fnEnd);
  if (!line.startsWith('0x', pcAt) || fnAt === fnEnd || locAt === line.length) return null;
  return [line.slice(pcAt, pcEnd), line.slice(fnAt, fnEnd), line.slice(locAt).trimEnd()];
}

function blankAt(line: string, i: number): number {
  while (i < line.length && !isSpaceOrTab(line.charCodeAt(i))) i++;
  return i;
}

/**
 * Whether `line` from `at` is exactly a record header as pprof prints it: a count, " @", and one or
 * more " 0x<hex>" program counters, nothing else but trailing blanks. Stricter than
 * Debug1Record.parseHeader(), which trusts the "goroutine profile: total N" line above it; this
 * one starts a record with no such line (a pasted fragment).
 */
export function isStrictRecordHeader(line: string, at: number): boolean {
  let i = at;
  while (i < line.length && i - at < 15 && isDigit(line.charCodeAt(i))) i++;
  if (i === at || !line.startsWith(' @', i)) return false;
  i += 2;
  let pcs = 0;
  while (line.startsWith(' 0x', i)) {
    const start = (i += 3);
    while (i < line.length && hexValue(line.charCodeAt(i)) >= 0) i++;
    if (i === start || i - start > 16) return false;
    pcs++;
  }
  if (pcs === 0) return false;
  while (i < line.length && isSpaceOrTab(line.charCodeAt(i))) i++;
  return i === line.length;
}
