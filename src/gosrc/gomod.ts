// Reads the parts of go.mod that matter here: the module path and the `go` version line.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface GoVersion {
  major: number;
  minor: number;
}

export interface GoMod {
  /** Directory holding go.mod. */
  dir: string;
  modulePath: string | null;
  goVersion: GoVersion | null;
}

export function parseGoVersion(text: string): GoVersion | null {
  const m = /^(?:go)?(\d+)\.(\d+)/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/**
 * True when `v` is at least major.minor. An unknown version (no go.mod at all) is not taken as
 * the newest: a rule whose leak went away in a later release keeps reporting it.
 */
export function atLeast(v: GoVersion | null, major: number, minor: number): boolean {
  if (!v) return false;
  return v.major > major || (v.major === major && v.minor >= minor);
}

/** The language version the go command assumes for a go.mod without a `go` line. */
export const GO_LINE_DEFAULT: GoVersion = { major: 1, minor: 16 };

export function parseGoMod(text: string, dir: string): GoMod {
  let modulePath: string | null = null;
  let goVersion: GoVersion | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    let m = /^module\s+"?([^\s"]+)"?/.exec(line);
    if (m) modulePath = m[1]!;
    m = /^go\s+(\S+)/.exec(line);
    if (m) goVersion = parseGoVersion(m[1]!);
  }
  // The go command reads a go.mod with no `go` line as Go 1.16.
  return { dir, modulePath, goVersion: goVersion ?? GO_LINE_DEFAULT };
}

/** Finds the go.mod governing `dir` by looking upward; null when there is none. */
export function findGoMod(dir: string): GoMod | null {
  let current = path.resolve(dir);
  for (;;) {
    const candidate = path.join(current, 'go.mod');
    if (existsSync(candidate)) {
      try {
        return parseGoMod(readFileSync(candidate, 'utf8'), current);
      } catch {
        return { dir: current, modulePath: null, goVersion: null };
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}
