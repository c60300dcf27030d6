import { describe, expect, it } from 'vitest';
import { bisect, quoteTestName, runPattern, subtestsFromVerbose } from './attribute.js';

/** A fake package: each test leaks the signatures listed; some leak only together. */
function fakeProbe(leaks: Record<string, string[]>, together: Array<{ tests: string[]; sig: string }> = []) {
  const calls: string[] = [];
  const probe = async (pattern: string) => {
    calls.push(pattern);
    const names = /\^\((.*)\)\$$/.exec(pattern)![1]!.split('|').map((n) => n.replace(/\\(.)/g, '$1'));
    const sigs = new Set<string>();
    for (const n of names) for (const s of leaks[n] ?? []) sigs.add(s);
    for (const t of together) if (t.tests.every((x) => names.includes(x))) sigs.add(t.sig);
    return sigs;
  };
  return { probe, calls };
}

describe('bisect', () => {
  it('finds each leaking test among many with a logarithmic number of runs', async () => {
    const tests = Array.from({ length: 32 }, (_, i) => `Test${i}`);
    const { probe, calls } = fakeProbe({ Test5: ['a'], Test20: ['b'], Test21: ['b'] });
    const result = await bisect(tests, new Set(['a', 'b']), probe);
    expect(result.get('a')).toEqual(['Test5']);
    expect(result.get('b')).toEqual(['Test20', 'Test21']);
    expect(calls.length).toBeLessThan(32);
  });

  it('blames the smallest set when only a combination leaks', async () => {
    const { probe } = fakeProbe({}, [{ tests: ['TestA', 'TestD'], sig: 'x' }]);
    const result = await bisect(['TestA', 'TestB', 'TestC', 'TestD'], new Set(['x']), probe);
    expect(result.get('x')).toEqual(['TestA', 'TestB', 'TestC', 'TestD']);
  });

  it('names subtests under their parent', async () => {
    const { probe } = fakeProbe({ b: ['s'] });
    const result = await bisect(['a', 'b', 'c'], new Set(['s']), async (p) => probe(p.slice(p.indexOf('/') + 1)), 'TestGroup');
    expect(result.get('s')).toEqual(['TestGroup/b']);
  });
});

describe('run patterns', () => {
  it('quotes regexp characters in test names', () => {
    expect(quoteTestName('TestX/a.b(c)')).toBe('TestX/a\\.b\\(c\\)');
    expect(runPattern(['TestA', 'TestB'])).toBe('^(TestA|TestB)$');
    expect(runPattern(['x_y'], 'TestP')).toBe('^TestP$/^(x_y)$');
  });

  it('reads direct subtests from -v output', () => {
    const out = '=== RUN   TestP\n=== RUN   TestP/one\n=== PAUSE TestP/one\n=== RUN   TestP/two\n=== RUN   TestP/two/deep\n=== RUN   TestQ/x\n';
    expect(subtestsFromVerbose(out, 'TestP')).toEqual(['one', 'two']);
  });
});
