import { describe, expect, it } from 'vitest';
import type { GoroutineGroup } from '../../dump/analyze/index.js';
import { parseTestArgs } from '../args.js';
import { shakeHelperSource } from './helper.js';
import { resolveShakeOptions } from './options.js';
import { goArgsFor, locationOutsideHelper, probeSeeds } from './session.js';
import { runInParallel } from './schedule.js';

describe('--shake options', () => {
  it('reads --shake N with consecutive seeds from a random start, and the other flags', () => {
    const o = parseTestArgs(['--shake', '3', '--shake-prob', '0.25', '--shake-deps', '--shake-until-found', './...'], {});
    expect(o.shake).toMatchObject({ probability: 0.25, deps: true, untilFound: true });
    const [a, b, c] = o.shake!.seeds;
    expect([b! - a!, c! - a!]).toEqual([1, 2]);
    expect(resolveShakeOptions({ runs: 2 }, () => 1000)).toEqual({ seeds: [1000, 1001], probability: 0.25, deps: false, untilFound: false });
    expect(parseTestArgs(['./...'], {}).shake).toBeNull();
  });

  it('runs exactly the seeds of --shake-seed', () => {
    expect(parseTestArgs(['--shake-seed', '7', './x'], {}).shake!.seeds).toEqual([7]);
    expect(parseTestArgs(['--shake-seed=3,1,3', './x'], {}).shake!.seeds).toEqual([3, 1]);
  });

  it('rejects bad values and --shake flags without a schedule, with a clear message', () => {
    expect(() => parseTestArgs(['--shake', '0'], {})).toThrow(/--shake takes whole numbers from 1/);
    expect(() => parseTestArgs(['--shake-seed', '1,x'], {})).toThrow(/--shake-seed takes whole numbers from 0 .* not "x"/);
    expect(() => parseTestArgs(['--shake', '2', '--shake-prob', '2'], {})).toThrow(/--shake-prob takes a probability above 0 and at most 1/);
    expect(() => parseTestArgs(['--shake-until-found', './...'], {})).toThrow(/--shake-until-found needs --shake N or --shake-seed S/);
    expect(() => parseTestArgs(['--shake', '2', '--shake-seed', '1'], {})).toThrow(/either --shake N .* or --shake-seed/);
  });

  it('records where the packages are, and -timeout', () => {
    const o = parseTestArgs(['-run', 'X', './a', './b', '-timeout', '30s', '-v'], {});
    expect(o.packageIndexes).toEqual([2, 3]);
    expect(o.timeout).toBe('30s');
  });
});

describe('goArgsFor', () => {
  it('puts the import paths where the patterns were, or in front when there were none', () => {
    const o = parseTestArgs(['-run', 'X', './...', '-timeout', '30s', '-args', '-x'], {});
    expect(goArgsFor(o, null)).toEqual(o.goArgs);
    expect(goArgsFor(o, ['m/a', 'm/b'])).toEqual(['-run', 'X', 'm/a', 'm/b', '-timeout', '30s', '-args', '-x']);
    expect(goArgsFor(parseTestArgs(['-v'], {}), ['m/a'])).toEqual(['m/a', '-v']);
  });
});

describe('runInParallel', () => {
  it('collects in config order whatever order runs end in, and stops when packagesFor says so', async () => {
    const collected: number[] = [];
    let started = 0;
    const ran = await runInParallel({
      configs: [30, 5, 20, 1, 1],
      limit: 2,
      packagesFor: () => (started < 4 ? ['p'] : null),
      run: async (_i, ms, _pkgs, out) => {
        started++;
        out.add('stdout', Buffer.from(String(ms)));
        await new Promise((r) => setTimeout(r, ms));
        return ms;
      },
      collect: (i) => collected.push(i),
    });
    expect(ran).toBe(4);
    expect(collected).toEqual([0, 1, 2, 3]);
  });

  it('throws the first error once the runs in flight have ended', async () => {
    let ended = 0;
    await expect(
      runInParallel({
        configs: [1, 2, 3, 4],
        limit: 2,
        packagesFor: () => ['p'],
        run: async (i) => {
          await new Promise((r) => setTimeout(r, 5 * (i + 1)));
          ended++;
          if (i === 0) throw new Error('usage');
          return i;
        },
        collect: () => {},
      }),
    ).rejects.toThrow('usage');
    expect(ended).toBe(2);
  });
});

describe('locationOutsideHelper', () => {
  it('reports a goroutine caught in the helper at the operation it was called for', () => {
    const frames = [
      { func: 'time.Sleep', file: '/go/src/runtime/time.go', line: 195 },
      { func: 'm/p.goroscopeShakeAt', file: '/src/m/p/zz_goroscope_shake.go', line: 60 },
      { func: 'm/p.worker', file: '/src/m/p/p.go', line: 12 },
    ];
    const group = { frames, location: frames[1] } as unknown as GoroutineGroup;
    expect(locationOutsideHelper(group)).toEqual(frames[2]);
    expect(locationOutsideHelper({ frames, location: frames[2] } as unknown as GoroutineGroup)).toEqual(frames[2]);
  });
});

describe('shakeHelperSource', () => {
  it('declares only prefixed identifiers and aliased imports', () => {
    const src = shakeHelperSource({ packageName: 'p_test', sites: 3 });
    expect(src).toMatch(/^package p_test$/m);
    expect(src).toContain('var goroscopeShakeCounts [3]uint32');
    for (const m of src.matchAll(/^(?:func|var|const|type) (\w+)/gm)) expect(m[1]).toMatch(/^goroscopeShake/);
    for (const m of src.matchAll(/^\t(\S+) "[\w/]+"$/gm)) expect(m[1]).toMatch(/^goroscopeShake_/);
  });
});

describe('probeSeeds', () => {
  it("takes each leak's first seed, then the second, up to the limit", () => {
    expect(probeSeeds([[5, 9], [5, 7], [8]])).toEqual([5, 8, 9]);
    expect(probeSeeds([[1, 2, 3, 4]], 2)).toEqual([1, 2]);
    expect(probeSeeds([])).toEqual([]);
  });
});
