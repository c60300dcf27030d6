// `goroscope test` as a library: run the user's go test with the leak-check harness, read each
// package's goroutine dump in idle mode, repeat for --count/--cpu (and --shake's schedules), name
// the leaking tests.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { blockedInName } from '../dump/analyze/kinds.js';
import type { GoroutineGroup, GroupOptions } from '../dump/analyze/index.js';
import { UserError } from '../cli/exit.js';
import { findGoMod } from '../gosrc/gomod.js';
import { Interrupted, interruption } from '../process/group.js';
import { makeTempDir, removeTempDir } from '../process/temp.js';
import { NO_PROGRESS, type Progress } from '../progress.js';
import { VERSION } from '../version.js';
import type { TestOptions } from './args.js';
import { bisectSets, mapLimit, runPattern, subtestsFromVerbose } from './attribute.js';
import { runGoTest, type GoTestRun } from './gotest.js';
import { goListStd } from './gostd.js';
import { findTimeoutPanics, packageOutcomes, packageOutputs, testsInFrames } from './outcome.js';
import { buildOverlay, goList, type CheckMode, type PackagePlan } from './plan.js';
import { goUsageError, whyNotChecked, type MissingCheck } from './unchecked.js';
import { goArgsFor, locationOutsideHelper, prepareShake, probeSeeds, SHAKE_PROBE_COUNT, shakeEnvironment, shakeSummary, type ShakeSummary } from './shake/session.js';
import type { ShakeOverlay } from './shake/overlay.js';
import { runInParallel, type BufferedOutput } from './shake/schedule.js';
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
  /** In how many runs it leaked, of the runs its package took part in. */
  runs: { leaked: number; total: number };
  /** --shake: the first seed whose run showed the group, else null. */
  seed: number | null;
  /** --shake: every seed whose run showed the group; empty without --shake. */
  seeds: number[];
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
  /** What --shake did, or null without it. */
  shake: ShakeSummary | null;
}

export interface TestRunResult {
  report: TestReport;
  /** go test's own exit code of the first run. */
  goExitCode: number;
}

