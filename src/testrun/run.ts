// `goroscope test` as a library: run the user's go test with the leak-check harness, read each
// package's goroutine dump in idle mode, repeat for --count/--cpu, name the leaking tests.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GoroutineGroup, GroupOptions } from '../dump/analyze/index.js';
import { UserError } from '../cli/exit.js';
import { findGoMod } from '../gosrc/gomod.js';
import { VERSION } from '../version.js';
import type { TestOptions } from './args.js';
import { bisect, mapLimit, runPattern, subtestsFromVerbose } from './attribute.js';
import { runGoTest } from './gotest.js';
import { goListStd } from './gostd.js';
import { findTimeoutPanics, packageOutcomes, packageOutputs, testsInFrames } from './outcome.js';
import { buildOverlay, goList, type CheckMode, type PackagePlan } from './plan.js';
import { goUsageError, whyNotChecked } from './unchecked.js';

export interface Location {
  func: string;
  file: string;
  line: number;
}

export interface TestLeak {
  /** The test (or tests, comma-separated when only a combination leaks), or null when not attributed. */
  test: string | null;
  count: number;
  state: string;
  kind: string;
  location: Location | null;
  createdBy: Location | null;
  runs: { leaked: number; total: number };
  /** How the leak was seen: the harness's idle dump, a -timeout panic, or the runtime's goroutineleak profile. */
  evidence: 'idle-dump' | 'timeout' | 'leak-profile';
  /** Stable group signature (for diffs between runs). */
  signature: string;
}

export interface PackageReport {
  package: string;
  mode: CheckMode;
  testsPassed: boolean;
  /** False when the leak check did not run in some run (the package is then also in `unchecked`). */
  checked: boolean;
  leaks: TestLeak[];
  /** Why the leak check could not run in some run (build failure, crash before the check). */
  notes: string[];
}

export interface UncheckedPackage {
  package: string;
  reason: string;
  /** A test file of the package (the TestMain's when that is the reason), for SARIF locations. */
  file: string | null;
}

export interface TestReport {
  version: string;
  runs: number;
  packages: PackageReport[];
  /** Packages with tests whose leak check did not run (in some run), and why. */
  unchecked: UncheckedPackage[];
}

export interface TestRunResult {
  report: TestReport;
  /** go test's own exit code of the first run. */
  goExitCode: number;
}

interface RunConfig {
  label: string;
  extraArgs: string[];
}

export interface RunLeakTestsOptions {
  /** Copy go test's output to this process's stdout/stderr as it arrives (default true). */
  passThrough?: boolean;
  /** Where go test's stdout goes when passed through (stderr when stdout holds a report). */
  goStdout?: 'stdout' | 'stderr';
}

/**
 * The dump parser and analysis, loaded while go test runs: nothing needs them before the first
 * dump, and loading them with the command would delay go test (see the README's Speed section).
 */
type DumpLibraries = Pick<typeof import('../dump/parse/index.js'), 'parseDump'> & Pick<typeof import('../dump/analyze/analyze.js'), 'findIdleLeaks'>;
let dumpLibraries: Promise<DumpLibraries> | null = null;
function loadDumpLibraries(): Promise<DumpLibraries> {
  dumpLibraries ??= Promise.all([import('../dump/parse/index.js'), import('../dump/analyze/analyze.js')]).then(([p, a]) => ({ parseDump: p.parseDump, findIdleLeaks: a.findIdleLeaks }));
  return dumpLibraries;
}

