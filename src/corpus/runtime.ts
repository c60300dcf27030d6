// The corpus's ground truth, checked by running it: the corpus module builds into one binary
// (cmd/corpus) that runs a program by name, waits for its goroutines to settle and writes a
// goroutine dump. A leaking program must leave goroutines blocked exactly at its marked lines,
// started by its marked go statements; a correct program must leave none of its own. The dump is
// read with goroscope's own parser and idle analysis, as `goroscope test` reads its dumps.
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { findIdleLeaks } from '../dump/analyze/analyze.js';
import type { GoroutineGroup } from '../dump/analyze/group.js';
import type { FrameRef } from '../dump/analyze/packages.js';
import { parseDump } from '../dump/parse/index.js';
import { goEnv } from '../testing/env.js';
import { CORPUS_DIR, CORPUS_MODULE, type CorpusProgram } from './marks.js';

export interface ProgramRun {
  name: string;
  /** Exit code, or null when killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function execFileAsync(file: string, args: string[], options: { cwd?: string; timeout: number; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Builds the corpus module with `go build -o outDir ./...`; returns the harness binary's path.
 * `buildFlags` go before the pattern (`-overlay=...` for an instrumented build).
 */
export async function buildCorpus(go: string, outDir: string, dir: string = CORPUS_DIR, buildFlags: string[] = []): Promise<string> {
  const r = await execFileAsync(go, ['build', ...buildFlags, '-o', outDir, './...'], { cwd: dir, env: goEnv(), timeout: 300_000 });
  if (r.code !== 0) throw new Error(`go build of the corpus failed:\n${r.stderr}`);
  return path.join(outDir, 'corpus');
}

/** The program names the harness binary knows (`corpus -list`). */
export async function listPrograms(bin: string): Promise<string[]> {
  const r = await execFileAsync(bin, ['-list'], { timeout: 30_000 });
  if (r.code !== 0) throw new Error(`corpus -list failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * Runs the named programs, at most `parallel` at a time (they mostly sleep while settling), with
 * `env` added to the environment.
 */
export async function runPrograms(bin: string, names: readonly string[], parallel = 16, settle = '1s', env: Record<string, string> = {}): Promise<Map<string, ProgramRun>> {
  const runs = new Map<string, ProgramRun>();
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const started = performance.now();
      const r = await execFileAsync(bin, ['-settle', settle, name], { timeout: 20_000, env: { ...process.env, ...env } });
      runs.set(name, { name, ...r, ms: Math.round(performance.now() - started) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, names.length) }, worker));
  return runs;
}

function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function where(f: FrameRef | null): string {
  return f ? `${f.func} (${path.basename(f.file)}:${f.line})` : 'unknown';
}

/** The goroutines the program left behind, as goroscope's idle analysis reads its dump. */
export function leftGoroutines(run: ProgramRun): GoroutineGroup[] {
  return findIdleLeaks(parseDump(run.stdout), { modulePath: CORPUS_MODULE });
}

/**
 * What is wrong with a program's run, judged against its marks: empty when a leaking program left
 * goroutines blocked exactly at its marked lines (of the marked kinds, created by its marked go
 * statements) and nothing else, and when a correct program left nothing.
 */
export function runProblems(program: CorpusProgram, run: ProgramRun): string[] {
  if (run.code !== 0) return [`exited with ${run.code ?? 'a timeout'}: ${run.stderr.trim().slice(0, 500)}`];
  const groups = leftGoroutines(run);
  if (program.expect === 'correct') return groups.map((g) => `${g.count} goroutine(s) left blocked (${g.kind}) at ${where(g.location)}, created at ${where(g.createdBy)}`);

  const files = new Set(program.files.map(real));
  const inProgram = (f: FrameRef | null) => f !== null && files.has(real(f.file));
  const markAt = (f: FrameRef, type: 'blocked' | 'go') => program.marks.find((m) => m.type === type && m.line === f.line && real(m.file) === real(f.file));
  const problems: string[] = [];
  const seenBlocked = new Set<string>();
  const seenGo = new Set<string>();
  if (groups.length === 0) problems.push('left no blocked goroutine: the leak did not happen');
  for (const g of groups) {
    const loc = g.location;
    if (!loc || !inProgram(loc)) {
      problems.push(`${g.count} goroutine(s) blocked (${g.kind}) outside the program at ${where(loc)}`);
      continue;
    }
    const mark = markAt(loc, 'blocked');
    if (!mark || mark.type !== 'blocked') problems.push(`${g.count} goroutine(s) blocked (${g.kind}) at an unmarked line ${where(loc)}`);
    else {
      seenBlocked.add(`${real(mark.file)}:${mark.line}`);
      if (mark.kind !== g.kind) problems.push(`${where(loc)} is marked "leak: ${mark.kind}" but the dump shows ${g.kind}`);
    }
    if (g.createdBy && inProgram(g.createdBy)) {
      const goMark = markAt(g.createdBy, 'go');
      if (goMark) seenGo.add(`${real(goMark.file)}:${goMark.line}`);
      else problems.push(`${g.count} goroutine(s) blocked at ${where(loc)} were started by an unmarked go statement at ${where(g.createdBy)}`);
    }
  }
  for (const m of program.marks) {
    const key = `${real(m.file)}:${m.line}`;
    if (m.type === 'blocked' && !seenBlocked.has(key)) problems.push(`no goroutine blocked at the marked line ${path.basename(m.file)}:${m.line} (${m.kind})`);
    if (m.type === 'go' && !seenGo.has(key)) problems.push(`no leaked goroutine started by the marked go statement ${path.basename(m.file)}:${m.line}`);
  }
  return problems;
}