interface RunConfig {
  label: string;
  extraArgs: string[];
  /** The --shake seed of the run, or null. */
  seed: number | null;
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

/** What one go test run showed for one package. */
interface PackageRun {
  plan: PackagePlan;
  passed: boolean | undefined;
  found: FoundLeaks;
  /** Why the check did not run, when found.missing. */
  why: MissingCheck | null;
}

interface RunOutcome {
  exitCode: number;
  packages: PackageRun[];
  /** The interrupt ended this run: its packages without a dump were cut short, not failed. */
  interrupted: boolean;
}

interface SeenLeak {
  group: GoroutineGroup;
  runs: number;
  evidence: TestLeak['evidence'];
  tests: string[];
  /** --shake seeds of the runs that showed it, in run order. */
  seeds: number[];
}

/** --shake's summary when the run was interrupted before anything was instrumented. */
const NOTHING_INSTRUMENTED: Pick<ShakeOverlay, 'files' | 'sites' | 'skipped'> = { files: 0, sites: 0, skipped: [] };

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
      const shake = options.shake ? shakeSummary(options.shake, NOTHING_INSTRUMENTED, []) : null;
      return { report: { version: VERSION, runs: 0, interrupted: interrupted.signal, packages: [], unchecked: [], shake }, goExitCode: 0 };
    }
    const overlay = await buildOverlay(pkgs, options.settleMs, work);
    let shake: ShakeOverlay | null = null;
    if (options.shake && !stopped()) {
      progress.status('--shake: instrumenting the packages');
      try {
        shake = await prepareShake(options, options.shake, overlay.file, cwd);
      } catch (err) {
        // Its go list may have had the Ctrl-C too: no run starts, the report says so.
        if (!stopped()) throw err;
      }
      progress.clear();
    }
    const overlayFile = shake?.file ?? overlay.file;
    // Needed only to read the dumps: go test starts without waiting for go list std.
    const modulePath = findGoMod(cwd)?.modulePath ?? null;
    const factsReady: Promise<GroupOptions> = toolchainStd.then((std) => ({ modulePath, toolchainStd: std }));
    const configs = runConfigs(options);
    const byPackage = new Map<string, PackageReport>();
    const leakRuns = new Map<string, Map<string, SeenLeak>>();
    const runsOf = new Map<string, number>();
    const notChecked = new Map<string, string[]>();
    for (const plan of overlay.plans) {
      byPackage.set(plan.pkg.importPath, { package: plan.pkg.importPath, mode: plan.mode, testsPassed: true, checked: true, leaks: [], notes: [] });
      leakRuns.set(plan.pkg.importPath, new Map());
      runsOf.set(plan.pkg.importPath, 0);
    }
    const passThrough = run.passThrough ?? true;
    const marker = (i: number, cfg: RunConfig) => {
      const details = [...(cfg.seed !== null ? [`--shake-seed ${cfg.seed}`] : []), ...cfg.extraArgs];
      return `run ${i + 1} of ${configs.length}${details.length > 0 ? ` (${details.join(' ')})` : ''}`;
    };

    /**
     * One go test run of `plans` (all, or those --shake-until-found has not yet seen leak); null
     * when the interrupt came before it started.
     */
    const runOnce = async (i: number, cfg: RunConfig, plans: PackagePlan[], onOutput?: BufferedOutput['add']): Promise<RunOutcome | null> => {
      const dumpDir = path.join(work, `dumps-${i}`);
      await mkdir(dumpDir, { recursive: true });
      const subset = plans.length === overlay.plans.length ? null : plans.map((p) => p.pkg.importPath);
      const goRunning = runGoTest({
        go: options.go,
        cwd,
        overlayFile,
        args: [...cfg.extraArgs, ...goArgsFor(options, subset)],
        dumpDir,
        passThrough: passThrough && !onOutput,
        goStdout: run.goStdout,
        signal: run.signal,
        env: cfg.seed === null ? undefined : shakeEnvironment(cfg.seed, options.shake!.probability),
        onOutput,
      });
      void loadDumpLibraries().catch(() => undefined); // loads while go test runs; awaited where used
      let goRun: GoTestRun;
      try {
        goRun = await goRunning;
      } catch (err) {
        // spawnGroup starts nothing once the signal has been aborted.
        if (err instanceof Interrupted) return null;
        throw err;
      }
      // An interrupted run's output is go's reaction to the signal, not a usage error; the
      // packages that finished before it still wrote their dumps and are reported.
      const interrupted = stopped();
      if (!interrupted) {
        const goUsage = goUsageError(goRun.exitCode, goRun.output);
        if (goUsage) throw new UserError(`go test: ${goUsage}`);
      }
      const facts = await factsReady;
      const outcomes = packageOutcomes(goRun.output);
      const outputs = packageOutputs(goRun.output);
      const timeouts = findTimeoutPanics(goRun.output);
      const packages: PackageRun[] = [];
      for (const plan of plans) {
        const passed = outcomes.get(plan.pkg.importPath);
        const found = await leaksOfRun(plan, dumpDir, timeouts, facts);
        const why = !found.missing
          ? null
          : interrupted
            ? { reason: `goroscope was interrupted (${interrupted.signal}) before the package's leak check ran`, usageError: null }
            : whyNotChecked(outputs.get(plan.pkg.importPath) ?? '', passed);
        packages.push({ plan, passed, found, why });
      }
      return { exitCode: goRun.exitCode, packages, interrupted: interrupted !== null };
    };

    let goExitCode = 0;
    let runsDone = 0;
    /** Seeds of the runs made, for the --shake summary (fewer than asked after --shake-until-found or an interrupt). */
    const configsRun: RunConfig[] = [];
    /** Adds a run's findings to the report, in run order. */
    const collect = (i: number, cfg: RunConfig, outcome: RunOutcome) => {
      if (i === 0) goExitCode = outcome.exitCode;
      runsDone++;
      configsRun.push(cfg);
      const rejected: string[] = [];
      for (const { plan, passed, found, why } of outcome.packages) {
        const importPath = plan.pkg.importPath;
        const report = byPackage.get(importPath)!;
        runsOf.set(importPath, runsOf.get(importPath)! + 1);
        // A test binary stopped by the interrupt did not fail: it was not let finish.
        if (passed === false && !(outcome.interrupted && found.missing)) report.testsPassed = false;
        if (why) {
          if (why.usageError) rejected.push(`${importPath}: ${why.usageError}`);
          report.checked = false;
          report.notes.push(`${cfg.label}: not checked: ${why.reason}`);
          const reasons = notChecked.get(importPath) ?? [];
          reasons.push(configs.length > 1 ? `${cfg.label}: ${why.reason}` : why.reason);
          notChecked.set(importPath, reasons);
        }
        const seen = leakRuns.get(importPath)!;
        for (const { group, evidence, tests } of found.leaks) {
          const entry = seen.get(group.signature);
          if (entry) {
            entry.runs++;
            for (const t of tests) if (!entry.tests.includes(t)) entry.tests.push(t);
            if (cfg.seed !== null && !entry.seeds.includes(cfg.seed)) entry.seeds.push(cfg.seed);
          } else seen.set(group.signature, { group, runs: 1, evidence, tests: [...tests], seeds: cfg.seed === null ? [] : [cfg.seed] });
        }
      }
      if (rejected.length > 0) {
        throw new UserError(
          `go test: the test binary rejected its arguments (${rejected.join('; ')}); a flag go test does not know goes to every package's test binary, which must define it; goroscope's own options take two dashes`,
        );
      }
    };

    if (options.shake && shake) {
      // Schedules run in parallel, each go test in a process group of its own that the interrupt
      // ends; each run's output is written whole, in schedule order, under its run marker.
      const leaking = new Set<string>();
      const untilFound = options.shake.untilFound;
      let ended = 0;
      const showRunning = () => {
        if (!passThrough) progress.status(`--shake: ${ended} of ${configs.length} runs done`);
      };
      showRunning();
      await runInParallel<RunConfig, RunOutcome | null>({
        configs,
        limit: Math.max(1, os.availableParallelism()),
        packagesFor: () => {
          if (stopped()) return null;
          const left = overlay.plans.filter((p) => !(untilFound && leaking.has(p.pkg.importPath)));
          return left.length > 0 ? left.map((p) => p.pkg.importPath) : null;
        },
        run: (i, cfg, packages, output) => runOnce(i, cfg, overlay.plans.filter((p) => packages.includes(p.pkg.importPath)), output.add),
        ended: (outcome) => {
          ended++;
          showRunning();
          for (const p of outcome?.packages ?? []) if (p.found.leaks.length > 0) leaking.add(p.plan.pkg.importPath);
        },
        collect: (i, cfg, outcome, output) => {
          if (!outcome) return;
          if (configs.length > 1) progress.note(marker(i, cfg));
          if (passThrough) output.writeTo(run.goStdout === 'stderr' ? process.stderr : process.stdout, process.stderr);
          collect(i, cfg, outcome);
        },
      });
    } else {
      for (const [i, cfg] of configs.entries()) {
        if (stopped()) break;
        if (configs.length > 1) progress.note(marker(i, cfg));
        else if (!passThrough) progress.status('go test is running');
        const outcome = await runOnce(i, cfg, overlay.plans);
        if (!outcome) break;
        collect(i, cfg, outcome);
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
        // With --shake, the probes run under seeds that showed the leaks.
        const seeds = shake ? probeSeeds(needBisect.map((e) => e.seeds)) : [];
        attributed = await attributeTests(plan, new Set(needBisect.map((e) => e.group.signature)), options, overlayFile, cwd, work, await factsReady, run, seeds);
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
          location: toLocation(shake ? locationOutsideHelper(e.group) : e.group.location),
          createdBy: toLocation(e.group.createdBy),
          runs: { leaked: e.runs, total: runsOf.get(plan.pkg.importPath)! },
          seed: e.seeds[0] ?? null,
          seeds: e.seeds,
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
            .filter((p) => notChecked.has(p.pkg.importPath) || (interrupted && runsOf.get(p.pkg.importPath) === 0))
            .map((p) => ({
              package: p.pkg.importPath,
              reason: notChecked.has(p.pkg.importPath) ? [...new Set(notChecked.get(p.pkg.importPath))].join('; ') : `goroscope was interrupted (${interrupted!.signal}) before go test ran`,
              file: firstTestFile(p),
            })),
        ],
        shake: options.shake ? shakeSummary(options.shake, shake ?? NOTHING_INSTRUMENTED, configsRun) : null,
      },
      goExitCode,
    };
  } finally {
    progress.clear();
    await removeTempDir(work);
  }
}

