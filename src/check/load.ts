// The load check of `goroscope check`: take a service's goroutine profile, run a load command,
// wait for the goroutine count to settle, take the profile again, and gate on the diff.
import { spawn } from 'node:child_process';
import { diffDumps, type DumpDiff, type GroupOptions } from '../dump/analyze/index.js';
import { readDumpInput } from '../dump/fetch.js';
import type { Dump } from '../dump/model.js';
import { UserError } from '../cli/exit.js';

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
}

export interface LoadCheckResult {
  before: number;
  after: number;
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

function runShell(command: string, cwd: string | undefined, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new LoadCheckError(`the load command did not finish within ${Math.round(timeoutMs / 1000)} s: ${command}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new LoadCheckError(`cannot run the load command: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoadCheck(o: LoadCheckOptions): Promise<LoadCheckResult> {
  const before = await take(o.service, o.fetchTimeoutMs);
  const loadExitCode = await runShell(o.load, o.cwd, o.loadTimeoutMs);
  if (loadExitCode !== 0) throw new LoadCheckError(`the load command failed with exit code ${loadExitCode}: ${o.load}`);
  // Settle: poll until the count is back at or below where it started, or has not moved for
  // three polls in a row (goroutines that finish late are not leaks), or time is up.
  const deadline = Date.now() + o.settleMs;
  let after = await take(o.service, o.fetchTimeoutMs);
  let polls = 1;
  let steady = 0;
  while (after.total > before.total && Date.now() < deadline && steady < 3) {
    await sleep(250);
    const next = await take(o.service, o.fetchTimeoutMs);
    polls++;
    steady = next.total === after.total ? steady + 1 : 0;
    after = next;
  }
  const diff = diffDumps(before, after, { ...o.facts, maxGrowthPercent: o.maxGrowthPercent });
  const newGroups = diff.grown.filter((d) => d.before === 0);
  const inNewGroups = newGroups.reduce((n, d) => n + d.after, 0);
  const failures = [...diff.gate.failures];
  if (inNewGroups > o.maxNew) failures.push(`${newGroups.length} goroutine group(s) that did not exist before the load remain (${inNewGroups} goroutines, more than --max-new ${o.maxNew})`);
  return { before: before.total, after: after.total, diff, newGroups, passed: failures.length === 0, failures, loadExitCode, polls };
}
