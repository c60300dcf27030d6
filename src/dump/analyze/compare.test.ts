// diff across formats: dumps that print different things about the same goroutines are compared
// by what both print, or refused when nothing tells which goroutines to compare.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAK_PROFILE_ORIGIN, type Dump, type DumpFormat, type Goroutine } from '../model.js';
import { parseDump } from '../parse/index.js';
import { SHARED_DIR, sharedUnavailable } from '../../testing/env.js';
import { IncomparableDumpsError, planComparison } from './compare.js';
import { diffDumps } from './diff.js';
import { dumpOf, goroutine, many } from './testdata/factory.js';

/** A pprof dump of `records` as the parser gives it: no IDs, no creators, counts per record. */
function profileOf(records: Goroutine[], format: DumpFormat = 'pprof-debug1', origin: string | null = null): Dump {
  const goroutines = records.map((g) => ({ ...g, id: null, createdBy: null, state: 'unknown', waitReason: 'unknown' }));
  const total = goroutines.reduce((n, g) => n + g.count, 0);
  return { total, goroutines, sections: [{ format, goroutines: total, line: 1, declaredTotal: null, origin }], skipped: [] };
}

const WORKER = ['main.worker /srv/app/main.go:37'];
const PRODUCER = ['main.produce /srv/app/main.go:60'];

function traceback(workers: number, producers: number): Dump {
  return dumpOf([...many(workers, { frames: WORKER }), ...many(producers, { state: 'chan send', frames: PRODUCER })]);
}