/** The runs to make: --count × (--shake seeds) × --cpu values. */
function runConfigs(options: TestOptions): RunConfig[] {
  const configs: RunConfig[] = [];
  const seeds: Array<number | null> = options.shake ? options.shake.seeds : [null];
  for (let r = 0; r < options.runs; r++) {
    for (const seed of seeds) {
      const label = [options.runs > 1 || seed === null ? `run ${r + 1}` : '', seed === null ? '' : `seed ${seed}`].filter(Boolean).join(' ');
      if (options.cpus.length === 0) configs.push({ label, extraArgs: [], seed });
      for (const cpu of options.cpus) configs.push({ label: `${label} cpu ${cpu}`, extraArgs: [`-cpu=${cpu}`], seed });
    }
  }
  return configs;
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
  /** --shake: the seeds to probe with (each probe runs once per seed); empty without --shake. */
  seeds: number[] = [],
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
  // A shaken leak need not show in every run of its schedule: each probe repeats the tests.
  const repeat = seeds.length === 0 ? 1 : SHAKE_PROBE_COUNT;
  const baseArgs = [...options.buildFlags, `-count=${repeat}`, ...(options.timeout !== null ? [`-timeout=${options.timeout}`] : [])];
  /** Runs the tests `pattern` selects: once, or once under each seed (the leaks any of them showed). */
  const runTests = async (pattern: string, verbose: boolean) => {
    if (seeds.length === 0) return probe(pattern, verbose, null);
    const runs = await Promise.all(seeds.map((seed) => probe(pattern, verbose, seed)));
    return { sigs: new Set(runs.flatMap((r) => [...r.sigs])), output: runs.map((r) => r.output).join('\n') };
  };
  const probe = async (pattern: string, verbose: boolean, seed: number | null) => {
    await acquire();
    try {
      const dumpDir = path.join(work, `probe-${plan.dumpName}-${seed ?? 'plain'}-${probes++}`);
      show();
      await mkdir(dumpDir, { recursive: true });
      const result = await runGoTest({
        go: options.go,
        cwd,
        overlayFile,
        args: [...baseArgs, ...(verbose ? ['-v'] : []), '-run', pattern, pkg],
        dumpDir,
        passThrough: false,
        signal: run.signal,
        env: seed === null ? undefined : shakeEnvironment(seed, options.shake!.probability),
      });
      // A probe cut short by a signal saw nothing: stop rather than blame the wrong half.
      const stopped = interruption(run.signal);
      if (stopped) throw stopped;
      const found = await leaksOfRun(plan, dumpDir, findTimeoutPanics(result.output), facts);
      finished++;
      show();
      return { sigs: new Set(found.leaks.map((l) => l.group.signature)), output: result.output };
    } finally {
      release();
    }
  };
  try {
    const tests = await listTests(plan, options, overlayFile, cwd, work, run.signal);
    if (tests.length === 0) return new Map();
    const top = await bisectSets(tests, signatures, async (p) => (await runTests(p, false)).sigs);
    // Narrow each test that leaks alone down to the subtests responsible, when it has subtests.
    const parents = new Map<string, Set<string>>();
    for (const [sig, sets] of top) for (const set of sets) if (set.length === 1) parents.set(set[0]!, (parents.get(set[0]!) ?? new Set()).add(sig));
    const narrowed = new Map<string, Map<string, string[][]>>();
    await mapLimit([...parents], limit, async ([parent, sigs]) => {
      const subs = subtestsFromVerbose((await runTests(runPattern([parent]), true)).output, parent);
      if (subs.length >= 2) narrowed.set(parent, await bisectSets(subs, sigs, async (p) => (await runTests(p, false)).sigs, parent));
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
