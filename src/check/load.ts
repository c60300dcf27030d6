// The load check of `goroscope check`: take a service's goroutine profile, run a load command,
// wait for the goroutine count to settle, take the profile again, and gate on the diff.
import { diffDumps, type DumpDiff, type GroupOptions } from '../dump/analyze/index.js';
import { readDumpInput } from '../dump/fetch.js';
import type { Dump } from '../dump/model.js';
import { UserError } from '../cli/exit.js';
import { endGroup, interruption, spawnGroup } from '../process/group.js';
import { NO_PROGRESS, type Progress } from '../progress.js';

export interface LoadCheckOptions {
  /** Base URL of the service's goroutine profile, e.g. http://127.0.0.1:6060/debug/pprof/goroutine. */
  service: string;
  /** Shell command that puts load on the service; it must exit by itself. */
  load: string;
  /** Percentage of goroutine growth allowed (default 5). */
  maxGrowthPercent: number;
  /** Goroutines in groups absent before the load that may remain (default 0: any new group fails). */
  maxNew: number;
  /** How long to wait for the count to come back down after the load, in ms (default 10 s). */
  settleMs: number;
  /** Time limit of the load command, in ms (default 5 min). */
  loadTimeoutMs: number;
  /** Request timeout for each profile fetch, in ms. */
  fetchTimeoutMs?: number;
  cwd?: string;
  /** What tells the service's own code from the standard library: module path, `go list std`. */
  facts?: Pick<GroupOptions, 'modulePath' | 'toolchainStd'>;
  /** Aborted (with an Interrupted reason): the load command's process group ends, Interrupted is thrown. */
  signal?: AbortSignal;
  progress?: Progress;
}

export interface LoadCheckResult {
  /** Goroutines that count (the runtime's and standard library's benign ones left out), as compared by the gate. */
  before: number;
  after: number;
  /** Every goroutine in the two profiles, benign ones included. */
  allBefore: number;
  allAfter: number;
  diff: DumpDiff;
  /** Groups absent before the load that remain after it settled. */
  newGroups: DumpDiff['grown'];
  passed: boolean;
  failures: string[];
  loadExitCode: number;
  /** How many times the profile was polled while settling. */
  polls: number;
}

/** A load check that cannot be carried out (service down, load command failed): exit 2. */
export class LoadCheckError extends UserError {
  override name = 'LoadCheckError';
}

async function take(url: string, timeoutMs?: number): Promise<Dump> {
  try {
    return await readDumpInput(url, { timeoutMs });
  } catch (err) {
    throw new LoadCheckError(`cannot read the goroutine profile at ${url}: ${(err as Error).message}`);
  }
}

function runShell(command: string, cwd: string | undefined, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    // The command's output goes to stderr: stdout carries check's report (JSON, markdown). It
    // runs in a process group of its own, so a shell's children end with it.
    const child = spawnGroup(command, [], { shell: true, cwd, stdio: ['ignore', 2, 'inherit'], signal });
    const timer = setTimeout(() => {
      endGroup(child, 1000);
      reject(new LoadCheckError(`the load command did not finish within ${Math.round(timeoutMs / 1000)} s: ${command}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new LoadCheckError(`cannot run the load command: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stopped = interruption(signal);
      if (stopped) reject(stopped);
      else resolve(code ?? 1);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoadCheck(o: LoadCheckOptions): Promise<LoadCheckResult> {
  const progress = o.progress ?? NO_PROGRESS;
  const checkStop = () => {
    const stopped = interruption(o.signal);
    if (stopped) throw stopped;
  };
  const before = await take(o.service, o.fetchTimeoutMs);
  progress.status('load: the load command is running');
  const loadExitCode = await runShell(o.load, o.cwd, o.loadTimeoutMs, o.signal);
  if (loadExitCode !== 0) throw new LoadCheckError(`the load command failed with exit code ${loadExitCode}: ${o.load}`);
  // Settle: poll until the count is back at or below where it started, or has not moved for
  // three polls in a row (goroutines that finish late are not leaks), or time is up. The counts
  // are the diff's own totals, so the wait, the gate and the report agree on one pair of numbers.
  const diffOptions = { ...o.facts, maxGrowthPercent: o.maxGrowthPercent };
  const deadline = Date.now() + o.settleMs;
  let after = await take(o.service, o.fetchTimeoutMs);
  let diff = diffDumps(before, after, diffOptions);
  let polls = 1;
  let steady = 0;
  while (diff.totals.after > diff.totals.before && Date.now() < deadline && steady < 3) {
    checkStop();
    progress.status(`load: waiting for goroutines to settle: ${diff.totals.after} now, ${diff.totals.before} before the load`);
    await sleep(250);
    const next = await take(o.service, o.fetchTimeoutMs);
    const nextDiff = diffDumps(before, next, diffOptions);
    polls++;
    steady = nextDiff.totals.after === diff.totals.after ? steady + 1 : 0;
    after = next;
    diff = nextDiff;
  }
  checkStop();
  progress.clear();
  const newGroups = diff.grown.filter((d) => d.before === 0);
  const inNewGroups = newGroups.reduce((n, d) => n + d.after, 0);
  const failures = [...diff.gate.failures];
  if (inNewGroups > o.maxNew) failures.push(`${newGroups.length} goroutine group(s) that did not exist before the load remain (${inNewGroups} goroutines, more than --max-new ${o.maxNew})`);
  return {
    before: diff.totals.before,
    after: diff.totals.after,
    allBefore: before.total,
    allAfter: after.total,
    diff,
    newGroups,
    passed: failures.length === 0,
    failures,
    loadExitCode,
    polls,
  };
}
