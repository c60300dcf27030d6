// Acceptance tests of `goroscope test` on a module with leaking and clean tests in several
// packages (own TestMain, external test package, parallel subtests, a hanging test). The
// leaking tests sit behind build tags, so the same module is also the clean one. The module also
// runs as copies named without a dot ("shop", "billing/api"), where the same leaks must be found.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { sarifProblems } from '../testing/sarif-shape.js';
import { xmlProblems } from '../testing/xml.js';
import { copyModuleAs, DOTLESS_MODULES } from '../testing/module-paths.js';

const execFileP = promisify(execFile);
const MODULE = path.join(REPO_ROOT, 'src/testrun/testdata/leakymod');
const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const skip = goUnavailable();

async function goroscopeTest(args: string[], format = 'json', cwd = MODULE): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileP('node', [CLI, 'test', '--format', format, '--go', findGo()!, ...args], { cwd, env: goEnv(), maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The JSON report: stdout holds it and nothing else (go test's output goes to stderr). */
function report(stdout: string) {
  return JSON.parse(stdout);
}

/** The module's packages and the mode each runs in. */
const MODES = { chans: 'injected', clean: 'injected', parallel: 'injected', withmain: 'wrapped', xpkg: 'injected' };

async function expectNoLeaks(cwd: string, modulePath: string): Promise<void> {
  const r = await goroscopeTest(['./...'], 'json', cwd);
  expect(r.code, r.stderr).toBe(0);
  const rep = report(r.stdout);
  const modes = Object.fromEntries(rep.packages.map((p: { package: string; mode: string }) => [p.package.replace(`${modulePath}/`, ''), p.mode]));
  expect(modes).toEqual(MODES);
  for (const p of rep.packages) expect(p.leaks).toEqual([]);
}

/** The leaks of `-tags leaky`, named by test unless `attribute` is false (no bisection: faster). */
async function expectTheLeakingTests(cwd: string, attribute = true): Promise<void> {
  const r = await goroscopeTest(['-tags', 'leaky', ...(attribute ? [] : ['--no-attribute']), './...'], 'json', cwd);
  expect(r.code).toBe(1);
  const rep = report(r.stdout);
  const leaks = rep.packages.flatMap((p: { leaks: Array<{ test: string; count: number; location: { file: string; line: number }; createdBy: { file: string; line: number } }> }) =>
    p.leaks.map((l) => `${l.test} ${l.count} ${path.basename(l.location.file)}:${l.location.line} created ${path.basename(l.createdBy.file)}:${l.createdBy.line}`),
  );
  const expected = [
    'TestFanIn/missing_worker 1 parallel.go:16 created parallel.go:16',
    'TestFirst 2 chans.go:9 created chans.go:9',
    'TestStuck 1 withmain.go:16 created withmain.go:15',
    'TestWatchNil 1 xpkg.go:6 created xpkg.go:6',
  ];
  expect(leaks.sort()).toEqual(attribute ? expected : expected.map((l) => l.replace(/^\S+/, 'null')).sort());
  // Lock waits are named by the sync API waited in, whatever the Go version printed.
  const blockedIn = Object.fromEntries(rep.packages.flatMap((p: { package: string; leaks: Array<{ blockedIn: string }> }) => p.leaks.map((l) => [p.package.split('/').pop(), l.blockedIn])));
  expect(blockedIn).toEqual({ chans: 'chan send', parallel: 'sync.WaitGroup.Wait', withmain: 'sync.Mutex.Lock', xpkg: 'chan receive (nil chan)' });
  expect(rep.packages.every((p: { testsPassed: boolean }) => p.testsPassed)).toBe(true);
}

async function expectTimeoutLeak(cwd: string): Promise<void> {
  const r = await goroscopeTest(['-tags', 'hang', '-timeout', '2s', './hang/'], 'json', cwd);
  expect(r.code).toBe(1);
  const [pkg] = report(r.stdout).packages;
  expect(pkg.testsPassed).toBe(false);
  expect(pkg.leaks).toHaveLength(1);
  expect(pkg.leaks[0]).toMatchObject({ test: 'TestExchange', evidence: 'timeout', state: 'chan send', location: { line: 6 } });
}

describe.skipIf(skip)(`goroscope test on a Go module${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('exits 0 when no test leaks, and says which mode each package ran in', () => expectNoLeaks(MODULE, 'example.com/leakymod'), 120_000);

  it('names exactly the leaking tests with their locations', () => expectTheLeakingTests(MODULE), 240_000);

  it('reports a test that hits -timeout as a leak of the running test', () => expectTimeoutLeak(MODULE), 120_000);

  it('names a leak started by a wrapped TestMain as TestMain, and a Go 1.19 "semacquire" by its sync API', async () => {
    const r = await goroscopeTest(['-tags', 'mainleak', './mainleak/']);
    expect(r.code, r.stderr).toBe(1);
    const [pkg] = report(r.stdout).packages;
    expect(pkg.mode).toBe('wrapped');
    // TestMain, not every test it ran (TestA, TestB), nor the harness's name for it.
    expect(pkg.leaks).toEqual([
      expect.objectContaining({ test: 'TestMain', onlyWith: [], group: 0, kind: 'rwmutex', blockedIn: 'sync.RWMutex.RLock', createdBy: expect.objectContaining({ func: 'example.com/leakymod/mainleak.TestMain' }) }),
    ]);
    const text = await goroscopeTest(['-tags', 'mainleak', './mainleak/'], 'text');
    expect(text.stdout).toContain('     TestMain: 1 goroutine blocked in sync.RWMutex.RLock\n');
    expect(text.stdout).not.toMatch(/goroscopeUserTestMain|semacquire/);
  }, 120_000);

  it('checks a module whose go.mod says go 1.12 (the harness uses no newer language feature)', async () => {
    const root = copyModuleAs(MODULE, 'example.com/oldmod');
    try {
      writeFileSync(path.join(root, 'go.mod'), readFileSync(path.join(root, 'go.mod'), 'utf8').replace(/^go \S+$/m, 'go 1.12'));
      const r = await goroscopeTest(['--no-attribute', '-tags', 'leaky', './chans/'], 'json', root);
      expect(r.code, r.stderr).toBe(1);
      const [pkg] = report(r.stdout).packages;
      expect(pkg.checked).toBe(true);
      expect(pkg.leaks.map((l: { count: number; state: string }) => `${l.count} ${l.state}`)).toEqual(['2 chan send']);
    } finally {
      rmSync(path.dirname(root), { recursive: true, force: true });
    }
  }, 120_000);

  it('counts in how many runs a leak appeared', async () => {
    const r = await goroscopeTest(['--count', '2', '--no-attribute', '-tags', 'leaky', './chans/']);
    expect(r.code).toBe(1);
    const [pkg] = report(r.stdout).packages;
    expect(pkg.leaks[0]).toMatchObject({ test: null, runs: { leaked: 2, total: 2 } });
  }, 120_000);

  it('lists every package whose leak check did not run, with the reason, and exits 1', async () => {
    const r = await goroscopeTest(['-tags', 'unchecked', './exits/', './killed/', './helperexit/', './crash/']);
    expect(r.code).toBe(1);
    const rep = report(r.stdout);
    const reasons = Object.fromEntries(rep.unchecked.map((u: { package: string; reason: string }) => [u.package.replace('example.com/leakymod/', ''), u.reason]));
    expect(reasons).toEqual({
      exits: expect.stringMatching(/^the test binary exited with status 0 before goroscope's check ran/),
      killed: "the test binary was killed (signal: killed) before goroscope's check ran",
      helperexit: expect.stringMatching(/^the test binary exited with status 0 before goroscope's check ran/),
      crash: "the test binary crashed before goroscope's check ran: panic: crash on a background goroutine",
    });
    expect(rep.packages.map((p: { checked: boolean }) => p.checked)).toEqual([false, false, false, false]);
    expect(rep.unchecked.every((u: { file: string }) => u.file.endsWith('_test.go'))).toBe(true);
  }, 120_000);

  it('exits 0 with --allow-unchecked, still listing the packages, in text, sarif and junit', async () => {
    const args = ['--allow-unchecked', '-tags', 'unchecked', './exits/', './clean/'];
    const [text, sarif, junit] = await Promise.all(['text', 'sarif', 'junit'].map((f) => goroscopeTest(args, f)));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^NOT CHECKED example\.com\/leakymod\/exits \[injected\]$/m);
    expect(text.stdout).toMatch(/no leaks in the 1 package\(s\) checked; 1 package\(s\) not checked\n$/);
    expect([sarif.code, junit.code]).toEqual([0, 0]);
    const log = JSON.parse(sarif.stdout);
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results.map((res: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => `${res.ruleId} ${res.locations[0]!.physicalLocation.artifactLocation.uri}`)).toEqual([
      'test-not-checked exits/exits_test.go',
    ]);
    expect(xmlProblems(junit.stdout)).toEqual([]);
    expect(junit.stdout).toContain('type="goroscope-not-checked"');
    // go test's own output went to stderr, leaving stdout to the report.
    expect(junit.stderr).toMatch(/^ok\s+example\.com\/leakymod\/clean/m);
  }, 120_000);

  it('keeps go test -json events alone on stdout and writes the report to stderr or --output', async () => {
    const r = await goroscopeTest(['-json', './clean/'], 'json');
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.some((e) => e.Action === 'pass' && e.Package === 'example.com/leakymod/clean' && !e.Test)).toBe(true);
    expect(JSON.parse(r.stderr).packages[0]).toMatchObject({ package: 'example.com/leakymod/clean', checked: true });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-testjson-'));
    try {
      const file = path.join(dir, 'leaks.xml');
      const w = await goroscopeTest(['-json', '--output', file, './clean/'], 'junit');
      expect(w.stderr).toBe('');
      for (const line of w.stdout.trim().split('\n')) JSON.parse(line);
      expect(xmlProblems(readFileSync(file, 'utf8'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it.each([
    [['./clean/', '-notaflag'], /^goroscope: go test: the test binary rejected its arguments \(example\.com\/leakymod\/clean: flag provided but not defined: -notaflag\)/m],
    [['-notaflag', './clean/'], /^goroscope: go list failed: no Go files in /m],
    [['-count=x', './clean/'], /^goroscope: go test: invalid value "x" for flag -count: parse error$/m],
    [['./nogo/...'], /^goroscope: no packages to test: go: warning: "\.\/nogo\/\.\.\." matched no packages$/m],
  ])('exits 2 with go\'s message on a go test usage error: %j', async (args, message) => {
    const r = await goroscopeTest(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  }, 60_000);

  it('checks --output before running anything', async () => {
    const r = await goroscopeTest(['--output', path.join(MODULE, 'no-such-dir', 'r.json'), './clean/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^goroscope: cannot write --output ".*r\.json": directory .*no-such-dir does not exist$/m);
    expect(r.stderr).not.toMatch(/example\.com/);
  });

  it('fails with exit 2 and one clear line on bad usage', async () => {
    const r = await goroscopeTest(['--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^goroscope: unknown option --bogus/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

// "module shop" must not make its goroutines "standard library" ones: the same leaks, no others.
// Bisection to the leaking test runs for the first path only; it costs most of this file's time.
for (const [i, modulePath] of DOTLESS_MODULES.entries()) {
  describe.skipIf(skip)(`goroscope test on a copy of the module named ${modulePath}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let copy = '';
    beforeAll(() => {
      copy = copyModuleAs(MODULE, modulePath);
    });
    afterAll(() => rmSync(path.dirname(copy), { recursive: true, force: true }));

    it('exits 0 when no test leaks', () => expectNoLeaks(copy, modulePath), 120_000);
    it(`finds exactly the same leaks${i > 0 ? ' (not bisected)' : ', named by test'}`, () => expectTheLeakingTests(copy, i === 0), 240_000);
    it('reports a test that hits -timeout as a leak of the running test', () => expectTimeoutLeak(copy), 120_000);
  });
}