describe('diffDumps across formats', () => {
  const profile = (workers: number, producers: number, labels: Record<string, string> = {}) =>
    profileOf([goroutine({ frames: WORKER, count: workers, labels }), goroutine({ frames: PRODUCER, count: producers })]);

  it('compares debug=1 with a traceback by stack: the same goroutines show no growth', () => {
    for (const [before, after] of [
      [profile(40, 15), traceback(40, 15)],
      [traceback(40, 15), profile(40, 15)],
    ] as const) {
      const d = diffDumps(before, after);
      expect(d.comparison).toMatchObject({ by: 'stack', leftOut: ['state', 'creator'], leakedOnly: false });
      expect(d.totals).toMatchObject({ before: 55, after: 55, growth: 0 });
      expect(d.grown).toEqual([]);
      expect(d.gone).toEqual([]);
    }
  });

  it('leaves labels out when only one dump has them, and keeps them when both do', () => {
    const labelled = profile(40, 15, { handler: '/api' });
    const d = diffDumps(labelled, traceback(40, 15));
    expect(d.comparison.leftOut).toEqual(['state', 'creator', 'labels']);
    expect(d.grown).toEqual([]);
    const relabelled = dumpOf([...many(40, { frames: WORKER, labels: { handler: '/admin' } }), ...many(15, { state: 'chan send', frames: PRODUCER })]);
    const both = diffDumps(labelled, relabelled);
    expect(both.comparison.leftOut).toEqual(['state', 'creator']);
    expect(both.grown.map((x) => [x.group.labels, x.before, x.after])).toEqual([[{ handler: '/admin' }, 0, 40]]);
  });

  it('still shows real growth, in the group that grew', () => {
    const d = diffDumps(profile(40, 15), traceback(40, 30));
    expect(d.grown.map((x) => [x.group.location?.func, x.before, x.after])).toEqual([['main.produce', 15, 30]]);
    expect(d.gate.passed).toBe(false);
    const back = diffDumps(traceback(40, 15), profile(80, 15));
    expect(back.grown.map((x) => [x.group.location?.func, x.growth])).toEqual([['main.worker', 40]]);
  });

  it('joins the traceback groups one pprof record stands for (states and creators it lacks)', () => {
    const after = dumpOf([
      ...many(3, { frames: WORKER, createdBy: 'main.a /srv/app/main.go:10' }),
      ...many(2, { frames: WORKER, createdBy: 'main.b /srv/app/main.go:20' }),
    ]);
    const d = diffDumps(profile(5, 0), after);
    expect(d.totals.growth).toBe(0);
    expect(d.grown).toEqual([]);
    const grown = diffDumps(profile(4, 0), after);
    expect(grown.grown).toHaveLength(1);
    expect(grown.grown[0]).toMatchObject({ before: 4, after: 5, growth: 1, group: { count: 5 } });
  });

  it('leaves the runtime frames out (debug=0 prints them, tracebacks do not) and type arguments of generic functions', () => {
    const withRuntime = profileOf(
      [goroutine({ frames: ['runtime.gopark /go/src/runtime/proc.go:424', 'runtime.chanrecv1 /go/src/runtime/chan.go:489', 'main.wait[go.shape.int] /srv/app/main.go:58', 'runtime.goexit /go/src/runtime/asm_amd64.s:1700'] })],
      'pprof-proto',
    );
    const d = diffDumps(withRuntime, dumpOf([goroutine({ frames: ['main.wait[...] /srv/app/main.go:58'] })]));
    expect(d.grown).toEqual([]);
    expect(d.gone).toEqual([]);
  });

  it('compares file names, not paths (a build in another directory or with -trimpath)', () => {
    const d = diffDumps(profileOf([goroutine({ frames: ['main.worker example.com/app/main.go:37'], count: 40 })]), traceback(40, 0));
    expect(d.grown).toEqual([]);
  });

  it('compares deep stacks by the innermost frames both formats kept', () => {
    // debug=1 keeps the innermost 32 program counters; a traceback elides the middle of a deep stack.
    const deep = (n: number) => ['main.leaf /srv/app/r.go:48', ...Array.from({ length: n }, () => 'main.recurse /srv/app/r.go:51')];
    const cut = profileOf([goroutine({ frames: deep(28) })]);
    const full = dumpOf([{ ...goroutine({ frames: [...deep(49), ...deep(49).slice(1), 'main.start /srv/app/r.go:70'] }), elidedFrames: 51 }]);
    expect(diffDumps(cut, full).grown).toEqual([]);
    // Stacks that differ within what both kept still differ.
    const other = profileOf([goroutine({ frames: ['main.other /srv/app/r.go:40', ...deep(28).slice(1)] })]);
    expect(diffDumps(other, full).grown).toHaveLength(1);
  });

  it('drops the go statement wrapper GOTRACEBACK=system prints (Go 1.22+ gowrap; older funcN at the go line)', () => {
    const system = (outer: string) =>
      dumpOf(many(40, { frames: ['runtime.gopark /go/src/runtime/proc.go:424', ...WORKER, outer, 'runtime.goexit /go/src/runtime/asm_amd64.s:1700'], createdBy: 'main.start /srv/app/main.go:76' }));
    const plain = dumpOf(many(40, { frames: WORKER, createdBy: 'main.start /srv/app/main.go:76' }));
    for (const outer of ['main.start.gowrap1 /srv/app/main.go:76', 'main.start.func13 /srv/app/main.go:76']) {
      expect(diffDumps(plain, system(outer)).grown, outer).toEqual([]);
      expect(diffDumps(profile(40, 0), system(outer)).grown, outer).toEqual([]);
    }
    // A one-line `go func() { ... }()` closure at the go statement is a real frame: kept when the
    // other dump has it too.
    const closure = ['main.start.func4 /srv/app/main.go:95'];
    const oneLiner = dumpOf(many(6, { frames: ['runtime.gopark /go/src/runtime/proc.go:424', ...closure, 'runtime.goexit /go/src/runtime/asm_amd64.s:1700'], createdBy: 'main.start /srv/app/main.go:95' }));
    expect(diffDumps(profileOf([goroutine({ frames: closure, count: 6 })]), oneLiner).grown).toEqual([]);
  });

  it('leaves out the goroutine that wrote each dump (different functions write debug=1 and debug=2)', () => {
    const writer = (f: string) => goroutine({ state: 'running', frames: [`${f} /go/src/runtime/pprof/pprof.go:1`, 'net/http/pprof.handler.ServeHTTP /go/src/net/http/pprof/pprof.go:2'] });
    const before = profileOf([goroutine({ frames: WORKER, count: 40 }), writer('runtime/pprof.writeRuntimeProfile')]);
    const after = dumpOf([...many(40, { frames: WORKER }), writer('runtime/pprof.writeGoroutineStacks')]);
    const d = diffDumps(before, after);
    expect(d.totals).toMatchObject({ before: 40, after: 40 });
    expect(d.grown).toEqual([]);
  });

  it('treats a group benign in either dump as benign in both', () => {
    // Benign in a traceback for its creator (a standard library goroutine), which debug=1 lacks.
    const std = ['io.ReadFull /go/src/io/io.go:335', 'encoding/gob.(*Decoder).recvMessage /go/src/encoding/gob/decoder.go:81'];
    const before = profileOf([goroutine({ frames: std, count: 3 }), goroutine({ frames: WORKER, count: 40 })]);
    const after = dumpOf([...many(3, { frames: std, createdBy: 'net/rpc.NewClient /go/src/net/rpc/client.go:206' }), ...many(40, { frames: WORKER })]);
    expect(diffDumps(before, before).totals.before, 'counted in debug=1 alone').toBe(43);
    expect(diffDumps(before, after).totals).toMatchObject({ before: 40, after: 40, growth: 0 });
  });

  it('compares tracebacks with and without leak marks by stack, keeping state and creator', () => {
    const marked = dumpOf(many(40, { frames: WORKER, leaked: true }));
    const d = diffDumps(traceback(40, 0), marked);
    expect(d.comparison).toMatchObject({ by: 'stack', leftOut: ['leak mark'] });
    expect(d.grown).toEqual([]);
  });

  it('compares a goroutineleak profile with the goroutines another dump marks leaked, and refuses a dump without marks', () => {
    const leakProfile = profileOf([goroutine({ frames: WORKER, count: 40, leaked: true })], 'pprof-debug1', LEAK_PROFILE_ORIGIN);
    const marked = dumpOf([...many(40, { frames: WORKER, leaked: true }), ...many(15, { state: 'chan send', frames: PRODUCER })]);
    const d = diffDumps(leakProfile, marked);
    expect(d.comparison.leakedOnly).toBe(true);
    expect(d.totals).toMatchObject({ before: 40, after: 40, growth: 0 });
    expect(() => diffDumps(leakProfile, traceback(40, 15))).toThrow(IncomparableDumpsError);
    expect(() => planComparison(traceback(40, 15), leakProfile)).toThrow(/AFTER is a goroutineleak profile.*BEFORE \(traceback\) marks none as leaked/);
  });

  it('keeps the group signature for dumps alike', () => {
    expect(planComparison(traceback(1, 1), traceback(2, 2)).by).toBe('group');
    expect(planComparison(profile(1, 1), profile(2, 2)).by).toBe('group');
    expect(planComparison(profile(1, 1), profileOf([goroutine()], 'pprof-proto')).by).toBe('stack');
  });
});

