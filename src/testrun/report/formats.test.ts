// The four `goroscope test` report formats over one report with a leak, a package whose leak
// check did not run and one whose TestMain could not be wrapped: every format lists both.
import { describe, expect, it } from 'vitest';
import { sarifProblems } from '../../testing/sarif-shape.js';
import { xmlProblems } from '../../testing/xml.js';
import type { TestLeak, TestReport } from '../run.js';
import { formatTestJson } from './json.js';
import { formatTestJunit } from './junit.js';
import { formatTestSarif } from './sarif.js';
import { formatTestText } from './text.js';

const report: TestReport = {
  version: '9.9.9',
  runs: 1,
  interrupted: null,
  packages: [
    {
      package: 'shop/cart',
      mode: 'injected',
      testsPassed: true,
      checked: true,
      leaks: [
        {
          test: 'TestCheckout',
          onlyWith: [],
          group: 0,
          count: 2,
          state: 'chan send',
          kind: 'chan send',
          blockedIn: 'chan send',
          location: { func: 'shop/cart.Checkout.func1', file: '/src/shop/cart/cart.go', line: 9 },
          createdBy: { func: 'shop/cart.Checkout', file: '/src/shop/cart/cart.go', line: 8 },
          runs: { leaked: 1, total: 1 },
          evidence: 'idle-dump',
          signature: 'sig',
          seed: null,
          seeds: [],
        },
      ],
      notes: [],
    },
    {
      package: 'shop/exits',
      mode: 'injected',
      testsPassed: true,
      checked: false,
      leaks: [],
      notes: ['run 1: not checked: the test binary exited with status 0 <early> & quietly'],
    },
  ],
  unchecked: [
    { package: 'shop/exits', reason: 'the test binary exited with status 0 <early> & quietly', file: '/src/shop/exits/exits_test.go' },
    { package: 'shop/odd', reason: 'its TestMain in main_test.go has a shape goroscope cannot wrap', file: '/src/shop/odd/main_test.go' },
  ],
  shake: null,
};

/** Leak entries of one goroutine group, one per test; `onlyWith` pairs the tests when `together`. */
function groupEntries(group: number, tests: string[], together: boolean, g: Pick<TestLeak, 'count' | 'state' | 'kind' | 'blockedIn' | 'location' | 'createdBy'>): TestLeak[] {
  return tests.map((test) => ({
    test,
    onlyWith: together ? tests.filter((t) => t !== test) : [],
    group,
    ...g,
    runs: { leaked: 1, total: 1 },
    seed: null,
    seeds: [],
    evidence: 'idle-dump',
    signature: `sig-${group}`,
  }));
}

/** A package whose leaks are shared: one group by two tests each, one only when two run together. */
const shared: TestReport = {
  version: '9.9.9',
  runs: 1,
  interrupted: null,
  packages: [
    {
      package: 'shop/cache',
      mode: 'wrapped',
      testsPassed: true,
      checked: true,
      leaks: [
        ...groupEntries(0, ['TestGet', 'TestPut'], false, {
          count: 4,
          state: 'semacquire',
          kind: 'mutex',
          blockedIn: 'sync.Mutex.Lock',
          location: { func: 'shop/cache.(*Cache).refresh', file: '/src/shop/cache/cache.go', line: 30 },
          createdBy: { func: 'shop/cache.(*Cache).Get', file: '/src/shop/cache/cache.go', line: 20 },
        }),
        ...groupEntries(1, ['TestA', 'TestB'], true, {
          count: 1,
          state: 'chan receive',
          kind: 'chan receive',
          blockedIn: 'chan receive',
          location: { func: 'shop/cache.watch', file: '/src/shop/cache/watch.go', line: 7 },
          createdBy: { func: 'shop/cache.TestMain', file: '/src/shop/cache/main_test.go', line: 12 },
        }),
      ],
      notes: [],
    },
  ],
  unchecked: [],
  shake: null,
};

