import { describe, it, expect } from 'vitest';
import { analyzeDump, findIdleLeaks } from './analyze.js';
import { groupGoroutines } from './group.js';
import { dumpOf, goroutine, many } from './testdata/factory.js';

describe('groupGoroutines', () => {
  it('ignores IDs, arguments and wait minutes, and keeps the wait range', () => {
    const gs = [goroutine({ id: 7, waitMinutes: 3 }), goroutine({ id: 9, waitMinutes: 12 }), goroutine({ id: 8 })];
    gs[1]!.frames[0]!.args = '0xdeadbeef, 0x2';
    const groups = groupGoroutines(gs);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.count).toBe(3);
    expect(groups[0]!.ids).toEqual([7, 8, 9]);
    expect(groups[0]!.waitMinutes).toEqual({ min: 0, max: 12 });
  });
  it('splits by state, frame line, creator and labels', () => {
    const groups = groupGoroutines([
      goroutine(),
      goroutine({ state: 'chan send' }),
      goroutine({ frames: ['main.worker /app/main.go:38'] }),
      goroutine({ createdBy: 'main.other /app/main.go:99' }),
      goroutine({ labels: { tenant: 't1' } }),
    ]);
    expect(groups).toHaveLength(5);
  });
  it('sums the counts of pprof records', () => {
    const groups = groupGoroutines([goroutine({ id: null, count: 40, state: '' }), goroutine({ id: null, count: 2, state: '' })]);
    expect(groups[0]!.count).toBe(42);
  });
  it('--group-by location merges different stacks reaching the same user frame', () => {
    const a = goroutine({ frames: ['main.worker /app/main.go:37', 'main.a /app/main.go:1'] });
    const b = goroutine({ frames: ['main.worker /app/main.go:37', 'main.b /app/main.go:2'], createdBy: 'main.b /app/main.go:2' });
    expect(groupGoroutines([a, b])).toHaveLength(2);
    expect(groupGoroutines([a, b], { groupBy: 'location' })).toHaveLength(1);
  });
});

