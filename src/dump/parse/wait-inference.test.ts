import { describe, expect, it } from 'vitest';
import type { Frame } from '../model.js';
import { inferWaitReason } from './wait-inference.js';

const frames = (...funcs: string[]): Frame[] =>
  funcs.map((func) => ({ func, package: '', file: '', line: 0, offset: null, inlined: false, args: '' }));

describe('inferWaitReason', () => {
  it.each([
    [['runtime.gopark', 'runtime.chanrecv', 'runtime.chanrecv1', 'main.worker'], 'chan receive'],
    [['runtime.gopark', 'runtime.chansend', 'runtime.chansend1', 'main.producer'], 'chan send'],
    [['runtime.gopark', 'runtime.selectgo', 'main.loop'], 'select'],
    [['runtime.gopark', 'runtime.block', 'main.main'], 'select (no cases)'],
    [['runtime.gopark', 'runtime.semacquire1', 'sync.runtime_SemacquireMutex', 'sync.(*Mutex).lockSlow'], 'sync.Mutex.Lock'],
    [['runtime.gopark', 'runtime.semacquire1', 'sync.runtime_SemacquireWaitGroup', 'sync.(*WaitGroup).Wait'], 'sync.WaitGroup.Wait'],
    [['runtime.gopark', 'runtime.semacquire1', 'sync.runtime_Semacquire', 'main.f'], 'semacquire'],
    [['sync.runtime_notifyListWait', 'sync.(*Cond).Wait'], 'sync.Cond.Wait'],
    [['runtime.gopark', 'time.Sleep', 'main.nap'], 'sleep'],
    [['internal/poll.runtime_pollWait', 'internal/poll.(*pollDesc).wait'], 'IO wait'],
    [['syscall.Syscall6', 'os.(*Process).wait'], 'syscall'],
    [['runtime/pprof.writeGoroutineStacks', 'runtime/pprof.writeGoroutine'], 'running'],
    [['main.worker', 'runtime.goexit'], 'unknown'],
    [[], 'unknown'],
  ])('%j -> %s', (funcs, reason) => {
    expect(inferWaitReason(frames(...funcs))).toBe(reason);
  });
});
