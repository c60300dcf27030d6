import { describe, expect, it } from 'vitest';
import { parseTestArgs } from './args.js';
import { declaresTestMain, harnessSource, wrapUserTestMain } from './harness.js';
import { findTimeoutPanics, packageOutcomes, testsInFrames } from './outcome.js';

describe('parseTestArgs', () => {
  it('separates goroscope options from go test flags and packages', () => {
    const o = parseTestArgs(['--format', 'json', '-race', '-run', 'TestX', '--count=3', '-tags', 'a,b', './...', '-v'], {});
    expect(o.format).toBe('json');
    expect(o.runs).toBe(3);
    expect(o.goArgs).toEqual(['-race', '-run', 'TestX', '-tags', 'a,b', './...', '-v']);
    expect(o.packages).toEqual(['./...']);
    expect(o.buildFlags).toEqual(['-race', '-tags', 'a,b']);
  });

  it('rejects unknown double-dash options and -overlay with a clear message', () => {
    expect(() => parseTestArgs(['--frmat', 'json'], {})).toThrow(/unknown option --frmat/);
    expect(() => parseTestArgs(['-overlay=x.json'], {})).toThrow(/-overlay/);
    expect(() => parseTestArgs(['--settle', 'soon'], {})).toThrow(/duration/);
  });

  it('defaults to the current package and reads --settle and --cpu', () => {
    const o = parseTestArgs(['--settle', '500ms', '--cpu', '1,4'], {});
    expect(o.packages).toEqual(['.']);
    expect(o.settleMs).toBe(500);
    expect(o.cpus).toEqual([1, 4]);
  });
});

describe('harness', () => {
  it('wraps a user TestMain and routes os.Exit through the leak check', () => {
    const src = 'package p\n\nimport (\n\t"os"\n\t"testing"\n)\n\nfunc TestMain(m *testing.M) {\n\tif x := "}"; x == "" {\n\t}\n\tos.Exit(m.Run())\n}\n\nfunc helper() { os.Exit(3) }\n';
    expect(declaresTestMain(src)).toBe(true);
    const out = wrapUserTestMain(src)!;
    expect(out).toContain('func goroscopeUserTestMain(m *testing.M) {');
    expect(out).toContain('goroscopeExit(os.Exit, m.Run())');
    expect(out).toContain('func helper() { os.Exit(3) }');
  });

  it('generates a harness that prefixes its imports', () => {
    const src = harnessSource({ packageName: 'p_test', dumpName: 'x', settleMs: 100, wrapUserMain: false });
    expect(src).toMatch(/^package p_test$/m);
    expect(src).toContain('goroscope_os "os"');
    expect(src).toContain('100 * goroscope_time.Millisecond');
  });
});

describe('go test output', () => {
  it('reads package outcomes from plain and -json output', () => {
    expect([...packageOutcomes('ok  \ta/b\t0.1s\nFAIL\ta/c\t0.2s\nFAIL\n')]).toEqual([['a/b', true], ['a/c', false]]);
    const json = '{"Action":"pass","Package":"a/b","Test":"TestX"}\n{"Action":"fail","Package":"a/b"}\n';
    expect([...packageOutcomes(json)]).toEqual([['a/b', false]]);
  });

  it('finds a -timeout panic, its package and running tests', () => {
    const out = 'panic: test timed out after 1s\nrunning tests:\n\tTestHang (1s)\n\ngoroutine 5 [chan send]:\np.Hang()\n\t/x/p.go:3 +0x1\nFAIL\texample.com/p\t1.0s\n';
    const [p] = findTimeoutPanics(out);
    expect(p!.importPath).toBe('example.com/p');
    expect(p!.runningTests).toEqual(['TestHang']);
    expect(testsInFrames(['example.com/p.TestHang.func1', 'example.com/p.TestMain', 'testing.tRunner'], 'example.com/p')).toEqual(['TestHang']);
  });
});
