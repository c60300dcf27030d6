// Real signals to a real `goroscope test` (and `check`) while a slow Go test runs: go test and the
// test binary must be gone, every temporary directory removed (goroscope's and go's own work
// directory: each run gets a TMPDIR of its own, which must be empty afterwards), and the report
// on stdout must be complete JSON that says it is partial, with exit 130 (SIGINT) or 143 (SIGTERM).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const MODULE = path.join(REPO_ROOT, 'src/testrun/testdata/leakymod');
const skip = goUnavailable();

interface Interrupted {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Seconds from the first signal to goroscope's exit. */
  exitAfter: number;
  /** Processes still running whose command line names the run's TMPDIR, after exit. */
  leftover: string[];
  /** What is left in the run's TMPDIR after exit. */
  tmpLeft: string[];
}

let scratch = '';

/** Processes (ps lines) whose command line mentions `needle`. */
function processesMentioning(needle: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

/**
 * Runs goroscope with `args` in the test module, waits until the slow test has started (and
 * `waitFor` is on stderr), sends `signals` (a second one 300 ms after the first, if given) and
 * reports what is left. `ignoreSigint` makes the test binary ignore SIGINT.
 */
async function interrupt(args: string[], signals: NodeJS.Signals[], { waitFor = null as RegExp | null, ignoreSigint = false } = {}): Promise<Interrupted> {
  const tmp = mkdtempSync(path.join(scratch, 'run-'));
  const marks = mkdtempSync(path.join(scratch, 'marks-'));
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: MODULE,
    env: goEnv({ TMPDIR: tmp, SLOW_STARTED: marks, NO_COLOR: '1', ...(ignoreSigint ? { SLOW_IGNORE_SIGINT: '1' } : {}) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // The test binary writes "started" once TestSlow runs: the build is over, the binary is alive.
  const deadline = Date.now() + 90_000;
  while (!existsSync(path.join(marks, 'started')) || (waitFor && !waitFor.test(stderr))) {
    if (Date.now() > deadline) throw new Error(`TestSlow never started; stderr:\n${stderr}`);
    if (child.exitCode !== null) throw new Error(`goroscope exited early (${child.exitCode}); stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(processesMentioning(tmp).some((l) => /slow\.test/.test(l)), 'the test binary runs from the run\'s TMPDIR').toBe(true);
  const sent = Date.now();
  child.kill(signals[0]);
  if (signals[1]) setTimeout(() => child.kill(signals[1]), 300);
  const code = await exited;
  const exitAfter = (Date.now() - sent) / 1000;
  // Ending a group is asynchronous to goroscope's exit only if something ignored it: allow 1 s.
  let leftover = processesMentioning(tmp);
  for (let i = 0; i < 10 && leftover.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    leftover = processesMentioning(tmp);
  }
  return { code, stdout, stderr, exitAfter, leftover, tmpLeft: readdirSync(tmp) };
}

describe.skipIf(skip)(`interrupting goroscope test and check${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'goroscope-interrupt-'));
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const testArgs = ['test', '--format', 'json', '--go', findGo() ?? 'go', '-tags', 'slow', './clean/', './slow/'];
  // go test's output goes to stderr with --format json, in the order of the packages given: once
  // clean's result is there, it has been checked.
  const cleanDone = /^ok\s+example\.com\/leakymod\/clean/m;

  it.each([
    ['SIGINT', 130, false],
    ['SIGTERM', 143, false],
    ['SIGINT', 130, true],
  ] as const)('%s: ends go test and the test binary, removes temporary directories, writes a partial report, exits %i (test binary ignores SIGINT: %s)', async (signal, exitCode, ignoreSigint) => {
    const r = await interrupt(testArgs, [signal], { waitFor: cleanDone, ignoreSigint });
    console.log(`${signal}${ignoreSigint ? ' (ignored by the test binary)' : ''}: goroscope test exited ${r.code} ${r.exitAfter.toFixed(2)} s after the signal`);
    expect(r.code, r.stderr).toBe(exitCode);
    expect(r.leftover).toEqual([]);
    expect(r.tmpLeft).toEqual([]);
    // A binary that ignores SIGINT is killed after the 3 s grace period; go then cleans up.
    if (ignoreSigint) expect(r.exitAfter).toBeGreaterThan(2.5);
    expect(r.exitAfter).toBeLessThan(15);
    expect(r.stderr).toContain(`goroscope: ${signal} received: stopping the child processes, then writing a partial report`);
    const report = JSON.parse(r.stdout);
    expect(report.interrupted).toBe(signal);
    // The clean package finished before the signal and was checked; the slow one was not.
    const byName = Object.fromEntries(report.packages.map((p: { package: string; checked: boolean }) => [p.package.replace('example.com/leakymod/', ''), p.checked]));
    expect(byName).toEqual({ clean: true, slow: false });
    expect(report.packages.find((p: { package: string }) => p.package.endsWith('/slow')).testsPassed).toBe(true);
    expect(report.unchecked).toEqual([
      expect.objectContaining({ package: 'example.com/leakymod/slow', reason: `goroscope was interrupted (${signal}) before the package's leak check ran` }),
    ]);
  }, 120_000);

  it('a second SIGINT stops at once: no process and no goroscope directory left, no report', async () => {
    // The binary ignores the first SIGINT, so goroscope is still waiting when the second comes.
    const r = await interrupt(testArgs, ['SIGINT', 'SIGINT'], { ignoreSigint: true });
    expect(r.code, r.stderr).toBe(130);
    expect(r.exitAfter).toBeLessThan(2);
    expect(r.leftover).toEqual([]);
    expect(r.tmpLeft.filter((f) => f.startsWith('goroscope-'))).toEqual([]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('goroscope: SIGINT received again: stopped at once, no report');
  }, 120_000);

  it('--shake: ends every schedule running in parallel, starts no other, writes a partial report', async () => {
    // More schedules than run at once: those not started when the signal comes never start.
    const seeds = Array.from({ length: os.availableParallelism() + 2 }, (_, i) => i + 1);
    const r = await interrupt(['test', '--format', 'json', '--go', findGo() ?? 'go', '--shake-seed', seeds.join(','), '-tags', 'slow', './slow/'], ['SIGINT']);
    console.log(`--shake: goroscope test exited ${r.code} ${r.exitAfter.toFixed(2)} s after the signal`);
    expect(r.code, r.stderr).toBe(130);
    expect(r.leftover).toEqual([]);
    expect(r.tmpLeft).toEqual([]);
    expect(r.exitAfter).toBeLessThan(15);
    const report = JSON.parse(r.stdout);
    expect(report.interrupted).toBe('SIGINT');
    expect(report.shake.schedules).toBeGreaterThanOrEqual(1);
    expect(report.shake.schedules).toBeLessThanOrEqual(os.availableParallelism());
    expect(report.runs).toBe(report.shake.schedules);
    expect(report.shake.seeds).toEqual(seeds.slice(0, report.shake.schedules));
    const [slow] = report.packages;
    expect(slow).toMatchObject({ checked: false, testsPassed: true, leaks: [] });
    expect(report.unchecked).toHaveLength(1);
    expect(report.unchecked[0].reason).toMatch(/^seed 1: goroscope was interrupted \(SIGINT\) before the package's leak check ran/);
  }, 120_000);

  it('check: the test item is partial, the items after it are not run, the checklist does not pass', async () => {
    const r = await interrupt(['check', '--format', 'json', '--go', findGo() ?? 'go', '--test-flags', '-tags slow', './slow/'], ['SIGINT']);
    expect(r.code, r.stderr).toBe(130);
    expect(r.leftover).toEqual([]);
    expect(r.tmpLeft).toEqual([]);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ passed: false, interrupted: 'SIGINT' });
    const items = Object.fromEntries(report.items.map((i: { id: string; status: string; summary: string }) => [i.id, `${i.status}: ${i.summary}`]));
    expect(items.scan).toMatch(/^passed: /);
    expect(items.test).toBe('skipped: 0 leak(s) in 1 package(s); 1 package(s) not checked; partial: interrupted by SIGINT');
    expect(report.items[1].details).toEqual(["example.com/leakymod/slow: not checked: goroscope was interrupted (SIGINT) before the package's leak check ran"]);
  }, 120_000);
});
