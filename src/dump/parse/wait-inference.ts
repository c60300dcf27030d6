// Formats without a header (pprof debug=1 and debug=0) carry no wait reason: infer one from the
// innermost frames, using the wait-reason strings of current Go versions.

import type { Frame } from '../model.js';

/** Function -> wait reason, for functions that only sit at the top of a blocked stack. */
const BLOCKING_FUNCS = new Map<string, string>([
  ['runtime.chansend1', 'chan send'],
  ['runtime.chansend', 'chan send'],
  ['runtime.chanrecv1', 'chan receive'],
  ['runtime.chanrecv2', 'chan receive'],
  ['runtime.chanrecv', 'chan receive'],
  ['runtime.selectgo', 'select'],
  ['runtime.block', 'select (no cases)'],
  ['sync.runtime_SemacquireMutex', 'sync.Mutex.Lock'],
  ['sync.(*Mutex).Lock', 'sync.Mutex.Lock'],
  ['sync.(*Mutex).lockSlow', 'sync.Mutex.Lock'],
  ['internal/sync.runtime_SemacquireMutex', 'sync.Mutex.Lock'],
  ['internal/sync.(*Mutex).Lock', 'sync.Mutex.Lock'],
  ['internal/sync.(*Mutex).lockSlow', 'sync.Mutex.Lock'],
  ['sync.runtime_SemacquireRWMutexR', 'sync.RWMutex.RLock'],
  ['sync.(*RWMutex).RLock', 'sync.RWMutex.RLock'],
  ['sync.runtime_SemacquireRWMutex', 'sync.RWMutex.Lock'],
  ['sync.(*RWMutex).Lock', 'sync.RWMutex.Lock'],
  ['sync.runtime_SemacquireWaitGroup', 'sync.WaitGroup.Wait'],
  ['sync.(*WaitGroup).Wait', 'sync.WaitGroup.Wait'],
  ['sync.runtime_notifyListWait', 'sync.Cond.Wait'],
  ['sync.(*Cond).Wait', 'sync.Cond.Wait'],
  ['time.Sleep', 'sleep'],
  ['runtime.timeSleep', 'sleep'],
  ['runtime.netpollblock', 'IO wait'],
  ['runtime/pprof.writeGoroutineStacks', 'running'],
  ['runtime/pprof.writeRuntimeProfile', 'running'],
  ['runtime/pprof.writeGoroutine', 'running'],
  ['runtime.goroutineProfileWithLabels', 'running'],
  ['runtime/pprof.runtime_goroutineProfileWithLabels', 'running'],
  ['runtime.goroutineLeakProfileWithLabels', 'running'],
]);

/** Generic fallbacks, consulted only when no specific function matched. */
const GENERIC_FUNCS = new Map<string, string>([
  ['runtime.semacquire1', 'semacquire'],
  ['sync.runtime_Semacquire', 'semacquire'],
  ['runtime.cgocall', 'syscall'],
]);

/** Only the innermost frames decide: deeper ones called what is on top. */
const FRAMES_CONSIDERED = 8;

export function inferWaitReason(frames: readonly Frame[]): string {
  const n = Math.min(frames.length, FRAMES_CONSIDERED);
  for (let i = 0; i < n; i++) {
    const f = frames[i]!.func;
    const reason = BLOCKING_FUNCS.get(f);
    if (reason) return reason;
    if (f.startsWith('internal/poll.')) return 'IO wait';
    if (f.startsWith('syscall.') || f.startsWith('internal/runtime/syscall.')) return 'syscall';
  }
  for (let i = 0; i < n; i++) {
    const reason = GENERIC_FUNCS.get(frames[i]!.func);
    if (reason) return reason;
  }
  return 'unknown';
}
