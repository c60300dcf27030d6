// `goroscope check`: the pre-release checklist in one call. Each item passes, fails or is
// skipped with the reason: the static scan, the test leak check, and the load check.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findGoMod } from '../gosrc/gomod.js';
import { runScan } from '../scan/engine.js';
import { SEVERITY_ORDER, type Severity } from '../scan/finding.js';
import { parseTestArgs } from '../testrun/args.js';
import { goListStd } from '../testrun/gostd.js';
import { runLeakTests } from '../testrun/run.js';
import { VERSION } from '../version.js';
import { runLoadCheck, type LoadCheckOptions } from './load.js';

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
  items: ChecklistItem[];
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
}

const MAX_DETAILS = 20;
const TITLES: Record<ItemId, string> = {
  scan: 'Static scan finds no goroutine leaks',
  test: 'Tests leave no goroutines behind',
  load: 'Goroutines return to their level after load',
};

export async function runCheck(o: CheckOptions): Promise<CheckReport> {
  const items: ChecklistItem[] = [];
  const item = (id: ItemId, status: ItemStatus, summary: string, details: string[] = []) =>
    items.push({ id, title: TITLES[id], status, summary, details: details.slice(0, MAX_DETAILS) });

  if (o.skip.includes('scan')) item('scan', 'skipped', 'skipped by configuration');
  else {
    const { result } = await runScan(o.packages, { cwd: o.cwd });
    const failing = result.findings.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[o.failOn]);
    const details = failing.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.message}`);
    if (result.errors.length > 0) details.push(...result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`));
    item(
      'scan',
      failing.length > 0 ? 'failed' : 'passed',
      `${failing.length} finding(s) at or above ${o.failOn} in ${result.stats.files} files (${result.findings.length} in all)` +
        (result.errors.length > 0 ? `, ${result.errors.length} file error(s)` : ''),
      details,
    );
  }

  if (o.skip.includes('test')) item('test', 'skipped', 'skipped by configuration');
  else if (!(await goAvailable(o.go))) item('test', 'skipped', `no Go toolchain: ${o.go} cannot be run (install Go or pass --go)`);
  else {
    const options = parseTestArgs([...o.testFlags, ...o.packages]);
    options.go = o.go;
    const { report, goExitCode } = await runLeakTests(options, o.cwd, { passThrough: false });
    const leaks = report.packages.flatMap((p) =>
      p.leaks.map((l) => `${p.package}: ${l.test ?? 'unidentified test'} leaks ${l.count} goroutine(s) in ${l.state || l.kind}` + (l.location ? ` at ${l.location.file}:${l.location.line}` : '')),
    );
    const failedPkgs = report.packages.filter((p) => !p.testsPassed).map((p) => `${p.package}: tests failed`);
    const failed = leaks.length > 0 || failedPkgs.length > 0 || goExitCode !== 0;
    const unchecked = report.unchecked.map((u) => `${u.package}: not checked: ${u.reason}`);
    item(
      'test',
      failed ? 'failed' : 'passed',
      `${leaks.length} leak(s) in ${report.packages.length} package(s)` + (failedPkgs.length > 0 || goExitCode !== 0 ? '; go test failed' : ''),
      [...leaks, ...failedPkgs, ...unchecked],
    );
  }

  if (o.skip.includes('load')) item('load', 'skipped', 'skipped by configuration');
  else if (!o.load.service || !o.load.load) item('load', 'skipped', 'no --service URL and --load command given');
  else {
    // The service's own code: go.mod's module here, and the standard library of the Go at hand.
    const facts = { modulePath: findGoMod(o.cwd)?.modulePath ?? null, toolchainStd: await goListStd(o.go, o.cwd) };
    const r = await runLoadCheck({ ...o.load, service: o.load.service, load: o.load.load, cwd: o.cwd, facts });
    const pct = r.diff.totals.growthPercent;
    item(
      'load',
      r.passed ? 'passed' : 'failed',
      `goroutines ${r.before} before, ${r.after} after the load` + (pct === null ? '' : ` (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%)`),
      [
        ...r.failures,
        ...r.newGroups.map((d) => `new: ${d.after} goroutine(s) in ${d.group.state || d.group.kind}` + (d.group.location ? ` at ${d.group.location.func} (${d.group.location.file}:${d.group.location.line})` : '')),
      ],
    );
  }
  return { version: VERSION, passed: items.every((i) => i.status !== 'failed'), items };
}

async function goAvailable(go: string): Promise<boolean> {
  try {
    await execFileP(go, ['version'], { env: { ...process.env, GOTOOLCHAIN: 'local' } });
    return true;
  } catch {
    return false;
  }
}
