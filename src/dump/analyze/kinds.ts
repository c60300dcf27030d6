// What a goroutine is blocked on. Traceback text says it in the header's wait reason, but the
// string changed across Go versions (mutex waits were "semacquire" before 1.21, WaitGroup waits
// until 1.24) and pprof debug=1/debug=0 have no state at all, so the frames are the fallback.
import type { Goroutine } from '../model.js';
import { BUNDLED_FACTS, type CodeFacts } from './user-code.js';

export const BLOCK_KINDS = [
  'chan send',
  'chan receive',
  'nil chan',
  'select',
  'select no cases',
  'mutex',
  'rwmutex',
  'waitgroup',
  'cond',
  'sleep',
  'IO wait',
  'syscall',
  'running',
  'runnable',
  'runtime internal',
  'other', // a state we know but that maps to none of the above ("semacquire" on a user semaphore, "waiting")
  'unknown', // no state in the input (pprof debug=1/debug=0) and nothing telling in the frames
] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** Kinds where a goroutine waits for another goroutine of the program: where leaks live. */
export const SYNC_KINDS: ReadonlySet<BlockKind> = new Set<BlockKind>([
  'chan send',
  'chan receive',
  'nil chan',
  'select',
  'select no cases',
  'mutex',
  'rwmutex',
  'waitgroup',
  'cond',
]);

// Wait reasons of the runtime's own goroutines and scheduler states, Go 1.17 to 1.27
// (../shared/docs/waitreasons). A goroutine in one of these is runtime machinery.
const RUNTIME_STATES = new Set([
  'idle',
  'dead',
  'copystack',
  'preempted',
  'GC assist marking',
  'GC assist wait',
  'GC sweep wait',
  'GC scavenge wait',
  'GC worker (idle)',
  'GC worker (active)',
  'GC mark termination',
  'GC weak to strong wait',
  'finalizer wait',
  'force gc (idle)',
  'timer goroutine (idle)',
  'GOMAXPROCS updater (idle)',
  'cleanup wait',
  'trace reader (blocked)',
  'trace goroutine status',
  'trace proc status',
  'page trace flush',
  'flushing proc caches',
  'wait for GC cycle',
  'garbage collection',
  'garbage collection scan',
  'dumping heap',
  'panicwait',
  'debug call',
  'stopping the world',
  'coroutine',
  'waiting for cgo callback',
]);

/**
 * The header state without decorations that do not change what the goroutine waits on:
 * ", N minutes", ", locked to thread", " (leaked)", " (scan)", " (durable)"/" (synctest)".
 */
export function normalizeState(state: string): string {
  let s = state.split(',')[0]!.trim();
  s = s.replace(/ \((leaked|scan|durable|synctest)\)/g, '');
  return s;
}

const STATE_KINDS: Record<string, BlockKind> = {
  'chan send (nil chan)': 'nil chan',
  'chan receive (nil chan)': 'nil chan',
  'select (no cases)': 'select no cases',
  'chan send': 'chan send',
  'chan receive': 'chan receive',
  select: 'select',
  'sync.Mutex.Lock': 'mutex',
  'sync.RWMutex.RLock': 'rwmutex',
  'sync.RWMutex.Lock': 'rwmutex',
  'sync.WaitGroup.Wait': 'waitgroup',
  'sync.Cond.Wait': 'cond',
  sleep: 'sleep',
  'IO wait': 'IO wait',
  syscall: 'syscall',
  running: 'running',
  runnable: 'runnable',
  'synctest.Run': 'other',
  'synctest.Wait': 'other',
};

