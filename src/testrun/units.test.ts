import { describe, expect, it } from 'vitest';
import { parseTestArgs } from './args.js';
import { declaresTestMain, harnessSource, wrapUserTestMain } from './harness.js';
import { findTimeoutPanics, packageOutcomes, packageOutputs, testsInFrames } from './outcome.js';
import { goUsageError, whyNotChecked } from './unchecked.js';

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

  it('splits packages from test-binary arguments as go test does', () => {
    // An unknown flag ends the package list; what follows goes to the test binary.
    const unknownFirst = parseTestArgs(['-notaflag', './...'], {});
    expect(unknownFirst.packages).toEqual(['.']);
    expect(unknownFirst.goArgs).toEqual(['-notaflag', './...']);
    // Known flags after the packages are still go's; a non-flag after them is the binary's.
    const after = parseTestArgs(['./a', './b', '-race', '-update', 'x', '-tags=t', 'y'], {});
    expect(after.packages).toEqual(['./a', './b']);
    expect(after.buildFlags).toEqual(['-race', '-tags=t']);
    expect(after.goArgs).toEqual(['./a', './b', '-race', '-update', 'x', '-tags=t', 'y']);
    expect(parseTestArgs(['./a', '-v', './b'], {}).packages).toEqual(['./a']);
    expect(parseTestArgs(['./a', '--', './b'], {}).packages).toEqual(['./a']);
    expect(parseTestArgs(['-test.run', 'X', './a'], {}).packages).toEqual(['./a']);
  });

  it('knows -json, --allow-unchecked, and refuses flags with which no test runs', () => {
    expect(parseTestArgs(['-json', './...'], {}).goJson).toBe(true);
    expect(parseTestArgs(['-json=false', './...'], {}).goJson).toBe(false);
    expect(parseTestArgs(['./...', '-args', '-json'], {}).goJson).toBe(false);
    expect(parseTestArgs(['--allow-unchecked'], {}).allowUnchecked).toBe(true);
    expect(() => parseTestArgs(['-c', './...'], {})).toThrow(/-c only compiles/);
    expect(() => parseTestArgs(['-run'], {})).toThrow(/flag needs an argument: -run/);
    // go list of Go 1.19 rejects -cover; it changes no file list, so go list does not get it.
    expect(parseTestArgs(['-cover', '-tags', 'x', './...'], {}).buildFlags).toEqual(['-tags', 'x']);
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

describe('why a leak check did not run', () => {
  const plain = [
    '# shop/a [shop/a.test]',
    'a/a.go:2:12: undefined: x',
    'FAIL\tshop/a [build failed]',
    'ok  \tshop/b\t0.010s',
    'signal: killed',
    'FAIL\tshop/c\t0.009s',
    'exit status 3',
    'FAIL\tshop/d\t0.024s',
    'panic: boom',
    '',
    'goroutine 7 [running]:',
    'FAIL\tshop/e\t0.014s',
    'flag provided but not defined: -notaflag',
    'Usage of /tmp/go-build1/b001/f.test:',
    'FAIL\tshop/f\t0.01s',
    'FAIL',
  ].join('\n');

  it('splits go test output by package, plain and -json', () => {
    const out = packageOutputs(plain);
    expect([...out.keys()]).toEqual(['shop/a', 'shop/b', 'shop/c', 'shop/d', 'shop/e', 'shop/f']);
    expect(out.get('shop/c')).toBe('signal: killed\nFAIL\tshop/c\t0.009s\n');
    const json = packageOutputs('{"Action":"output","Package":"p","Test":"T","Output":"ok  \\tp\\t0.1s\\n"}\n{"Action":"pass","Package":"p","Test":"T"}\n');
    expect(json.get('p')).toBe('ok  \tp\t0.1s\n');
  });

  it('gives each package the reason its check did not run', () => {
    const out = packageOutputs(plain);
    const outcomes = packageOutcomes(plain);
    const why = (p: string) => whyNotChecked(out.get(p) ?? '', outcomes.get(p));
    expect(why('shop/a').reason).toBe('the test binary was not run: build failed');
    expect(why('shop/b').reason).toMatch(/^the test binary exited with status 0 before goroscope's check ran \(syscall\.Exit/);
    expect(why('shop/c').reason).toBe("the test binary was killed (signal: killed) before goroscope's check ran");
    expect(why('shop/d').reason).toMatch(/^the test binary exited with status 3 before goroscope's check ran/);
    expect(why('shop/e').reason).toBe("the test binary crashed before goroscope's check ran: panic: boom");
    expect(why('shop/f')).toEqual({ reason: 'the test binary rejected its arguments: flag provided but not defined: -notaflag', usageError: 'flag provided but not defined: -notaflag' });
    // A test printing the flag package's message is not a usage error without the binary's usage line.
    expect(whyNotChecked('flag provided but not defined: -x\nexit status 1\nFAIL\tshop/g\t0.1s\n', false)).toMatchObject({ usageError: null, reason: expect.stringMatching(/exited with status 1/) });
    expect(whyNotChecked('', false).reason).toMatch(/failed before goroscope's check ran/);
    expect(whyNotChecked('', undefined).reason).toMatch(/does not say why/);
  });

  it("tells go test's usage errors from build failures, which also exit 2", () => {
    const usage = 'invalid value "x" for flag -count: parse error\nusage: go test [build/test flags] [packages] [build/test flags & test binary flags]\nRun \'go help test\' and \'go help testflag\' for details.\n';
    expect(goUsageError(2, usage)).toBe('invalid value "x" for flag -count: parse error');
    expect(goUsageError(2, plain)).toBeNull();
    expect(goUsageError(1, usage)).toBeNull();
  });
});
