// What `goroscope test` (testrun/run.ts) needs from --shake: the instrumented overlay, each run's
// environment, the arguments of a run that leaves some packages out (--shake-until-found), leak
// locations read past the helper's frame, and the report's summary.
import type { FrameRef, GoroutineGroup } from '../../dump/analyze/index.js';
import type { TestOptions } from '../args.js';
import { SHAKE_PROBABILITY_ENV, SHAKE_SEED_ENV } from './helper.js';
import { SHAKE_CALL } from './instrument.js';
import type { ShakeOptions } from './options.js';
import { buildShakeOverlay, listShakePackages, type ShakeOverlay, type SkippedFile } from './overlay.js';

/** How many times each attribution probe runs the tests under each seed (-count). */
export const SHAKE_PROBE_COUNT = 3;

/** How many seeds each attribution probe runs under. */
export const SHAKE_PROBE_SEEDS = 3;

/**
 * The seeds attribution probes with: the first seed of each leak, then the second..., at most
 * SHAKE_PROBE_SEEDS. A shaken leak does not show in every run of its seed, so a probe that
 * tries several seeds that showed it misses it less often.
 */
export function probeSeeds(leakSeeds: number[][], max = SHAKE_PROBE_SEEDS): number[] {
  const out: number[] = [];
  for (let i = 0; out.length < max && leakSeeds.some((s) => s.length > i); i++) {
    for (const s of leakSeeds) if (s[i] !== undefined && !out.includes(s[i]!) && out.length < max) out.push(s[i]!);
  }
  return out;
}

export interface ShakeSummary {
  /** Seeds of the runs made, in order (fewer than asked when --shake-until-found stopped early). */
  seeds: number[];
  probability: number;
  deps: boolean;
  untilFound: boolean;
  /** Files instrumented and calls inserted. */
  files: number;
  sites: number;
  /** Files left uninstrumented (cgo, generated, unparsable), with the reason. */
  skipped: SkippedFile[];
}

/** Lists the packages to instrument and writes the --shake overlay over the leak-check one. */
export async function prepareShake(options: TestOptions, shake: ShakeOptions, baseOverlay: string, cwd: string): Promise<ShakeOverlay> {
  const pkgs = await listShakePackages(options.go, options.packages, options.buildFlags, cwd, shake.deps);
  return buildShakeOverlay(options.go, baseOverlay, pkgs, cwd);
}

export function shakeEnvironment(seed: number, probability: number): Record<string, string> {
  return { [SHAKE_SEED_ENV]: String(seed), [SHAKE_PROBABILITY_ENV]: String(probability) };
}

/**
 * go test's arguments for a run of only `importPaths` (null: the user's own arguments): the
 * package patterns are replaced by the import paths, where the patterns were (in front when the
 * user named none), so the flags around them keep their meaning.
 */
export function goArgsFor(options: Pick<TestOptions, 'goArgs' | 'packageIndexes'>, importPaths: string[] | null): string[] {
  if (!importPaths) return options.goArgs;
  if (options.packageIndexes.length === 0) return [...importPaths, ...options.goArgs];
  const at = new Set(options.packageIndexes);
  const out: string[] = [];
  options.goArgs.forEach((a, i) => {
    if (i === options.packageIndexes[0]) out.push(...importPaths);
    else if (!at.has(i)) out.push(a);
  });
  return out;
}

/**
 * A goroutine caught inside the helper (sleeping in it when the dump was taken) is reported at
 * the operation the helper was called for: the next frame.
 */
export function locationOutsideHelper(group: GoroutineGroup): FrameRef | null {
  const loc = group.location;
  if (!loc || !loc.func.endsWith(`.${SHAKE_CALL}`)) return loc;
  const i = group.frames.findIndex((f) => f.func === loc.func && f.line === loc.line && f.file === loc.file);
  return group.frames[i + 1] ?? loc;
}

export function shakeSummary(shake: ShakeOptions, overlay: Pick<ShakeOverlay, 'files' | 'sites' | 'skipped'>, runs: Array<{ seed: number | null }>): ShakeSummary {
  const seeds: number[] = [];
  for (const r of runs) if (r.seed !== null && !seeds.includes(r.seed)) seeds.push(r.seed);
  return { seeds, probability: shake.probability, deps: shake.deps, untilFound: shake.untilFound, files: overlay.files, sites: overlay.sites, skipped: overlay.skipped };
}
