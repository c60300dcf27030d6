// `goroscope test` as a library: run the user's go test with the leak-check harness, read each
// package's goroutine dump in idle mode, repeat for --count/--cpu, name the leaking tests.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { blockedInName } from '../dump/analyze/kinds.js';
import type { GoroutineGroup, GroupOptions } from '../dump/analyze/index.js';
import { UserError } from '../cli/exit.js';
import { findGoMod } from '../gosrc/gomod.js';
import { interruption } from '../process/group.js';
import { makeTempDir, removeTempDir } from '../process/temp.js';
import { NO_PROGRESS, type Progress } from '../progress.js';
import { VERSION } from '../version.js';
import type { TestOptions } from './args.js';
import { bisectSets, mapLimit, runPattern, subtestsFromVerbose } from './attribute.js';
import { runGoTest } from './gotest.js';
import { goListStd } from './gostd.js';
import { findTimeoutPanics, packageOutcomes, packageOutputs, testsInFrames } from './outcome.js';
import { buildOverlay, goList, type CheckMode, type PackagePlan } from './plan.js';
import { goUsageError, whyNotChecked } from './unchecked.js';
import type { GroupSource } from '../join/attach.js';

export interface Location {
  func: string;
  file: string;
  line: number;
}

/**
 * One leaking test and the goroutine group it leaks. A group leaked by several tests (each alone,
 * or only when they run together) has one entry per test, sharing `group`, `count` and the rest.
 */
