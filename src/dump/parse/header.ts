// Parses a traceback goroutine header line:
//   goroutine <id>[ gp=.. m=..[ mp=..]] [<status>[ (leaked)][ (durable)][, N minutes][, locked to thread]
//     [, synctest bubble N][ labels:{...}]][ {k: v}]:

import { parseLabels } from './labels.js';
import { digitsValue, flat, isDigit, toInt } from './text.js';

export interface ParsedHeader {
  id: number;
  state: string;
  waitMinutes: number | null;
  lockedToThread: boolean;
  leaked: boolean;
  durable: boolean;
  bubble: number | null;
  labels: Record<string, string>;
}

const GOROUTINE = 'goroutine ';
/** The labels of every header without any: one shared object, so that users can test by identity. */
export const EMPTY_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** True when `line` has "goroutine <digit>" at `at`: the cheap test before a full parse. */
export function looksLikeHeader(line: string, at: number): boolean {
  if (!line.startsWith(GOROUTINE, at)) return false;
  const c = line.charCodeAt(at + GOROUTINE.length);
  return c >= 0x30 && c <= 0x39;
}

/** Parses the header starting at `at` ("goroutine ..."); null when it is not a complete header. */
export function parseHeader(line: string, at: number): ParsedHeader | null {
  let i = at + GOROUTINE.length;
  const idStart = i;
  let id = 0;
  for (let c = line.charCodeAt(i); isDigit(c); c = line.charCodeAt(++i)) id = id * 10 + (c - 0x30);
  if (i === idStart || i - idStart > 15) return null; // 15 digits stay exact in a double
  // Go 1.22+ " gp=0x.. m=N mp=0x.." (printed at traceback level >= 2).
  while (line.charCodeAt(i) === 0x20 && line.charCodeAt(i + 1) !== 0x5b /* [ */) {
    const next = line.indexOf(' ', i + 1);
    const token = next < 0 ? line.slice(i + 1) : line.slice(i + 1, next);
    if (!(token.startsWith('gp=') || token.startsWith('m=') || token.startsWith('mp='))) return null;
    if (next < 0) return null;
    i = next;
  }
  if (line.charCodeAt(i) !== 0x20 || line.charCodeAt(i + 1) !== 0x5b) return null;
  i += 2;
  const statusStart = i;
  let statusEnd = -1;
  let labels = EMPTY_LABELS;
  // Native searches: the status ends at the first ']', or earlier at Go 1.26's ` labels:{...}`
  // (GODEBUG=tracebacklabels=1) inside the brackets, whose values may hold ']'.
  const close = line.indexOf(']', i);
  const labelsAt = line.indexOf(' labels:{', i);
  if (labelsAt >= 0 && (close < 0 || labelsAt < close)) {
    const parsed = parseLabels(line, labelsAt + 8);
    if (!parsed || line.charCodeAt(parsed.end) !== 0x5d) return null;
    labels = orEmpty(parsed.labels);
    statusEnd = labelsAt;
    i = parsed.end;
  } else if (close >= 0) {
    statusEnd = close;
    i = close;
  }
  if (statusEnd < 0) return null;
  i++; // past ']'
  // Go 1.27: labels after the brackets, ` {k: v, ...}`.
  if (line.charCodeAt(i) === 0x20 && line.charCodeAt(i + 1) === 0x7b) {
    const parsed = parseLabels(line, i + 1);
    if (!parsed) return null;
    labels = orEmpty(parsed.labels);
    i = parsed.end;
  }
  if (line.charCodeAt(i) !== 0x3a /* : */) return null;
  for (i++; i < line.length; i++) if (line.charCodeAt(i) !== 0x20 && line.charCodeAt(i) !== 0x09) return null;
  const status = statusOf(line.slice(statusStart, statusEnd));
  return { id, labels, ...status };
}

function orEmpty(labels: Record<string, string>): Record<string, string> {
  for (const _k in labels) return labels;
  return EMPTY_LABELS;
}

type Status = Omit<ParsedHeader, 'id' | 'labels'>;

/** Status texts repeat (a few dozen distinct ones per dump): parse each once. */
const statusCache = new Map<string, Readonly<Status>>();
const MAX_CACHED_STATUSES = 4096;

function statusOf(text: string): Readonly<Status> {
  let s = statusCache.get(text);
  if (s === undefined) {
    s = parseStatus(text);
    if (statusCache.size < MAX_CACHED_STATUSES && text.length <= 160) statusCache.set(flat(text), s);
  }
  return s;
}

function parseStatus(status: string): Status {
  const h: Status = {
    state: '',
    waitMinutes: null,
    lockedToThread: false,
    leaked: false,
    durable: false,
    bubble: null,
  };
  const parts = status.split(', ');
  let state = parts[0] ?? '';
  // Markers the runtime appends to the wait reason; kept as flags so that "chan receive" groups
  // together across versions and leak-profile runs.
  for (;;) {
    if (state.endsWith(' (leaked)')) h.leaked = true;
    else if (state.endsWith(' (durable)')) h.durable = true;
    else if (state.endsWith(' (scan)')) {
      /* a GC-scan bit: transient, not part of the wait */
    } else break;
    state = state.slice(0, state.lastIndexOf(' ('));
  }
  h.state = flat(state); // `status` is a slice of the input
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k]!;
    if (part === 'locked to thread') h.lockedToThread = true;
    else if (part.endsWith(' minutes')) h.waitMinutes = toInt(part.slice(0, -8));
    else if (part.startsWith('synctest bubble ')) h.bubble = toInt(part.slice(16));
    else if (part.startsWith('synctest group ')) h.bubble = toInt(part.slice(15));
  }
  return h;
}

