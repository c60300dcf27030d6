// The data the HTML report's page reads: the analysis in a compact form made for the browser, not
// a documented schema (that is `--format json`). Strings are interned (a dump of 20,000 groups
// repeats the same functions and files in thousands of stacks), frames are flat number triples,
// and each file carries its short form (short-path.ts), so the page parses a few MB, not tens.
import type { DumpAnalysis } from '../analyze/analyze.js';
import type { GoroutineGroup } from '../analyze/group.js';
import { packageOf, type FrameRef } from '../analyze/packages.js';
import { shortPath } from './short-path.js';

/** Suspect levels as the page numbers them; the order is the default ranking's. */
export const LEVELS = ['definite', 'likely', '', 'benign'] as const;

export interface PageGroup {
  /** Goroutines. */
  n: number;
  /** State and kind: string indices. */
  s: number;
  k: number;
  /** Index into LEVELS. */
  v: number;
  /** Wait minutes [min, max], or null when none was printed. */
  w: [number, number] | null;
  /** Why it is a suspect, or why it is benign: a string index, -1 for neither. */
  r: number;
  /** Frames, innermost first, as flat triples [func (string), file (file index), line]. */
  f: number[];
  /** Location and creator as [func, file, line], or null. */
  L: number[] | null;
  c: number[] | null;
  /** Labels as flat pairs [key, value] of string indices, keys sorted. */
  b: number[];
  /** dump --source: what the source says about the group, as text lines (a string index), when there is something. */
  x?: number;
}

export interface PageData {
  title: string;
  goroutines: number;
  /** "1 section: traceback". */
  sections: string;
  states: Array<[string, number]>;
  suspects: { definite: number; likely: number };
  /** Parts of the input that could not be read. */
  skipped: number;
  strings: string[];
  /** Per file index: [full path, short path] as string indices. */
  files: Array<[number, number]>;
  groups: PageGroup[];
}

/** `annotate` gives text lines per group for the detail pane (dump --source). */
export function pageData(a: DumpAnalysis, title: string, sections: string, annotate?: (g: GoroutineGroup) => string[]): PageData {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const files: Array<[number, number]> = [];
  const fileIndex = new Map<string, number>();
  // The short form depends on the function's package too (see shortPath): keyed by both.
  const file = (path: string, func: string): number => {
    const key = `${path}\u0000${packageOf(func)}`;
    let i = fileIndex.get(key);
    if (i === undefined) {
      i = files.length;
      files.push([str(path), str(shortPath(path, func))]);
      fileIndex.set(key, i);
    }
    return i;
  };
  const triple = (f: FrameRef): number[] => [str(f.func), file(f.file, f.func), f.line];
  const group = (g: GoroutineGroup): PageGroup => {
    const level = g.suspect ? g.suspect.level : g.benign ? 'benign' : '';
    const reason = g.suspect?.reason ?? g.benign;
    const labels = Object.keys(g.labels).sort();
    const frames: number[] = [];
    for (const f of g.frames) frames.push(str(f.func), file(f.file, f.func), f.line);
    const notes = annotate?.(g) ?? [];
    return {
      n: g.count,
      s: str(g.state),
      k: str(g.kind),
      v: LEVELS.indexOf(level),
      w: g.waitMinutes.max === null ? null : [g.waitMinutes.min ?? g.waitMinutes.max, g.waitMinutes.max],
      r: reason ? str(reason) : -1,
      f: frames,
      L: g.location ? triple(g.location) : null,
      c: g.createdBy ? triple(g.createdBy) : null,
      b: labels.flatMap((k) => [str(k), str(g.labels[k]!)]),
      ...(notes.length > 0 ? { x: str(notes.join('\n')) } : {}),
    };
  };
  return {
    title,
    goroutines: a.groups.reduce((n, g) => n + g.count, 0),
    sections,
    states: a.states.map((s) => [s.state, s.count]),
    suspects: a.suspects,
    skipped: a.dump.skipped.length,
    groups: a.groups.map(group),
    strings,
    files,
  };
}
