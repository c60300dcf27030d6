// `goroscope check`: the pre-release checklist in one call. Each item passes, fails or is
// skipped with the reason: the static scan, the test leak check, and the load check.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserError } from '../cli/exit.js';
import { findGoMod } from '../gosrc/gomod.js';
import { interruption, Interrupted } from '../process/group.js';
import { NO_PROGRESS, type Progress } from '../progress.js';
import { runScan } from '../scan/engine.js';
import { isUnanalysed, SEVERITY_ORDER, type Finding, type Severity } from '../scan/finding.js';
import { joinTestLeaks } from '../join/test-leaks.js';
import { parseTestArgs } from '../testrun/args.js';
import { goListStd } from '../testrun/gostd.js';
import { runLeakTests } from '../testrun/run.js';
import { VERSION } from '../version.js';
import { runLoadCheck, type LoadCheckOptions, type LoadCheckResult } from './load.js';

const execFileP = promisify(execFile);

export type ItemId = 'scan' | 'test' | 'load';
export type ItemStatus = 'passed' | 'failed' | 'skipped';

export interface ChecklistItem {
  id: ItemId;
  title: string;
  status: ItemStatus;
  /** One line: the outcome, or why the item was skipped. */
  summary: string;
  /** The findings, leaks or gate failures behind a failure (at most 20). */
  details: string[];
}

export interface CheckReport {
  version: string;
  passed: boolean;
  /** The signal that stopped the checklist early ("SIGINT"): items not run say so; never passed. */
  interrupted: string | null;
  items: ChecklistItem[];
  /**
   * Leaks the test item found that no finding of the scan item meets (at the blocked line, the
   * go statement or the function), with the model's explanation of the blocked line when it has
   * one; empty when either item did not run.
   */
  missedByScan: MissedLeak[];
  /** Settings goroscope ignored, with where they were written (an untrusted config's commands). */
  warnings: string[];
}

export interface MissedLeak {
  package: string;
  test: string | null;
  count: number;
  /** The blocked line, relative to the working directory. */
  location: { file: string; line: number } | null;
  /** The explanation's one-sentence summary (see `goroscope explain`), or why there is none. */
  explanation: string | null;
}

export interface CheckOptions {
  packages: string[];
  cwd: string;
  failOn: Severity;
  skip: ItemId[];
  /** Extra go test flags for the test item, e.g. ["-race"]. */
  testFlags: string[];
  go: string;
  load: Omit<LoadCheckOptions, 'service' | 'load'> & { service: string | null; load: string | null };
  /** The scan's .goroscope.yaml (default: found from the first package upward). */
  configFile?: string | null;
  /** A package whose leak check could not run does not fail the test item. */
  allowUnchecked?: boolean;
  /** A file the scan could not analyse does not fail the scan item (scan's --allow-errors). */
  allowErrors?: boolean;
  /** Settings that were ignored (see check/trust.ts), shown with the report. */
  warnings?: string[];
  /** Why the config's check.service/check.load were ignored: the load item's skip reason. */
  loadIgnored?: string | null;
  /** Aborted (with an Interrupted reason) to stop early: children end, the rest is not run. */
  signal?: AbortSignal;
  /** Each stage as it starts and ends, for a person watching. */
  progress?: Progress;
}

const MAX_DETAILS = 20;
const TITLES: Record<ItemId, string> = {
  scan: 'Static scan finds no goroutine leaks',
  test: 'Tests leave no goroutines behind',
  load: 'Goroutines return to their level after load',
};

/** Throws a UserError when the load check is asked for by halves. */
export function assertLoadOptions(o: Pick<CheckOptions, 'skip' | 'load' | 'loadIgnored'>): void {
  if (o.skip.includes('load') || Boolean(o.load.service) === Boolean(o.load.load)) return;
  const [given, missing] = o.load.service ? ['--service', '--load'] : ['--load', '--service'];
  const ignored = o.loadIgnored ? ` (${o.loadIgnored})` : '';
  throw new UserError(`${given} needs ${missing}: the load check takes the service's goroutine profile before and after the load command${ignored}; give both, or --skip load`);
}

