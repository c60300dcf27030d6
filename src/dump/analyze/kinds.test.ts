import { describe, it, expect } from 'vitest';
import { blockedInName, classifyKind, normalizeState } from './kinds.js';
import { goroutine } from './testdata/factory.js';

describe('normalizeState', () => {
  it('drops minutes, thread locking and markers but keeps nil-chan and no-cases qualifiers', () => {
    expect(normalizeState('chan receive, 12 minutes, locked to thread')).toBe('chan receive');
    expect(normalizeState('chan receive (leaked)')).toBe('chan receive');
    expect(normalizeState('select (durable)')).toBe('select');
    expect(normalizeState('chan send (nil chan)')).toBe('chan send (nil chan)');
    expect(normalizeState('select (no cases)')).toBe('select (no cases)');
  });
});

describe('classifyKind', () => {
  const cases: Array<[string, string[], string]> = [
    ['chan send', [], 'chan send'],
    ['chan receive', [], 'chan receive'],
    ['chan send (nil chan)', [], 'nil chan'],
    ['chan receive (nil chan)', [], 'nil chan'],
    ['select', [], 'select'],
    ['select (no cases)', [], 'select no cases'],
    ['sync.Mutex.Lock', [], 'mutex'],
    ['sync.RWMutex.RLock', [], 'rwmutex'],
    ['sync.WaitGroup.Wait', [], 'waitgroup'],
    ['sync.Cond.Wait', [], 'cond'],
    ['sleep', [], 'sleep'],
    ['IO wait', [], 'IO wait'],
    ['syscall', [], 'syscall'],
    ['running', [], 'running'],
    ['runnable', [], 'runnable'],
    ['GC sweep wait', ['runtime.bgsweep /usr/lib/go/src/runtime/mgcsweep.go:1'], 'runtime internal'],
    ['finalizer wait', [], 'runtime internal'],
    // Go 1.19 printed mutex and WaitGroup waits as "semacquire": the frames tell which.
    ['semacquire', ['sync.runtime_SemacquireMutex r/sema.go:77', 'sync.(*Mutex).lockSlow s/mutex.go:171', 'sync.(*Mutex).Lock s/mutex.go:90', 'main.f m.go:1'], 'mutex'],
    ['semacquire', ['sync.runtime_Semacquire r/sema.go:71', 'sync.(*WaitGroup).Wait s/wg.go:118', 'main.f m.go:1'], 'waitgroup'],
    // RWMutex.Lock waits inside Mutex.Lock: the API the user called wins.
    ['semacquire', ['sync.runtime_SemacquireMutex r/sema.go:77', 'sync.(*Mutex).Lock s/mutex.go:90', 'sync.(*RWMutex).Lock s/rw.go:1', 'main.f m.go:1'], 'rwmutex'],
    // A user-code semaphore is none of the named kinds.
    ['semacquire', ['golang.org/x/sync/semaphore.(*Weighted).Acquire w.go:1'], 'other'],
    // pprof debug=1 has no state: frames only.
    ['', ['sync.(*Cond).Wait s/cond.go:71', 'main.f m.go:1'], 'cond'],
    ['', ['time.Sleep r/time.go:300', 'main.f m.go:1'], 'sleep'],
    ['', ['main.worker m.go:37'], 'unknown'],
    ['unknown', ['main.worker m.go:37'], 'unknown'],
    ['', ['runtime.gopark r/proc.go:1', 'runtime.chanrecv1 r/chan.go:1', 'main.worker m.go:37'], 'chan receive'],
  ];
  for (const [state, frames, kind] of cases) {
    it(`${JSON.stringify(state)} ${frames[1] ?? frames[0] ?? ''} -> ${kind}`, () => {
      expect(classifyKind(goroutine({ state, frames: frames.length ? frames : undefined }))).toBe(kind);
    });
  }
});

describe('blockedInName', () => {
  const frames = (...funcs: string[]) => funcs.map((func) => ({ func }));

  it('names the sync API a Go 1.19 "semacquire" waits in, the outermost one winning', () => {
    const mutex = frames('runtime.gopark', 'runtime.goparkunlock', 'runtime.semacquire1', 'sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow', 'sync.(*Mutex).Lock', 'shop/cache.(*Cache).Stuck.func1');
    expect(blockedInName('semacquire', mutex, 'mutex')).toBe('sync.Mutex.Lock');
    const rlock = frames('runtime.gopark', 'runtime.semacquire1', 'sync.runtime_SemacquireRWMutexR', 'sync.(*RWMutex).RLock', 'main.reader');
    expect(blockedInName('semacquire', rlock, 'rwmutex')).toBe('sync.RWMutex.RLock');
    const wlock = frames('runtime.gopark', 'sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow', 'sync.(*Mutex).Lock', 'sync.(*RWMutex).Lock', 'main.writer');
    expect(blockedInName('semacquire', wlock, 'rwmutex')).toBe('sync.RWMutex.Lock');
    expect(blockedInName('semacquire', frames('runtime.gopark', 'sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait', 'main.main'), 'waitgroup')).toBe('sync.WaitGroup.Wait');
  });

  it('keeps the state the runtime printed otherwise, and a semaphore that is no sync API', () => {
    expect(blockedInName('chan send', frames('runtime.gopark', 'main.f'), 'chan send')).toBe('chan send');
    expect(blockedInName('sync.Mutex.Lock', frames('sync.(*Mutex).Lock', 'main.f'), 'mutex')).toBe('sync.Mutex.Lock');
    // A user package's Lock method below the first user frame is not the standard library's.
    expect(blockedInName('semacquire', frames('runtime.gopark', 'golang.org/x/sync/semaphore.(*Weighted).Acquire', 'sync.(*Mutex).Lock'), 'other')).toBe('semacquire');
    expect(blockedInName('', frames('runtime.gopark', 'sync.(*Cond).Wait', 'main.f'), 'cond')).toBe('sync.Cond.Wait');
  });
});