const GEN = path.join(SHARED_DIR, 'testdata/dumps/generated');
const load = (rel: string) => parseDump(readFileSync(path.join(GEN, rel)));
/** The main goroutine of the corpus program fetches each dump itself, from a different line of main(). */
const FETCHER = new Set(['main.fetch', 'main.main']);

describe.skipIf(sharedUnavailable())('diff across formats on the generated corpus (one moment of one program)', () => {
  const leak = 'go1.26/goexperiment_goroutineleakprofile';
  const sets: Array<[string, string, string[]]> = [
    ['go1.19', 'go1.19', ['pprof_goroutine_debug0.pb.gz', 'pprof_goroutine_debug1.txt', 'pprof_goroutine_debug2.txt', 'runtime_stack_all.txt', 'sigquit_gotraceback_system.txt']],
    ['go1.23', 'go1.23', ['pprof_goroutine_debug0.pb.gz', 'pprof_goroutine_debug1.txt', 'pprof_goroutine_debug2.txt', 'runtime_stack_all.txt', 'sigquit_gotraceback_system.txt']],
    ['go1.26 with tracebacklabels', 'go1.26/tracebacklabels', ['pprof_goroutine_debug0.pb.gz', 'pprof_goroutine_debug1.txt', 'pprof_goroutine_debug2.txt']],
    ['go1.26 goroutineleak profile, three forms', leak, ['pprof_goroutineleak_debug0.pb.gz', 'pprof_goroutineleak_debug1.txt', 'pprof_goroutineleak_debug2.txt']],
    // The goroutineleak profile's debug=2 has every goroutine, the leaked ones marked.
    ['go1.26 goroutine profile against goroutineleak debug=2', leak, ['pprof_goroutine_debug0.pb.gz', 'pprof_goroutine_debug1.txt', 'pprof_goroutine_debug2.txt', 'pprof_goroutineleak_debug2.txt']],
  ];
  for (const [name, dir, files] of sets) {
    it(`${name}: every pair of formats shows no growth but the fetching goroutine's move`, () => {
      const dumps = new Map(files.map((f) => [f, load(`${dir}/${f}`)]));
      for (const x of files) {
        for (const y of files) {
          if (x === y) continue;
          const d = diffDumps(dumps.get(x)!, dumps.get(y)!);
          const pair = `${x} -> ${y}`;
          expect(d.grown.filter((g) => !FETCHER.has(g.group.location?.func ?? '')), pair).toEqual([]);
          expect(d.newGoroutines, pair).toBeLessThanOrEqual(1);
          expect(Math.abs(d.totals.growth), pair).toBeLessThanOrEqual(1);
          expect(d.gate.passed, pair).toBe(true);
        }
      }
    });
  }

  it('go1.26: a goroutineleak profile against a goroutine profile without leak marks is refused', () => {
    const dir = 'go1.26/goexperiment_goroutineleakprofile';
    expect(() => diffDumps(load(`${dir}/pprof_goroutineleak_debug1.txt`), load(`${dir}/pprof_goroutine_debug1.txt`))).toThrow(IncomparableDumpsError);
  });

  it('go1.23: growth between formats still shows (debug=1 before, debug=2 with 15 more producers after, and back)', () => {
    const text = readFileSync(path.join(GEN, 'go1.23/pprof_goroutine_debug2.txt'), 'utf8');
    const blocks = text.trimEnd().split(/\n\n+/);
    let id = 100_000;
    const extra = blocks.filter((b) => b.includes('main.producer(')).map((b) => b.replace(/^goroutine \d+/, `goroutine ${id++}`));
    const grown = parseDump(`${[...blocks, ...extra].join('\n\n')}\n`);
    const d = diffDumps(load('go1.23/pprof_goroutine_debug1.txt'), grown);
    expect(d.comparison.by).toBe('stack');
    expect(d.grown.filter((g) => !FETCHER.has(g.group.location?.func ?? '')).map((g) => [g.group.location?.func, g.before, g.after])).toEqual([['main.producer', 15, 30]]);
    expect(d.gate.passed).toBe(false);
    const debug1 = readFileSync(path.join(GEN, 'go1.23/pprof_goroutine_debug1.txt'), 'utf8').replace(/^15 @/m, '45 @');
    const back = diffDumps(load('go1.23/pprof_goroutine_debug2.txt'), parseDump(debug1));
    expect(back.grown.filter((g) => !FETCHER.has(g.group.location?.func ?? '')).map((g) => [g.group.location?.func, g.growth])).toEqual([['main.producer', 30]]);
  });
});