export async function runCheck(o: CheckOptions): Promise<CheckReport> {
  assertLoadOptions(o);
  const progress = o.progress ?? NO_PROGRESS;
  const items: ChecklistItem[] = [];
  const missedByScan: MissedLeak[] = [];
  /** The scan item's findings, for the test item's leaks; null when the scan did not run. */
  let scanFindings: Finding[] | null = null;
  const item = (id: ItemId, status: ItemStatus, summary: string, details: string[] = []) => {
    items.push({ id, title: TITLES[id], status, summary, details: details.slice(0, MAX_DETAILS) });
  };
  const skipped = (id: ItemId, why: string) => {
    item(id, 'skipped', why);
    progress.note(`${id}: skipped: ${why}`);
  };
  /** Runs a stage unless the run was interrupted before it; says when it starts and ends. */
  const stage = async (id: ItemId, run: () => Promise<void>) => {
    const stopped = interruption(o.signal);
    if (stopped) return skipped(id, `not run: goroscope was interrupted (${stopped.signal})`);
    const started = Date.now();
    progress.note(`${id}: started`);
    await run();
    progress.clear();
    const done = items.find((i) => i.id === id);
    if (done) progress.note(`${id}: ${done.status} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${done.summary}`);
  };

  if (o.skip.includes('scan')) skipped('scan', 'skipped by configuration');
  else
    await stage('scan', async () => {
      const { result } = await runScan(o.packages, {
        cwd: o.cwd,
        ...(o.configFile ? { config: o.configFile } : {}),
        onProgress: (p) => progress.status(`scan: ${p.done} of ${p.total} packages`),
      });
      scanFindings = result.findings;
      const failing = result.findings.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[o.failOn]);
      // As `scan` does, the item fails closed: code that was not analysed cannot pass the gate.
      const unanalysed = result.errors.filter((e) => e.kind === 'path' || (isUnanalysed(e) && !o.allowErrors));
      const details = [
        ...unanalysed.map((e) => `${e.file}:${e.line}: not analysed: ${e.message}`),
        ...failing.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.message}`),
        ...result.errors.filter((e) => !unanalysed.includes(e)).map((e) => `${e.file}:${e.line}: ${e.message}`),
      ];
      item(
        'scan',
        failing.length > 0 || unanalysed.length > 0 ? 'failed' : 'passed',
        `${failing.length} finding(s) at or above ${o.failOn} in ${result.stats.files} files (${result.findings.length} in all)` +
          (unanalysed.length > 0 ? `; ${unanalysed.length} file(s) not analysed` : '') +
          (result.errors.length > unanalysed.length ? `, ${result.errors.length - unanalysed.length} other file error(s)` : ''),
        details,
      );
    });

  if (o.skip.includes('test')) skipped('test', 'skipped by configuration');
  else if (!(await goAvailable(o.go))) skipped('test', `no Go toolchain: ${o.go} cannot be run (install Go or pass --go)`);
  else
    await stage('test', async () => {
      // Packages first: go test reads an unknown flag as the end of the package list.
      const options = parseTestArgs([...o.packages, ...o.testFlags]);
      options.go = o.go;
      const { report, goExitCode } = await runLeakTests(options, o.cwd, { passThrough: false, signal: o.signal, progress });
      // Each leak with what the scan said about it: its findings, or "missed by scan".
      const joined = scanFindings && report.packages.some((p) => p.leaks.length > 0) ? await joinTestLeaks(report, scanFindings, o.cwd) : null;
      const sources = joined?.leaks ?? [];
      for (const problem of joined?.problems ?? []) progress.note(`test: source of a leak not read: ${problem}`);
      const leaks = report.packages
        .flatMap((p) => p.leaks.map((l) => ({ p, l })))
        .map(({ p, l }, i) => {
          const s = sources[i]?.source;
          const scan = !s ? '' : s.findings.length > 0 ? `; scan: ${s.findings.map((f) => `${f.rule} at ${f.file}:${f.line}`).join(', ')}` : s.missedByScan ? '; missed by scan' : '';
          if (s?.missedByScan) missedByScan.push({ package: p.package, test: l.test, count: l.count, location: s.location, explanation: s.explanations[0]?.summary ?? s.note });
          return (
            `${p.package}: ${l.test ?? 'unidentified test'}${l.onlyWith.length > 0 ? ` (with ${l.onlyWith.join(', ')})` : ''} leaks ${l.count} goroutine(s) in ${l.blockedIn}` +
            (l.location ? ` at ${l.location.file}:${l.location.line}` : '') +
            scan
          );
        });
      const failedPkgs = report.packages.filter((p) => !p.testsPassed).map((p) => `${p.package}: tests failed`);
      const unchecked = report.unchecked.map((u) => `${u.package}: not checked: ${u.reason}`);
      const partial = report.interrupted ? `; partial: interrupted by ${report.interrupted}` : '';
      const failed = leaks.length > 0 || ((failedPkgs.length > 0 || goExitCode !== 0 || (unchecked.length > 0 && !o.allowUnchecked)) && !report.interrupted);
      item(
        'test',
        failed ? 'failed' : report.interrupted ? 'skipped' : 'passed',
        `${leaks.length} leak(s) in ${report.packages.length} package(s)` +
          (!report.interrupted && (failedPkgs.length > 0 || goExitCode !== 0) ? '; go test failed' : '') +
          (unchecked.length > 0 ? `; ${unchecked.length} package(s) not checked${o.allowUnchecked ? ' (allowed by --allow-unchecked)' : ''}` : '') +
          partial,
        [...leaks, ...failedPkgs, ...unchecked],
      );
    });

  if (o.skip.includes('load')) skipped('load', 'skipped by configuration');
  else if (!o.load.service || !o.load.load) skipped('load', o.loadIgnored ?? 'no --service URL and --load command given');
  else
    await stage('load', async () => {
      // The service's own code: go.mod's module here, and the standard library of the Go at hand.
      const facts = { modulePath: findGoMod(o.cwd)?.modulePath ?? null, toolchainStd: await goListStd(o.go, o.cwd) };
      try {
        const r = await runLoadCheck({ ...o.load, service: o.load.service!, load: o.load.load!, cwd: o.cwd, facts, signal: o.signal, progress });
        item('load', r.passed ? 'passed' : 'failed', loadSummary(r), loadDetails(r));
      } catch (err) {
        if (!(err instanceof Interrupted)) throw err;
        item('load', 'skipped', `not finished: goroscope was interrupted (${err.signal})`);
      }
    });
  const interrupted = interruption(o.signal);
  return {
    version: VERSION,
    // An interrupted checklist never passes: what did not run was not checked.
    passed: !interrupted && items.every((i) => i.status !== 'failed'),
    interrupted: interrupted ? interrupted.signal : null,
    items,
    missedByScan,
    warnings: o.warnings ?? [],
  };
}

/** The pair of totals the gate compared: goroutines outside the runtime's and standard library's benign ones. */
function loadSummary(r: LoadCheckResult): string {
  const pct = r.diff.totals.growthPercent;
  const grown = r.diff.grown.filter((d) => d.growth > 0).length;
  return (
    `goroutines ${r.before} before, ${r.after} after the load` +
    (pct === null ? '' : ` (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%)`) +
    (grown > 0 ? `; ${grown} group(s) grew` : '')
  );
}

/** The gate's failures, then each group that grew: count before and after, state and location. */
function loadDetails(r: LoadCheckResult): string[] {
  const grew = r.diff.grown
    .filter((d) => d.growth > 0)
    .map((d) => {
      const where = d.group.location ? ` at ${d.group.location.func} (${d.group.location.file}:${d.group.location.line})` : '';
      return `${d.before === 0 ? 'new' : 'grew'}: ${d.before} -> ${d.after} goroutine(s) in ${d.group.state || d.group.kind}${where}`;
    });
  const benign = `not counted: the runtime's and standard library's own goroutines (${r.allBefore - r.before} before, ${r.allAfter - r.after} after)`;
  return [...r.failures, ...grew.slice(0, MAX_DETAILS - r.failures.length - 1), benign];
}

async function goAvailable(go: string): Promise<boolean> {
  try {
    await execFileP(go, ['version'], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
    return true;
  } catch {
    return false;
  }
}