describe('goroscope test reports', () => {
  it('json lists the packages not checked, with the reason and a file', () => {
    const doc = JSON.parse(formatTestJson(report));
    expect(Object.keys(doc)).toEqual(['version', 'runs', 'interrupted', 'packages', 'unchecked', 'shake']);
    expect(Object.keys(doc.packages[1])).toEqual(['package', 'mode', 'testsPassed', 'checked', 'leaks', 'notes']);
    expect(doc.packages.map((p: { checked: boolean }) => p.checked)).toEqual([true, false]);
    expect(doc.unchecked).toEqual(report.unchecked);
    expect(doc.packages[0].leaks[0]).not.toHaveProperty('signature');
  });

  it('sarif has a not-checked result per package, located at its test file', () => {
    const log = JSON.parse(formatTestSarif(report, '/src'));
    expect(sarifProblems(log)).toEqual([]);
    const results = log.runs[0].results as Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
    expect(results.map((r) => r.ruleId)).toEqual(['test-goroutine-leak', 'test-not-checked', 'test-not-checked']);
    expect(results[1]!.message.text).toBe('The goroutine leak check of shop/exits did not run: the test binary exited with status 0 <early> & quietly');
    expect(results[2]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('shop/odd/main_test.go');
  });

  it('junit is well-formed and turns each package not checked into an error', () => {
    const xml = formatTestJunit(report);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('<testsuites name="goroscope test" failures="1" errors="2">');
    expect(xml.match(/<error message="leak check did not run: [^"]*" type="goroscope-not-checked">/g)).toHaveLength(2);
    expect(xml).toContain('<testsuite name="goroscope shop/odd" tests="1" failures="0" errors="1">');
  });

  it('text names every package not checked and counts them in the last line', () => {
    const text = formatTestText(report, false, '/src');
    expect(text).toContain('NOT CHECKED shop/exits [injected]');
    expect(text).toContain('NOT CHECKED shop/odd: its TestMain in main_test.go has a shape goroscope cannot wrap');
    expect(text.trimEnd().split('\n').pop()).toBe('1 of 3 package(s) leak goroutines; 2 package(s) not checked');
  });

  it('json has one entry per leaking test, never a list in "test"; entries of one group share "group"', () => {
    const doc = JSON.parse(formatTestJson(shared));
    const leaks = doc.packages[0].leaks as Array<{ test: string; onlyWith: string[]; group: number; blockedIn: string; state: string }>;
    expect(leaks.map((l) => [l.test, l.group, l.onlyWith])).toEqual([
      ['TestGet', 0, []],
      ['TestPut', 0, []],
      ['TestA', 1, ['TestB']],
      ['TestB', 1, ['TestA']],
    ]);
    expect(leaks.every((l) => !l.test.includes(','))).toBe(true);
    expect(leaks[0]).toMatchObject({ state: 'semacquire', blockedIn: 'sync.Mutex.Lock' });
  });

  it('text gives each leaking test its own line, names lock waits by their sync API and says which leak only together', () => {
    const text = formatTestText(shared, false, '/src');
    expect(text).toContain(
      [
        '     4 goroutines blocked in sync.Mutex.Lock, leaked by 2 tests:',
        '       TestGet',
        '       TestPut',
        '       blocked at  shop/cache.(*Cache).refresh (shop/cache/cache.go:30)',
      ].join('\n'),
    );
    expect(text).toContain(['     1 goroutine blocked in chan receive, leaked by 2 tests:', '       TestA (only when run with TestB)', '       TestB (only when run with TestA)'].join('\n'));
    expect(text).not.toContain('semacquire');
    expect(formatTestText(report, false, '/src')).toContain('     TestCheckout: 2 goroutines blocked in chan send\n');
  });

  it('sarif has one result per goroutine group, naming its tests', () => {
    const log = JSON.parse(formatTestSarif(shared, '/src'));
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results.map((r: { message: { text: string } }) => r.message.text)).toEqual([
      'TestGet and TestPut in shop/cache leak 4 goroutine(s) blocked in sync.Mutex.Lock',
      'TestA and TestB in shop/cache leak 1 goroutine(s) blocked in chan receive (only when run together)',
    ]);
  });

  it('says in every format that an interrupted run is partial', () => {
    const partial: TestReport = { ...report, interrupted: 'SIGINT' };
    expect(JSON.parse(formatTestJson(partial)).interrupted).toBe('SIGINT');
    const text = formatTestText(partial, false, '/src');
    expect(text.split('\n')[1]).toBe('goroscope: goroutine leak check PARTIAL: interrupted by SIGINT; only what ran before it is reported');
    expect(text.trimEnd().split('\n').pop()).toMatch(/^PARTIAL: interrupted by SIGINT/);
    const log = JSON.parse(formatTestSarif(partial, '/src'));
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].invocations).toEqual([{ executionSuccessful: false, exitSignalName: 'SIGINT' }]);
    const xml = formatTestJunit(partial);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('errors="3"');
    expect(xml).toContain('type="goroscope-interrupted"');
  });
});

