// Finds the Go files to scan the way the go tool does: arguments are files, directories (that
// package only) or patterns ending in `/...` (the directory and everything below it). Recursion
// skips testdata, vendor, names starting with `.` or `_`, and symlinked directories; an argument
// given explicitly is scanned even when it lies inside such a directory (rule fixtures live in
// testdata) or is itself a symlink. A directory argument or pattern with no Go file is an error.
//
// Discovery only lists and stats files. Reading, the binary check and the build-constraint check
// happen in loadGoSource, called by whichever thread analyses the package, so that I/O and
// decoding spread over the workers too.
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync, fstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { ScanError } from '../scan/finding.js';

export interface WalkOptions {
  /** Directory relative arguments are resolved against; also the base of displayed paths. */
  cwd: string;
  /** Descend into vendor directories (default false, like the go tool). */
  includeVendor?: boolean;
  /** Include _test.go files found by recursion (default true). */
  tests?: boolean;
  /** Files larger than this many bytes are reported and skipped. */
  maxFileSize?: number;
}

export interface FoundFile {
  abs: string;
  /** The path shown to the user: relative to cwd for relative arguments, absolute otherwise. */
  display: string;
  size: number;
}

export interface FoundPackage {
  absDir: string;
  displayDir: string;
  files: FoundFile[];
  /** Total size of its files, used to schedule big packages first. */
  bytes: number;
}