describe('analyzeDump suspects', () => {
  it('flags nil channels and select {} as definite, ranked before likely ones', () => {
    const a = analyzeDump(
      dumpOf([
        ...many(3, { state: 'chan receive', waitMinutes: 30, frames: ['main.consume /app/main.go:50'] }),
        goroutine({ state: 'chan send (nil chan)', frames: ['main.nilsend /app/main.go:60'] }),
        goroutine({ state: 'select (no cases)', frames: ['main.forever /app/main.go:70'] }),
        goroutine({ state: 'chan receive', waitMinutes: 2, frames: ['main.fresh /app/main.go:80'] }),
      ]),
    );
    const levels = a.groups.map((g) => [g.location?.func, g.suspect?.level ?? null]);
    expect(levels).toEqual([
      ['main.nilsend', 'definite'],
      ['main.forever', 'definite'],
      ['main.consume', 'likely'],
      ['main.fresh', null],
    ]);
    expect(a.suspects).toEqual({ definite: 2, likely: 3 });
    expect(a.groups[2]!.suspect!.reason).toMatch(/30 minutes/);
  });
  it('honours --min-wait', () => {
    const d = dumpOf([goroutine({ waitMinutes: 5 })]);
    expect(analyzeDump(d).groups[0]!.suspect).toBeNull();
    expect(analyzeDump(d, { minWaitMinutes: 5 }).groups[0]!.suspect?.level).toBe('likely');
  });
  it('flags an unusually large group blocked on one user-code operation', () => {
    expect(analyzeDump(dumpOf(many(99, {}))).groups[0]!.suspect).toBeNull();
    expect(analyzeDump(dumpOf(many(100, {}))).groups[0]!.suspect?.reason).toMatch(/100 goroutines blocked on one chan receive/);
    expect(analyzeDump(dumpOf(many(20, {})), { largeGroup: 20 }).groups[0]!.suspect?.level).toBe('likely');
  });
  it('flags goroutines marked leaked by the runtime', () => {
    const a = analyzeDump(dumpOf([goroutine({ state: 'chan receive (leaked)', leaked: true })]));
    expect(a.groups[0]!.suspect?.level).toBe('definite');
  });
  it('does not flag long waits inside the standard library or on non-sync kinds', () => {
    const a = analyzeDump(
      dumpOf([
        goroutine({ state: 'IO wait', waitMinutes: 60, frames: ['internal/poll.runtime_pollWait p.go:1', 'main.read /app/main.go:3'] }),
        goroutine({ state: 'sleep', waitMinutes: 60, frames: ['time.Sleep t.go:1', 'main.nap /app/main.go:4'] }),
        goroutine({ state: 'chan receive', waitMinutes: 60, frames: ['io.(*pipe).read p.go:1'], createdBy: 'os/exec.(*Cmd).Start e.go:1' }),
      ]),
    );
    expect(a.groups.every((g) => g.suspect === null)).toBe(true);
  });
  it('never suspects known-benign goroutines', () => {
    const a = analyzeDump(
      dumpOf([
        goroutine({ state: 'chan receive', waitMinutes: 99, frames: ['os/signal.signal_recv r.go:1', 'os/signal.loop s.go:1'], createdBy: 'os/signal.Notify.func1.1 s.go:1' }),
        goroutine({ state: 'IO wait', frames: ['internal/poll.runtime_pollWait p.go:1', 'net/http.(*Server).Serve s.go:1', 'main.main.func1 /app/main.go:9'], createdBy: 'main.main /app/main.go:9' }),
        goroutine({ state: 'select', waitMinutes: 50, frames: ['net/http.(*persistConn).readLoop t.go:1'], createdBy: 'net/http.(*Transport).dialConn t.go:2' }),
        goroutine({ state: 'GC sweep wait', frames: ['runtime.gopark r.go:1', 'runtime.bgsweep r.go:2'], createdBy: 'runtime.gcenable r.go:3' }),
        goroutine({ state: 'chan receive', waitMinutes: 40, frames: ['testing.(*T).Run t.go:1', 'testing.runTests.func1 t.go:2', 'testing.tRunner t.go:3', 'testing.runTests t.go:4', 'testing.(*M).Run t.go:5', 'main.main _testmain.go:47'], createdBy: null }),
        goroutine({ state: 'select (no cases)', frames: ['main.main /app/main.go:20'], createdBy: null }),
      ]),
    );
    expect(a.groups.map((g) => g.benign).sort()).toEqual([
      'Go runtime goroutine',
      'main goroutine parked with select {} (keeps a server alive)',
      'net/http keep-alive connection loop',
      'net/http server loop',
      'os/signal handler loop',
      'testing runner',
    ]);
    expect(a.groups.every((g) => g.suspect === null)).toBe(true);
  });
  it('applies goleak-style ignore rules', () => {
    const d = dumpOf([
      goroutine({ state: 'chan send (nil chan)', frames: ['main.a /app/main.go:1', 'main.outer /app/main.go:2'] }),
      goroutine({ state: 'chan send (nil chan)', frames: ['main.b /app/main.go:3'], createdBy: 'main.spawner /app/main.go:4' }),
      goroutine({ state: 'chan send (nil chan)', frames: ['main.c /app/main.go:5', 'main.outer /app/main.go:6'] }),
    ]);
    expect(analyzeDump(d).suspects.definite).toBe(3);
    const ignored = analyzeDump(d, { ignore: { top: ['main.a'], any: [], createdBy: ['main.spawner'] } });
    expect(ignored.suspects.definite).toBe(1);
    expect(ignored.groups.filter((g) => g.benign).map((g) => g.benign).sort()).toEqual(['ignored by --ignore-created-by main.spawner', 'ignored by --ignore-top main.a']);
    expect(analyzeDump(d, { ignore: { top: [], any: ['main.outer'], createdBy: [] } }).suspects.definite).toBe(1);
  });
  it('totals per state', () => {
    const a = analyzeDump(dumpOf([...many(3, {}), goroutine({ state: 'chan send' })]));
    expect(a.states).toEqual([
      { state: 'chan receive', count: 3 },
      { state: 'chan send', count: 1 },
    ]);
  });
});