describe('goroscope test reports with --shake', () => {
  const shaken: TestReport = {
    ...report,
    runs: 20,
    packages: [{ ...report.packages[0]!, leaks: [{ ...report.packages[0]!.leaks[0]!, runs: { leaked: 2, total: 20 }, seed: 42, seeds: [42, 57] }] }],
    unchecked: [],
    shake: { seeds: Array.from({ length: 20 }, (_, i) => 40 + i), probability: 0.1, deps: false, untilFound: false, files: 3, sites: 17, skipped: [{ file: '/src/shop/cart/cgo.go', reason: 'cgo file (import "C")' }] },
  };

  it('json gives each leak its seeds and says what --shake did', () => {
    const doc = JSON.parse(formatTestJson(shaken));
    expect(doc.packages[0].leaks[0]).toMatchObject({ runs: { leaked: 2, total: 20 }, seed: 42, seeds: [42, 57] });
    expect(doc.shake).toEqual({ schedules: 20, seeds: shaken.shake!.seeds, probability: 0.1, deps: false, untilFound: false, files: 3, sites: 17, skipped: [{ file: '/src/shop/cart/cgo.go', reason: 'cgo file (import "C")' }] });
    expect(JSON.parse(formatTestJson(report)).shake).toBeNull();
  });

  it('text says how many schedules were tried and how to rerun the one that leaked', () => {
    const text = formatTestText(shaken, false, '/src');
    expect(text).toContain('--shake: 20 schedules tried (seeds 40..59, probability 0.1); 17 operations instrumented in 3 files');
    expect(text).toContain('--shake: not instrumented: shop/cart/cgo.go: cgo file (import "C")');
    expect(text).toContain('blocked in chan send in 2 of 20 runs');
    expect(text).toContain('seed        42 (rerun this schedule: --shake-seed 42)');
  });

  it('sarif and junit carry the seed', () => {
    const log = JSON.parse(formatTestSarif(shaken, '/src'));
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results[0].properties).toEqual({ seed: 42, seeds: [42, 57] });
    expect(log.runs[0].properties.goroscopeShake).toMatchObject({ schedules: 20, probability: 0.1 });
    const xml = formatTestJunit(shaken);
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain('--shake seed 42 (rerun this schedule: --shake-seed 42)');
  });

  it('gives every entry of a group leaked by several tests the seeds, and says them once per group', () => {
    const seeded = (l: TestLeak): TestLeak => ({ ...l, seed: 7, seeds: [7, 9] });
    const shakenShared: TestReport = { ...shared, runs: 20, packages: [{ ...shared.packages[0]!, leaks: shared.packages[0]!.leaks.map(seeded) }], shake: shaken.shake };
    const doc = JSON.parse(formatTestJson(shakenShared));
    expect(doc.packages[0].leaks.map((l: { test: string; seed: number; seeds: number[] }) => [l.test, l.seed, l.seeds])).toEqual([
      ['TestGet', 7, [7, 9]],
      ['TestPut', 7, [7, 9]],
      ['TestA', 7, [7, 9]],
      ['TestB', 7, [7, 9]],
    ]);
    const text = formatTestText(shakenShared, false, '/src');
    expect(text.match(/seed {8}7 \(rerun this schedule: --shake-seed 7\)/g)).toHaveLength(2);
    const log = JSON.parse(formatTestSarif(shakenShared, '/src'));
    expect(sarifProblems(log)).toEqual([]);
    expect(log.runs[0].results.map((r: { message: { text: string }; properties: unknown }) => [r.message.text, r.properties])).toEqual([
      ['TestGet and TestPut in shop/cache leak 4 goroutine(s) blocked in sync.Mutex.Lock (--shake seed 7; rerun with --shake-seed 7)', { seed: 7, seeds: [7, 9] }],
      ['TestA and TestB in shop/cache leak 1 goroutine(s) blocked in chan receive (only when run together) (--shake seed 7; rerun with --shake-seed 7)', { seed: 7, seeds: [7, 9] }],
    ]);
    expect(formatTestJunit(shakenShared).match(/--shake seed 7 \(rerun this schedule: --shake-seed 7\)/g)).toHaveLength(4);
  });
});
