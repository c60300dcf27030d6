// Parses the two lines of a traceback frame: "<func>(<args>)" and "\t<file>:<line>[ +0x<off>][ fp=..]".

import { hexValue } from './text.js';

export interface FuncLine {
  func: string;
  args: string;
}

export interface FileLine {
  file: string;
  line: number;
  offset: number | null;
}

/**
 * "pkg.(*T).M[...](0x1, {0x2, 0x3})" -> func and args, from `at`. The arguments open at the last
 * '(' (argument text has braces, never parentheses; function names can have "(*T)").
 * null when the line is not a call.
 */
export function parseFuncLine(line: string, at: number): FuncLine | null {
  const open = callOpenParen(line, at);
  if (open < 0) return null;
  let end = line.length;
  while (end > at && isSpace(line.charCodeAt(end - 1))) end--;
  return { func: line.slice(at, open), args: line.slice(open + 1, end - 1) };
}

/** Where the argument list of the call at `at` opens, or -1 when the line is not a call. No allocation. */
export function callOpenParen(line: string, at: number): number {
  let end = line.length;
  while (end > at && isSpace(line.charCodeAt(end - 1))) end--;
  if (line.charCodeAt(end - 1) !== 0x29 /* ) */) return -1;
  const open = line.lastIndexOf('(', end - 1);
  if (open <= at) return -1;
  // Native searches rather than a loop over the name: this runs on every function line.
  if (within(line.indexOf(' ', at), open) || within(line.indexOf('\t', at), open)) return -1;
  if (within(line.indexOf(')(', at), open)) return -1;
  return open;
}

function within(i: number, limit: number): boolean {
  return i >= 0 && i < limit;
}

/** Where the location ends: before " +0x", " fp=", or trailing blanks. */
export function fileLocationEnd(line: string, from: number): number {
  let end = line.indexOf(' +0x', from);
  if (end < 0) end = line.indexOf(' fp=', from);
  if (end < 0) end = line.length;
  while (end > from && isSpace(line.charCodeAt(end - 1))) end--;
  return end;
}

/** Parses "/path/file.go:123 +0x1d fp=.." whose first non-blank is at or after `at`. */
export function parseFileLine(line: string, at: number): FileLine | null {
  let start = at;
  while (start < line.length && isSpace(line.charCodeAt(start))) start++;
  const end = fileLocationEnd(line, start);
  const colon = line.lastIndexOf(':', end - 1);
  if (colon <= start || colon === end - 1) return null;
  let n = 0;
  for (let i = colon + 1; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || i - colon > 10) return null;
    n = n * 10 + (c - 0x30);
  }
  let offset: number | null = null;
  if (line.startsWith(' +0x', end)) {
    let v = 0;
    let i = end + 4;
    for (; i < line.length && i < end + 20; i++) {
      const h = hexValue(line.charCodeAt(i));
      if (h < 0) break;
      v = v * 16 + h;
    }
    if (i > end + 4) offset = v;
  }
  return { file: line.slice(start, colon), line: n, offset };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}
