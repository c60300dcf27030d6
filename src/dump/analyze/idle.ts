// Idle mode: the dump was taken when the program (or a test package) should have no goroutines
// of its own left, as goleak assumes at the end of a test. Then everything that is neither the
// goroutine taking the dump nor known-benign is a leak, however briefly it has waited.
import type { Dump, Goroutine } from '../model.js';
import type { GroupOptions } from './group.js';
import { classifyKind } from './kinds.js';

export interface IdleOptions extends GroupOptions {
  /** ID of the goroutine that took the dump, when the caller knows it. */
  selfId?: number | null;
}

// Frames seen on the goroutine that writes the dump (runtime.Stack hides its own frame, the
// others show up in pprof handlers and runtime/debug).
const DUMPER_FUNCS = new Set([
  'runtime.Stack',
  'runtime/debug.Stack',
  'runtime/debug.PrintStack',
  'runtime/pprof.writeGoroutine',
  'runtime/pprof.writeGoroutineStacks',
  'runtime/pprof.writeRuntimeProfile',
  'runtime/pprof.(*Profile).WriteTo',
  'runtime/pprof.writeGoroutineLeak',
]);

/**
 * The goroutine that took the dump: the one with selfId; else a running one with a dump-writing
 * frame; else, when a section has exactly one running goroutine, that one (runtime.Stack stops
 * the world, so the caller is the only goroutine shown running).
 */
export function isDumpTaker(g: Goroutine, all: readonly Goroutine[], selfId: number | null = null): boolean {
  return dumpTakers(all, selfId).has(g);
}

/** The goroutines of the dump that took it (see isDumpTaker). */
export function dumpTakers(goroutines: readonly Goroutine[], selfId: number | null = null): Set<Goroutine> {
  if (selfId !== null) return new Set(goroutines.filter((g) => g.id === selfId));
  const running = goroutines.filter((g) => classifyKind(g) === 'running');
  const runningPerSection = new Map<number, number>();
  for (const g of running) runningPerSection.set(g.section, (runningPerSection.get(g.section) ?? 0) + 1);
  return new Set(running.filter((g) => hasDumpWriterFrame(g) || runningPerSection.get(g.section) === 1));
}

/** Whether a frame of `g` is one of the functions that write a goroutine dump. */
export function hasDumpWriterFrame(g: Goroutine): boolean {
  return g.frames.some((f) => DUMPER_FUNCS.has(f.func));
}

export const IDLE_REASON = 'still alive when the program should have no goroutines of its own left (--idle)';