/** A parsed header without its ID: what headers that differ only in the ID share. */
export type HeaderRest = Omit<ParsedHeader, 'id'>;

const MAX_CACHED_RESTS = 4096;
/** Longer rests (gp=/m= pointers, big label sets) are parsed every time: they rarely repeat. */
const MAX_REST_LENGTH = 160;

interface CachedRest {
  /** Own copy of the text after the ID. */
  text: string;
  rest: HeaderRest | null;
}

/**
 * Headers of one dump repeat apart from the goroutine ID (" [chan receive, 5 minutes]:" comes back
 * thousands of times): the text after the ID's digits is parsed once. Goroutines with the same
 * rest share its label object. The short rest is hashed here and confirmed with ===, which is
 * several times cheaper than a Map keyed by a fresh slice (V8 hashes those in the runtime).
 */
export class HeaderRests {
  private readonly rests = new Map<number, CachedRest[]>();
  private size = 0;
  /**
   * The text after the ID of the header parse() last returned, as cached (an own copy, not a
   * slice of the input), or null when it was too long to cache.
   */
  lastText: string | null = null;

  /**
   * The header `line[at, end)` whose ID digits end at `idEnd`, parsed as parseHeader() would;
   * null when it is not a complete header.
   */
  parse(line: string, at: number, idEnd: number, end: number): HeaderRest | null {
    if (end - idEnd > MAX_REST_LENGTH) {
      this.lastText = null;
      return restOf(parseHeader(line.slice(at, end), 0));
    }
    let h = 0x811c9dc5;
    for (let i = idEnd; i < end; i++) h = Math.imul(h ^ line.charCodeAt(i), 0x01000193);
    const text = line.slice(idEnd, end);
    let list = this.rests.get(h);
    if (list !== undefined) {
      for (const c of list) {
        if (c.text !== text) continue;
        this.lastText = c.text;
        return c.rest;
      }
    }
    const rest = restOf(parseHeader(line.slice(at, end), 0));
    if (this.size >= MAX_CACHED_RESTS) {
      this.rests.clear();
      this.size = 0;
      list = undefined;
    }
    if (list === undefined) this.rests.set(h, (list = []));
    const copy = flat(text);
    list.push({ text: copy, rest });
    this.size++;
    this.lastText = copy;
    return rest;
  }
}

function restOf(h: ParsedHeader | null): HeaderRest | null {
  if (h === null) return null;
  return {
    state: h.state,
    waitMinutes: h.waitMinutes,
    lockedToThread: h.lockedToThread,
    leaked: h.leaked,
    durable: h.durable,
    bubble: h.bubble,
    labels: h.labels,
  };
}

/** Waits above this many minutes are not remembered by RecentHeaders (parsed through HeaderRests). */
const MAX_REMEMBERED_MINUTES = 100_000;

/**
 * The headers last seen with one stack (block-skeletons.ts keeps one per skeleton). Goroutines
 * of one stack mostly share their header's text after the ID, but for the wait: " [select]:",
 * " [select, 12 minutes]:", " [select, 47 minutes]:". Both are recognised with one comparison
 * and no hashing: the last text whole, or the text before ", N minutes]:" with N looked up.
 */
export class RecentHeaders {
  private text: string | null = null;
  private header: HeaderRest | null = null;
  /** The text before ", N minutes]:" of the last header that had one, and the parses by N. */
  private waitPrefix: string | null = null;
  private byMinutes: Array<HeaderRest | undefined> = [];

  /** As rests.parse(line, at, idEnd, end). */
  parse(line: string, at: number, idEnd: number, end: number, rests: HeaderRests): HeaderRest | null {
    const text = this.text;
    if (text !== null && text.length === end - idEnd && line.slice(idEnd, end) === text) return this.header;
    const comma = waitSuffixAt(line, idEnd, end);
    let minutes = -1;
    if (comma >= 0) {
      minutes = digitsValue(line, comma + 2, end - 10);
      const prefix = this.waitPrefix;
      if (prefix !== null && prefix.length === comma - idEnd && line.slice(idEnd, comma) === prefix) {
        const known = this.byMinutes[minutes];
        if (known !== undefined) return known;
      }
    }
    const header = rests.parse(line, at, idEnd, end);
    const copy = rests.lastText;
    if (header === null || copy === null) return header;
    if (comma < 0 || minutes > MAX_REMEMBERED_MINUTES) {
      this.text = copy;
      this.header = header;
    } else {
      const prefix = copy.slice(0, comma - idEnd);
      if (prefix !== this.waitPrefix) {
        this.waitPrefix = prefix;
        this.byMinutes = [];
      }
      this.byMinutes[minutes] = header;
    }
    return header;
  }
}

/**
 * Where ", N minutes]:" starts when line[idEnd, end) ends with it (N without a leading zero, as
 * the runtime prints it, so that each N has one text), else -1.
 */
function waitSuffixAt(line: string, idEnd: number, end: number): number {
  // "]:" and " minutes" before it
  if (line.charCodeAt(end - 1) !== 0x3a || line.charCodeAt(end - 2) !== 0x5d || line.slice(end - 10, end - 2) !== ' minutes') return -1;
  let d = end - 10;
  while (d > idEnd && isDigit(line.charCodeAt(d - 1))) d--;
  const digits = end - 10 - d;
  if (digits === 0 || digits > 6 || (digits > 1 && line.charCodeAt(d) === 0x30)) return -1;
  const comma = d - 2;
  return comma > idEnd && line.charCodeAt(comma) === 0x2c && line.charCodeAt(comma + 1) === 0x20 ? comma : -1;
}