export interface WalkResult {
  packages: FoundPackage[];
  /** Every .go file found, including the ones skipped for their size. */
  goFiles: number;
  errors: ScanError[];
  /** Arguments that name nothing: the CLI exits 2 for these after scanning the rest. */
  missing: string[];
  /** Directory arguments and patterns with no Go files at all (also exit 2). */
  empty: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

/** Thrown for an argument that is not a usable path or pattern. */
export class PatternError extends Error {}

interface Arg {
  /** The directory or file, absolute. */
  abs: string;
  recursive: boolean;
  /** Whether displayed paths are absolute (the user typed an absolute path). */
  absoluteDisplay: boolean;
  text: string;
}

function parseArg(text: string, cwd: string): Arg {
  let p = text;
  let recursive = false;
  if (p === '...' || p.endsWith('/...') || p.endsWith(`${path.sep}...`)) {
    recursive = true;
    p = p === '...' ? '.' : p.slice(0, -4) || '/';
  }
  if (p.includes('...')) {
    throw new PatternError(`unsupported pattern ${JSON.stringify(text)}: only a trailing /... is supported (e.g. ./pkg/...)`);
  }
  return { abs: path.resolve(cwd, p), recursive, absoluteDisplay: path.isAbsolute(p), text };
}

export function discover(args: readonly string[], options: WalkOptions): WalkResult {
  const tests = options.tests ?? true;
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const result: WalkResult = { packages: [], goFiles: 0, errors: [], missing: [], empty: [] };
  const packages = new Map<string, FoundPackage>();
  /**
   * Files already taken, by their directory's real path and their own name, so overlapping
   * arguments (`./... ./pkg`, or a symlinked directory named beside its target) add a file once.
   */
  const seenFiles = new Set<string>();

  const display = (arg: Arg, abs: string) => (arg.absoluteDisplay ? abs : path.relative(options.cwd, abs) || '.');

  const addFile = (arg: Arg, abs: string, key: string, stats: Stats) => {
    if (seenFiles.has(key)) return;
    seenFiles.add(key);
    result.goFiles++;
    const shown = display(arg, abs);
    if (stats.size > maxFileSize) {
      result.errors.push({ file: shown, line: 0, kind: 'skipped', message: `file is ${stats.size} bytes, over the size limit of ${maxFileSize} (--max-file-size); skipped` });
      return;
    }
    const dir = path.dirname(abs);
    let pkg = packages.get(dir);
    if (!pkg) {
      pkg = { absDir: dir, displayDir: display(arg, dir), files: [], bytes: 0 };
      packages.set(dir, pkg);
    }
    pkg.files.push({ abs, display: shown, size: stats.size });
    pkg.bytes += stats.size;
  };

  /** What one argument's walk saw: Go files (taken or already taken) and problems reported. */
  interface Tally {
    goFiles: number;
    problems: number;
  }

  // Symlinked directories are not followed below an argument, as the go tool does for `./...`
  // (so a link cannot make a loop or scan a tree twice); symlinked .go files are read, as the
  // go tool reads them, as files of the directory holding the link. `realDir` is `dir`'s real
  // path: the argument's own path is resolved once, and nothing below it is a link.
  const listDir = (arg: Arg, dir: string, realDir: string, tally: Tally) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      tally.problems++;
      result.errors.push({ file: display(arg, dir), line: 0, kind: 'skipped', message: `cannot read directory: ${errMessage(err)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const full = path.join(dir, e.name);
      const isGo = e.name.endsWith('.go');
      if (isGo && (e.isFile() || e.isSymbolicLink())) {
        if (!tests && e.name.endsWith('_test.go')) {
          tally.goFiles++;
          continue;
        }
        let stats: Stats;
        try {
          stats = statSync(full);
        } catch (err) {
          tally.goFiles++;
          tally.problems++;
          result.errors.push({ file: display(arg, full), line: 0, kind: 'skipped', message: `cannot read: ${errMessage(err)}` });
          continue;
        }
        if (!stats.isFile()) continue;
        tally.goFiles++;
        addFile(arg, full, path.join(realDir, e.name), stats);
      } else if (e.isDirectory() && arg.recursive) {
        if (e.name === 'testdata' || (e.name === 'vendor' && !options.includeVendor)) continue;
        subdirs.push(e.name);
      }
    }
    for (const name of subdirs) listDir(arg, path.join(dir, name), path.join(realDir, name), tally);
  };

  for (const text of args) {
    const arg = parseArg(text, options.cwd);
    let stats: Stats;
    /** The argument's real path; for a file, its directory's (a file is known by where it is listed). */
    let real: string;
    try {
      stats = statSync(arg.abs);
      real = stats.isDirectory() ? realpathSync.native(arg.abs) : path.join(realpathSync.native(path.dirname(arg.abs)), path.basename(arg.abs));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file or directory' : code === 'ELOOP' ? 'symlink loop' : errMessage(err);
      result.errors.push({ file: text, line: 0, kind: 'path', message: `cannot scan ${JSON.stringify(text)}: ${why}` });
      result.missing.push(text);
      continue;
    }
    if (stats.isDirectory()) {
      const tally: Tally = { goFiles: 0, problems: 0 };
      listDir(arg, arg.abs, real, tally);
      if (tally.goFiles === 0 && tally.problems === 0) {
        result.errors.push({ file: text, line: 0, kind: 'path', message: noGoFiles(arg) });
        result.empty.push(text);
      }
    } else if (arg.recursive) {
      result.errors.push({ file: text, line: 0, kind: 'path', message: `cannot scan ${JSON.stringify(text)}: not a directory` });
      result.missing.push(text);
    } else addFile(arg, arg.abs, real, stats);
  }
  result.packages = [...packages.values()];
  return result;
}

/** What to say for an argument with no Go files, pointing at the pattern that looks further. */
function noGoFiles(arg: Arg): string {
  if (arg.recursive) return `${JSON.stringify(arg.text)} matched no packages: no Go files in it or below it (testdata, vendor and names starting with . or _ are skipped)`;
  const dir = arg.text.replace(/[/\\]+$/, '') || arg.text;
  const below = dir === '.' ? './...' : `${dir}/...`;
  return `no Go files in ${JSON.stringify(arg.text)}; a directory argument is one package: use ${below} to scan the packages below it`;
}

export type LoadedSource = { kind: 'source'; source: string } | { kind: 'ignored'; reason: string } | { kind: 'error'; message: string };

const BINARY_PROBE = 8 * 1024;

/**
 * Reads one Go file: binary files (a NUL byte in the first 8 KiB) and files over the size limit
 * are refused, files excluded by a `//go:build ignore`-style constraint are skipped, and invalid
 * UTF-8 is decoded lossily (the parser copes with replacement characters).
 */
export function loadGoSource(abs: string, maxFileSize: number = DEFAULT_MAX_FILE_SIZE): LoadedSource {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (err) {
    return { kind: 'error', message: `cannot read: ${errMessage(err)}` };
  }
  try {
    const size = fstatSync(fd).size;
    // Checked again here: the file may have grown since discovery.
    if (size > maxFileSize) return { kind: 'error', message: `file is ${size} bytes, over the size limit of ${maxFileSize} (--max-file-size); skipped` };
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buf.subarray(0, read);
    if (bytes.subarray(0, BINARY_PROBE).includes(0)) return { kind: 'error', message: 'binary file (NUL byte in the first 8 KiB); skipped' };
    let source = bytes.toString('utf8');
    if (source.charCodeAt(0) === 0xfeff) source = source.slice(1);
    if (buildIgnored(source)) return { kind: 'ignored', reason: 'build constraint excludes it (ignore tag)' };
    return { kind: 'source', source };
  } catch (err) {
    return { kind: 'error', message: `cannot read: ${errMessage(err)}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * True when the file's build constraint cannot hold: it is evaluated with the `ignore` tag unset
 * and every other tag free, so `//go:build ignore` and `//go:build ignore && linux` exclude the
 * file while `//go:build linux && !windows` keeps it (goroscope scans every platform's files).
 * Only the comment lines before the package clause count; `//go:build` wins over `// +build`.
 */
export function buildIgnored(source: string): boolean {
  try {
    const expr = constraintOf(source);
    return expr !== null && !satisfiableWithoutIgnore(expr);
  } catch {
    return false; // A malformed constraint is the compiler's problem, not a reason to skip.
  }
}

type Expr = { tag: string } | { not: Expr } | { and: [Expr, Expr] } | { or: [Expr, Expr] };

function constraintOf(source: string): Expr | null {
  let goBuild: string | null = null;
  const plusBuild: string[] = [];
  let inBlock = false;
  for (const raw of source.split('\n', 200)) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line === '') continue;
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/', 2);
      continue;
    }
    if (!line.startsWith('//')) break;
    const go = /^\/\/go:build\s+(.*)$/.exec(line);
    if (go && goBuild === null) goBuild = go[1]!;
    const plus = /^\/\/\s*\+build\s+(.*)$/.exec(line);
    if (plus) plusBuild.push(plus[1]!);
  }
  if (goBuild !== null) return parseGoBuild(goBuild);
  if (plusBuild.length === 0) return null;
  // `// +build a,b c` is (a AND b) OR c; several lines are ANDed.
  const lines = plusBuild.map((l) => {
    const alternatives = l.trim().split(/\s+/).map((alt) => {
      const terms = alt.split(',').map((t): Expr => (t.startsWith('!') ? { not: { tag: t.slice(1) } } : { tag: t }));
      return terms.reduce((a, b) => ({ and: [a, b] }));
    });
    return alternatives.reduce((a, b) => ({ or: [a, b] }));
  });
  return lines.reduce((a, b) => ({ and: [a, b] }));
}

function parseGoBuild(text: string): Expr {
  const tokens = text.replace(/\/\/.*$/, '').match(/&&|\|\||!|\(|\)|[\w.]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const orExpr = (): Expr => {
    let left = andExpr();
    while (peek() === '||') {
      i++;
      left = { or: [left, andExpr()] };
    }
    return left;
  };
  const andExpr = (): Expr => {
    let left = unary();
    while (peek() === '&&') {
      i++;
      left = { and: [left, unary()] };
    }
    return left;
  };
  const unary = (): Expr => {
    const t = tokens[i++];
    if (t === '!') return { not: unary() };
    if (t === '(') {
      const e = orExpr();
      if (tokens[i++] !== ')') throw new Error('unbalanced parentheses');
      return e;
    }
    if (!t || !/^[\w.]+$/.test(t)) throw new Error('bad build expression');
    return { tag: t };
  };
  const e = orExpr();
  if (i !== tokens.length) throw new Error('trailing tokens');
  return e;
}

function satisfiableWithoutIgnore(expr: Expr): boolean {
  const tags = new Set<string>();
  const collect = (e: Expr): void => {
    if ('tag' in e) {
      if (e.tag !== 'ignore') tags.add(e.tag);
    } else if ('not' in e) collect(e.not);
    else for (const x of 'and' in e ? e.and : e.or) collect(x);
  };
  collect(expr);
  const names = [...tags];
  // Beyond 12 free tags brute force gets slow; such a file is kept (never silently dropped).
  if (names.length > 12) return true;
  const evaluate = (e: Expr, on: Set<string>): boolean => {
    if ('tag' in e) return e.tag !== 'ignore' && on.has(e.tag);
    if ('not' in e) return !evaluate(e.not, on);
    if ('and' in e) return evaluate(e.and[0], on) && evaluate(e.and[1], on);
    return evaluate(e.or[0], on) || evaluate(e.or[1], on);
  };
  for (let mask = 0; mask < 1 << names.length; mask++) {
    const on = new Set(names.filter((_, bit) => mask & (1 << bit)));
    if (evaluate(expr, on)) return true;
  }
  return false;
}

function errMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EACCES') return 'permission denied';
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'ELOOP') return 'symlink loop';
  if (e?.code === 'EISDIR') return 'is a directory';
  return e?.message ?? String(err);
}