// Frames that name the operation when the state does not (or is only "semacquire"/absent).
// The outermost match below the first user frame wins: it is the API the user called
// (sync.(*RWMutex).Lock waits inside sync.(*Mutex).Lock, but the user wrote rw.Lock()).
const FRAME_KINDS: Array<[RegExp, BlockKind]> = [
  [/^(internal\/)?sync\.\(\*RWMutex\)\./, 'rwmutex'],
  [/^sync\.runtime_SemacquireRWMutex/, 'rwmutex'],
  [/^(internal\/)?sync\.\(\*Mutex\)\.(Lock|lockSlow)$/, 'mutex'],
  [/^(internal\/)?sync\.runtime_SemacquireMutex$/, 'mutex'],
  [/^sync\.\(\*WaitGroup\)\.Wait$/, 'waitgroup'],
  [/^sync\.runtime_SemacquireWaitGroup$/, 'waitgroup'],
  [/^sync\.\(\*Cond\)\.Wait$/, 'cond'],
  [/^time\.Sleep$/, 'sleep'],
  [/^internal\/poll\.runtime_pollWait$/, 'IO wait'],
  [/^runtime\.block$/, 'select no cases'],
  [/^runtime\.selectgo$/, 'select'],
  [/^runtime\.chansend1?$/, 'chan send'],
  [/^runtime\.chanrecv[12]?$/, 'chan receive'],
  [/^(syscall|internal\/syscall\/unix|golang\.org\/x\/sys\/unix)\.(Raw)?Syscall/, 'syscall'],
];

function kindFromFrames(g: Goroutine, facts: CodeFacts): BlockKind | null {
  let found: BlockKind | null = null;
  for (const f of g.frames) {
    if (!facts.isStd(f)) break;
    const match = FRAME_KINDS.find(([re]) => re.test(f.func));
    if (match) found = match[1];
  }
  return found;
}

function isAllRuntime(g: Goroutine, facts: CodeFacts): boolean {
  return g.frames.length > 0 && g.frames.every((f) => facts.isRuntime(f));
}

/** What the goroutine is blocked on; `facts` tell the standard library's frames from the user's. */
export function classifyKind(g: Goroutine, facts: CodeFacts = BUNDLED_FACTS): BlockKind {
  const state = normalizeState(g.waitReason || g.state);
  const direct = STATE_KINDS[state];
  if (direct && direct !== 'other') return direct;
  if (RUNTIME_STATES.has(state)) return 'runtime internal';
  const fromFrames = kindFromFrames(g, facts);
  if (fromFrames) return fromFrames;
  if (isAllRuntime(g, facts)) return 'runtime internal';
  // The parser writes "unknown" for pprof records whose frames name no blocking call.
  return state === '' || state === 'unknown' ? 'unknown' : 'other';
}

// The sync API a goroutine waits in, named as Go 1.20+ names the wait ("sync.Mutex.Lock"), from
// frames: Go 1.19 prints every lock, WaitGroup and Cond wait as "semacquire", which says nothing
// to a reader. The outermost sync frame wins (rw.Lock() waits inside sync.(*Mutex).Lock).
const SYNC_API = /^sync\.\(\*(Mutex|RWMutex|WaitGroup|Cond)\)\.(Lock|RLock|Wait)$/;
const SYNC_INTERNALS = /^(runtime|sync|internal\/[\w/]+)\./;

/** "sync.RWMutex.RLock" for a goroutine waiting in rw.RLock(), else null. */
export function syncWaitName(frames: ReadonlyArray<{ func: string }>): string | null {
  let found: string | null = null;
  for (const f of frames) {
    const m = SYNC_API.exec(f.func);
    if (m) found = `sync.${m[1]}.${m[2]}`;
    else if (!SYNC_INTERNALS.test(f.func)) break;
  }
  return found;
}

/**
 * What a report says the goroutine is blocked in: the runtime's state, except that a bare
 * "semacquire" (Go 1.19 locks, Go up to 1.23 WaitGroups) becomes the sync API waited in.
 */
export function blockedInName(state: string, frames: ReadonlyArray<{ func: string }>, kind: string): string {
  if (state === 'semacquire' || state === '') return syncWaitName(frames) ?? (state || kind);
  return state;
}