export async function runLeakTests(options: TestOptions, cwd: string = process.cwd(), run: RunLeakTestsOptions = {}): Promise<TestRunResult> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'goroscope-test-'));
  try {
    // User code is told from the standard library by go.mod's module path and this toolchain's
    // `go list std`, listed while the packages are (see dump/analyze/user-code.ts).
    const toolchainStd = goListStd(options.go, cwd);
    const pkgs = await goList(options.go, options.packages, options.buildFlags, cwd);
    const overlay = await buildOverlay(pkgs, options.settleMs, work);
    const facts: GroupOptions = { modulePath: findGoMod(cwd)?.modulePath ?? null, toolchainStd: await toolchainStd };
    const configs: RunConfig[] = [];
    for (let r = 0; r < options.runs; r++) {
      if (options.cpus.length === 0) configs.push({ label: `run ${r + 1}`, extraArgs: [] });
      for (const cpu of options.cpus) configs.push({ label: `run ${r + 1} cpu ${cpu}`, extraArgs: [`-cpu=${cpu}`] });
    }
    const byPackage = new Map<string, PackageReport>();
    const leakRuns = new Map<string, Map<string, { group: GoroutineGroup; runs: number; evidence: TestLeak['evidence']; tests: string[] }>>();
    const notChecked = new Map<string, string[]>();
    for (const plan of overlay.plans) {
      byPackage.set(plan.pkg.importPath, { package: plan.pkg.importPath, mode: plan.mode, testsPassed: true, checked: true, leaks: [], notes: [] });
      leakRuns.set(plan.pkg.importPath, new Map());
    }
    let goExitCode = 0;
    for (const [i, cfg] of configs.entries()) {
      const dumpDir = path.join(work, `dumps-${i}`);
      await mkdir(dumpDir, { recursive: true });
      const goRunning = runGoTest({
        go: options.go,
        cwd,
        overlayFile: overlay.file,
        args: [...cfg.extraArgs, ...options.goArgs],
        dumpDir,
        passThrough: run.passThrough ?? true,
        goStdout: run.goStdout,
      });
      void loadDumpLibraries().catch(() => undefined); // loads while go test runs; awaited where used
      const goRun = await goRunning;
      const goUsage = goUsageError(goRun.exitCode, goRun.output);
      if (goUsage) throw new UserError(`go test: ${goUsage}`);
      if (i === 0) goExitCode = goRun.exitCode;
      const outcomes = packageOutcomes(goRun.output);
      const outputs = packageOutputs(goRun.output);
      const timeouts = findTimeoutPanics(goRun.output);
      const rejected: string[] = [];
      for (const plan of overlay.plans) {
        const report = byPackage.get(plan.pkg.importPath)!;
        const passed = outcomes.get(plan.pkg.importPath);
        if (passed === false) report.testsPassed = false;
        const seen = leakRuns.get(plan.pkg.importPath)!;
        const found = await leaksOfRun(plan, dumpDir, timeouts, facts);
        if (found.missing) {
          const why = whyNotChecked(outputs.get(plan.pkg.importPath) ?? '', passed);
          if (why.usageError) rejected.push(`${plan.pkg.importPath}: ${why.usageError}`);
          report.checked = false;
          report.notes.push(`${cfg.label}: not checked: ${why.reason}`);
          const reasons = notChecked.get(plan.pkg.importPath) ?? [];
          reasons.push(configs.length > 1 ? `${cfg.label}: ${why.reason}` : why.reason);
          notChecked.set(plan.pkg.importPath, reasons);
        }
        for (const { group, evidence, tests } of found.leaks) {
          const entry = seen.get(group.signature);
          if (entry) {
            entry.runs++;
            for (const t of tests) if (!entry.tests.includes(t)) entry.tests.push(t);
          } else seen.set(group.signature, { group, runs: 1, evidence, tests: [...tests] });
        }
      }
      if (rejected.length > 0) {
        throw new UserError(
          `go test: the test binary rejected its arguments (${rejected.join('; ')}); a flag go test does not know goes to every package's test binary, which must define it; goroscope's own options take two dashes`,
        );
      }
    }
    for (const plan of overlay.plans) {
      const report = byPackage.get(plan.pkg.importPath)!;
      const seen = leakRuns.get(plan.pkg.importPath)!;
      let attributed = new Map<string, string[]>();
      const needBisect = [...seen.values()].filter((e) => e.tests.length === 0);
      if (options.attribute && needBisect.length > 0) {
        attributed = await attributeTests(plan, new Set(needBisect.map((e) => e.group.signature)), options, overlay.file, cwd, work, facts);
      }
      for (const [sig, e] of seen) {
        const tests = e.tests.length > 0 ? e.tests : (attributed.get(sig) ?? []);
        report.leaks.push({
          test: tests.length > 0 ? tests.join(', ') : null,
          count: e.group.count,
          state: e.group.state,
          kind: e.group.kind,
          location: toLocation(e.group.location),
          createdBy: toLocation(e.group.createdBy),
          runs: { leaked: e.runs, total: configs.length },
          evidence: e.evidence,
          signature: sig,
        });
      }
    }
    return {
      report: {
        version: VERSION,
        runs: configs.length,
        packages: [...byPackage.values()],
        unchecked: [
          ...overlay.unchecked.map((u) => ({ package: u.importPath, reason: u.reason, file: u.file })),
          ...overlay.plans
            .filter((p) => notChecked.has(p.pkg.importPath))
            .map((p) => ({ package: p.pkg.importPath, reason: [...new Set(notChecked.get(p.pkg.importPath))].join('; '), file: firstTestFile(p) })),
        ],
      },
      goExitCode,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function toLocation(ref: { func: string; file: string; line: number } | null): Location | null {
  return ref ? { func: ref.func, file: ref.file, line: ref.line } : null;
}

function firstTestFile(plan: PackagePlan): string | null {
  const f = plan.pkg.testGoFiles[0] ?? plan.pkg.xTestGoFiles[0];
  return f ? path.join(plan.pkg.dir, f) : null;
}

interface FoundLeaks {
  leaks: Array<{ group: GoroutineGroup; evidence: TestLeak['evidence']; tests: string[] }>;
  /** The harness wrote no dump and there was no -timeout panic: the check did not run. */
  missing: boolean;
}

async function leaksOfRun(plan: PackagePlan, dumpDir: string, timeouts: ReturnType<typeof findTimeoutPanics>, facts: GroupOptions): Promise<FoundLeaks> {
  const { parseDump, findIdleLeaks } = await loadDumpLibraries();
  const importPath = plan.pkg.importPath;
  const timeout = timeouts.find((t) => t.importPath === importPath);
  if (timeout) {
    // A hung test: the goroutines stuck in the package's own code are its leaks.
    const dump = parseDump(timeout.text);
    const groups = findIdleLeaks(dump, facts).filter((g) => g.frames.some((f) => inPackage(f.func, importPath)));
    const tests = timeout.runningTests.length > 0 ? timeout.runningTests : testsInFrames(dump.goroutines.flatMap((g) => g.frames.map((f) => f.func)), importPath);
    return { leaks: groups.map((group) => ({ group, evidence: 'timeout' as const, tests })), missing: false };
  }
  const file = path.join(dumpDir, `${plan.dumpName}.txt`);
  if (!existsSync(file)) return { leaks: [], missing: true };
  const leaks: FoundLeaks['leaks'] = [];
  for (const group of findIdleLeaks(parseDump(await readFile(file)), facts)) leaks.push({ group, evidence: 'idle-dump', tests: [] });
  const profile = path.join(dumpDir, `${plan.dumpName}.leakprofile.txt`);
  if (existsSync(profile)) {
    const known = new Set(leaks.map((l) => l.group.signature));
    for (const group of findIdleLeaks(parseDump(await readFile(profile)), facts)) {
      if (group.leaked && !known.has(group.signature)) leaks.push({ group, evidence: 'leak-profile', tests: [] });
    }
  }
  return { leaks, missing: false };
}

function inPackage(func: string, importPath: string): boolean {
  return func.startsWith(`${importPath}.`) || func.startsWith(`${importPath}_test.`);
}

async function attributeTests(
  plan: PackagePlan,
  signatures: Set<string>,
  options: TestOptions,
  overlayFile: string,
  cwd: string,
  work: string,
  facts: GroupOptions,
): Promise<Map<string, string[]>> {
  let probes = 0;
  const limit = Math.max(1, os.availableParallelism());
  let active = 0;
  const waiting: Array<() => void> = [];
  const acquire = async () => {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
  };
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  const baseArgs = [...options.buildFlags, '-count=1'];
  const runOnce = async (pattern: string, verbose: boolean) => {
    await acquire();
    try {
      const dumpDir = path.join(work, `probe-${plan.dumpName}-${probes++}`);
      await mkdir(dumpDir, { recursive: true });
      const run = await runGoTest({
        go: options.go,
        cwd,
        overlayFile,
        args: [...baseArgs, ...(verbose ? ['-v'] : []), '-run', pattern, plan.pkg.importPath],
        dumpDir,
        passThrough: false,
      });
      const found = await leaksOfRun(plan, dumpDir, findTimeoutPanics(run.output), facts);
      return { sigs: new Set(found.leaks.map((l) => l.group.signature)), output: run.output };
    } finally {
      release();
    }
  };
  const tests = await listTests(plan, options, overlayFile, cwd, work);
  if (tests.length === 0) return new Map();
  const top = await bisect(tests, signatures, async (p) => (await runOnce(p, false)).sigs);
  // Narrow each top-level test down to the subtests responsible, when it has subtests.
  const parents = new Map<string, Set<string>>();
  for (const [sig, names] of top) {
    if (names.length > 1 && names.length === tests.length) continue; // only the whole suite leaks it
    for (const n of names) parents.set(n, (parents.get(n) ?? new Set()).add(sig));
  }
  const narrowed = new Map<string, Map<string, string[]>>();
  await mapLimit([...parents], limit, async ([parent, sigs]) => {
    const subs = subtestsFromVerbose((await runOnce(runPattern([parent]), true)).output, parent);
    if (subs.length >= 2) narrowed.set(parent, await bisect(subs, sigs, async (p) => (await runOnce(p, false)).sigs, parent));
  });
  const result = new Map<string, string[]>();
  for (const [sig, names] of top) {
    result.set(
      sig,
      names.flatMap((n) => narrowed.get(n)?.get(sig) ?? [n]),
    );
  }
  return result;
}

async function listTests(plan: PackagePlan, options: TestOptions, overlayFile: string, cwd: string, work: string): Promise<string[]> {
  const dumpDir = path.join(work, `list-${plan.dumpName}`);
  await mkdir(dumpDir, { recursive: true });
  const run = await runGoTest({
    go: options.go,
    cwd,
    overlayFile,
    args: [...options.buildFlags, '-list', '^Test', plan.pkg.importPath],
    dumpDir,
    passThrough: false,
  });
  return run.output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^Test\w*$/.test(l));
}