export interface TestLeak {
  /** The one test ("TestX", "TestX/sub", "TestMain" for a wrapped TestMain), or null when not attributed. */
  test: string | null;
  /** The other tests that must run with `test` for the leak to appear; [] when it leaks on its own. */
  onlyWith: string[];
  /** The goroutine group, numbered within the package: entries of one group are the same goroutines. */
  group: number;
  /** Goroutines in the group, over the whole run. */
  count: number;
  state: string;
  kind: string;
  /** What they wait in, for people: the state, or the sync API ("sync.Mutex.Lock") where Go says "semacquire". */
  blockedIn: string;
  location: Location | null;
  createdBy: Location | null;
  /** With `--source`: the scan findings that meet the leak, else the model's explanation (join/test-leaks.ts). */
  source?: GroupSource;
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
  /** The signal that stopped the run early ("SIGINT"): the report then holds only what was done. */
  interrupted: string | null;
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
  /** Aborted (with an Interrupted reason) to stop early: child processes end, a partial report returns. */
  signal?: AbortSignal;
  /** Run markers and the search for the leaking test, for a person watching. */
  progress?: Progress;
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
  const progress = run.progress ?? NO_PROGRESS;
  const stopped = () => interruption(run.signal);
  const work = await makeTempDir('goroscope-test-');
  try {
    // User code is told from the standard library by go.mod's module path and this toolchain's
    // `go list std`, listed while the packages are (see dump/analyze/user-code.ts).
    const toolchainStd = goListStd(options.go, cwd);
    let pkgs: Awaited<ReturnType<typeof goList>>;
    try {
      pkgs = await goList(options.go, options.packages, options.buildFlags, cwd);
    } catch (err) {
      // On a terminal go list gets the Ctrl-C too, and fails: nothing ran, the report is empty.
      const interrupted = stopped();
      if (!interrupted) throw err;
      await toolchainStd;
      return { report: { version: VERSION, runs: 0, interrupted: interrupted.signal, packages: [], unchecked: [] }, goExitCode: 0 };
    }
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
    let runsDone = 0;
    for (const [i, cfg] of configs.entries()) {
      if (stopped()) break;
      if (configs.length > 1) progress.note(`run ${i + 1} of ${configs.length}${cfg.extraArgs.length > 0 ? ` (${cfg.extraArgs.join(' ')})` : ''}`);
      else if (!(run.passThrough ?? true)) progress.status('go test is running');
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
        signal: run.signal,
      });
      void loadDumpLibraries().catch(() => undefined); // loads while go test runs; awaited where used
      const goRun = await goRunning;
      runsDone++;
      // An interrupted run's output is go's reaction to the signal, not a usage error; the
      // packages that finished before it still wrote their dumps and are reported.
      const interrupted = stopped();
      if (!interrupted) {
        const goUsage = goUsageError(goRun.exitCode, goRun.output);
        if (goUsage) throw new UserError(`go test: ${goUsage}`);
      }
      if (i === 0) goExitCode = goRun.exitCode;
      const outcomes = packageOutcomes(goRun.output);
      const outputs = packageOutputs(goRun.output);
      const timeouts = findTimeoutPanics(goRun.output);
      const rejected: string[] = [];
      for (const plan of overlay.plans) {
        const report = byPackage.get(plan.pkg.importPath)!;
        const passed = outcomes.get(plan.pkg.importPath);
        const seen = leakRuns.get(plan.pkg.importPath)!;
        const found = await leaksOfRun(plan, dumpDir, timeouts, facts);
        // A test binary stopped by the interrupt did not fail: it was not let finish.
        if (passed === false && !(interrupted && found.missing)) report.testsPassed = false;
        if (found.missing) {
          const why = interrupted
            ? { reason: `goroscope was interrupted (${interrupted.signal}) before the package's leak check ran`, usageError: null }
            : whyNotChecked(outputs.get(plan.pkg.importPath) ?? '', passed);
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
    progress.clear();
    for (const plan of overlay.plans) {
      const report = byPackage.get(plan.pkg.importPath)!;
      const seen = leakRuns.get(plan.pkg.importPath)!;
      let attributed = new Map<string, string[][]>();
      const needBisect = [...seen.values()].filter((e) => e.tests.length === 0);
      if (options.attribute && needBisect.length > 0 && !stopped()) {
        progress.note(`${plan.pkg.importPath} leaks goroutines: finding the leaking test (--no-attribute skips this)`);
        attributed = await attributeTests(plan, new Set(needBisect.map((e) => e.group.signature)), options, overlay.file, cwd, work, facts, run);
      }
      let group = 0;
      for (const [sig, e] of seen) {
        // Tests named by the evidence (running at a -timeout, TestMain's frames) each leak it alone.
        const sets = e.tests.length > 0 ? e.tests.map((t) => [t]) : (attributed.get(sig) ?? []);
        const leak = {
          group: group++,
          count: e.group.count,
          state: e.group.state,
          kind: e.group.kind,
          blockedIn: blockedInName(e.group.state, e.group.frames, e.group.kind),
          location: toLocation(e.group.location),
          createdBy: toLocation(e.group.createdBy),
          runs: { leaked: e.runs, total: runsDone },
          evidence: e.evidence,
          signature: sig,
        };
        if (sets.length === 0) report.leaks.push({ test: null, onlyWith: [], ...leak });
        // A set of several tests leaks the group only when they run together.
        for (const set of sets) for (const t of set) report.leaks.push({ test: t, onlyWith: set.filter((x) => x !== t), ...leak });
      }
    }
    progress.clear();
    const interrupted = stopped();
    return {
      report: {
        version: VERSION,
        runs: runsDone,
        interrupted: interrupted ? interrupted.signal : null,
        packages: [...byPackage.values()],
        unchecked: [
          ...overlay.unchecked.map((u) => ({ package: u.importPath, reason: u.reason, file: u.file })),
          ...overlay.plans
            .filter((p) => notChecked.has(p.pkg.importPath) || (interrupted && runsDone === 0))
            .map((p) => ({
              package: p.pkg.importPath,
              reason: notChecked.has(p.pkg.importPath) ? [...new Set(notChecked.get(p.pkg.importPath))].join('; ') : `goroscope was interrupted (${interrupted!.signal}) before go test ran`,
              file: firstTestFile(p),
            })),
        ],
      },
      goExitCode,
    };
  } finally {
    progress.clear();
    await removeTempDir(work);
  }
}

function toLocation(ref: { func: string; file: string; line: number } | null): Location | null {
  return ref ? { func: userTestMainName(ref.func), file: ref.file, line: ref.line } : null;
}

/** The user's TestMain runs renamed in wrapped mode (harness.ts); reports call it by its own name. */
const WRAPPED_TEST_MAIN = /\.goroscopeUserTestMain\b/;

function userTestMainName(func: string): string {
  return func.replace(WRAPPED_TEST_MAIN, '.TestMain');
}

/** A group started by (or blocked in) the user's TestMain leaks from TestMain, whatever tests run. */
function leakedByTestMain(group: GoroutineGroup): boolean {
  return WRAPPED_TEST_MAIN.test(group.createdBy?.func ?? '') || group.frames.some((f) => WRAPPED_TEST_MAIN.test(f.func));
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
  for (const group of findIdleLeaks(parseDump(await readFile(file)), facts)) leaks.push({ group, evidence: 'idle-dump', tests: leakedByTestMain(group) ? ['TestMain'] : [] });
  const profile = path.join(dumpDir, `${plan.dumpName}.leakprofile.txt`);
  if (existsSync(profile)) {
    const known = new Set(leaks.map((l) => l.group.signature));
    for (const group of findIdleLeaks(parseDump(await readFile(profile)), facts)) {
      if (group.leaked && !known.has(group.signature)) leaks.push({ group, evidence: 'leak-profile', tests: leakedByTestMain(group) ? ['TestMain'] : [] });
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
  run: RunLeakTestsOptions,
): Promise<Map<string, string[][]>> {
  const progress = run.progress ?? NO_PROGRESS;
  const pkg = plan.pkg.importPath;
  const started = Date.now();
  let probes = 0;
  let finished = 0;
  // The counts first: a long package path is what a narrow terminal cuts off.
  const show = () => progress.status(`finding the leaking test: ${finished}/${probes} runs, ${Math.round((Date.now() - started) / 1000)} s, in ${pkg}`);
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
      show();
      await mkdir(dumpDir, { recursive: true });
      const probe = await runGoTest({
        go: options.go,
        cwd,
        overlayFile,
        args: [...baseArgs, ...(verbose ? ['-v'] : []), '-run', pattern, pkg],
        dumpDir,
        passThrough: false,
        signal: run.signal,
      });
      // A probe cut short by a signal saw nothing: stop rather than blame the wrong half.
      const stopped = interruption(run.signal);
      if (stopped) throw stopped;
      const found = await leaksOfRun(plan, dumpDir, findTimeoutPanics(probe.output), facts);
      finished++;
      show();
      return { sigs: new Set(found.leaks.map((l) => l.group.signature)), output: probe.output };
    } finally {
      release();
    }
  };
  try {
    const tests = await listTests(plan, options, overlayFile, cwd, work, run.signal);
    if (tests.length === 0) return new Map();
    const top = await bisectSets(tests, signatures, async (p) => (await runOnce(p, false)).sigs);
    // Narrow each test that leaks alone down to the subtests responsible, when it has subtests.
    const parents = new Map<string, Set<string>>();
    for (const [sig, sets] of top) for (const set of sets) if (set.length === 1) parents.set(set[0]!, (parents.get(set[0]!) ?? new Set()).add(sig));
    const narrowed = new Map<string, Map<string, string[][]>>();
    await mapLimit([...parents], limit, async ([parent, sigs]) => {
      const subs = subtestsFromVerbose((await runOnce(runPattern([parent]), true)).output, parent);
      if (subs.length >= 2) narrowed.set(parent, await bisectSets(subs, sigs, async (p) => (await runOnce(p, false)).sigs, parent));
    });
    const result = new Map<string, string[][]>();
    for (const [sig, sets] of top) {
      result.set(
        sig,
        sets.flatMap((set) => (set.length === 1 ? (narrowed.get(set[0]!)?.get(sig) ?? [set]) : [set])),
      );
    }
    return result;
  } catch (err) {
    // Interrupted: the leaks stay, unattributed; the report says it is partial.
    if (interruption(run.signal)) return new Map();
    throw err;
  } finally {
    progress.clear();
  }
}

async function listTests(plan: PackagePlan, options: TestOptions, overlayFile: string, cwd: string, work: string, signal?: AbortSignal): Promise<string[]> {
  const dumpDir = path.join(work, `list-${plan.dumpName}`);
  await mkdir(dumpDir, { recursive: true });
  const run = await runGoTest({
    go: options.go,
    cwd,
    overlayFile,
    args: [...options.buildFlags, '-list', '^Test', plan.pkg.importPath],
    dumpDir,
    passThrough: false,
    signal,
  });
  return run.output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^Test\w*$/.test(l));
}