describe('findIdleLeaks', () => {
  it('reports every goroutine but the dump taker and benign ones as definite', () => {
    const d = dumpOf([
      goroutine({ id: 1, state: 'running', frames: ['main.main /app/main.go:30'], createdBy: null }),
      goroutine({ state: 'chan receive', frames: ['main.fresh /app/main.go:80'] }),
      goroutine({ state: 'sleep', frames: ['time.Sleep t.go:1', 'main.nap /app/main.go:81'] }),
      goroutine({ state: 'finalizer wait', frames: ['runtime.runfinq r.go:1'], createdBy: 'runtime.createfing r.go:2' }),
    ]);
    const leaks = findIdleLeaks(d);
    expect(leaks.map((g) => [g.location?.func, g.suspect?.level])).toEqual([
      ['main.fresh', 'definite'],
      ['main.nap', 'definite'],
    ]);
    // Without idle mode, neither is a suspect: one wait is short, the other is a sleep.
    expect(analyzeDump(d).suspects).toEqual({ definite: 0, likely: 0 });
  });
  it('uses selfId when given', () => {
    const d = dumpOf([goroutine({ id: 5, state: 'chan receive' }), goroutine({ id: 6, state: 'chan receive', frames: ['main.other /app/main.go:1'] })]);
    expect(findIdleLeaks(d, { selfId: 5 }).map((g) => g.ids)).toEqual([[6]]);
  });
  it('reports goroutines of a module whose path has no dot, created in that module (not "standard library")', () => {
    const d = dumpOf([
      goroutine({ id: 1, state: 'running', frames: ['main.main /app/main.go:30'], createdBy: null }),
      goroutine({ id: 7, state: 'semacquire', frames: ['sync.runtime_SemacquireMutex s.go:1', 'sync.(*Mutex).lockSlow m.go:2', 'sync.(*Mutex).Lock m.go:3', 'app/store.(*Store).Get /src/app/store/store.go:40'], createdBy: 'app/store.Run /src/app/store/store.go:60' }),
      goroutine({ id: 8, state: 'chan send', frames: ['app/worker.(*Pool).run /src/app/worker/pool.go:12'], createdBy: 'app/worker.New /src/app/worker/pool.go:5' }),
    ]);
    const leaks = findIdleLeaks(d, { modulePath: 'app' });
    expect(leaks.map((g) => [g.location?.func, g.kind, g.benign])).toEqual([
      ['app/worker.(*Pool).run', 'chan send', null],
      ['app/store.(*Store).Get', 'mutex', null],
    ]);
  });
});

describe('large inputs', () => {
  it('merges, analyses and diffs 200,000 goroutines without overflowing the stack', async () => {
    const { mergeDumps } = await import('./merge.js');
    const { diffDumps } = await import('./diff.js');
    const gs = Array.from({ length: 200_000 }, (_, i) => goroutine({ id: i + 2, frames: [`main.worker${i % 3} /app/main.go:${30 + (i % 3)}`] }));
    const merged = mergeDumps([dumpOf(gs.slice(0, 100_000)), dumpOf(gs.slice(100_000))]);
    expect(merged.sections).toHaveLength(2);
    const a = analyzeDump(merged, { idle: true });
    expect(a.groups.map((g) => g.count).sort()).toEqual([66_666, 66_667, 66_667]);
    expect(diffDumps(merged, merged).sameProcess.value).toBe(true);
  });
});
