// The --shake options of `goroscope test`: how many perturbed schedules, which seeds, with which
// probability, over which packages, and whether to stop at the first leak.
import { randomInt } from 'node:crypto';
import { UsageError } from '../../cli/exit.js';

export interface ShakeOptions {
  /** One run per seed (times --count and --cpu values). */
  seeds: number[];
  /** Probability that the helper yields or sleeps at an instrumented operation. */
  probability: number;
  /** Also instrument the main module's packages that the tested packages import. */
  deps: boolean;
  /** Stop a package's runs at its first leak. */
  untilFound: boolean;
}

/** What the command line said, before defaults. */
export interface ShakeFlags {
  runs?: number;
  seeds?: number[];
  probability?: number;
  deps?: boolean;
  untilFound?: boolean;
}

export const DEFAULT_SHAKE_PROBABILITY = 0.25;

/** Seeds stay below 2^31 so that every report format holds them exactly. */
const MAX_SEED = 2 ** 31 - 1;

/** Reads one --shake option into `flags`; false when `flag` is not one. */
export function parseShakeFlag(flag: string, value: () => string, flags: ShakeFlags): boolean {
  switch (flag) {
    case '--shake':
      flags.runs = wholeNumber(value(), '--shake', 1);
      return true;
    case '--shake-seed':
      flags.seeds = value()
        .split(',')
        .map((s) => wholeNumber(s.trim(), '--shake-seed', 0));
      return true;
    case '--shake-prob': {
      const v = value();
      const p = Number(v);
      if (v.trim() === '' || !(p > 0 && p <= 1)) throw new UsageError(`--shake-prob takes a probability above 0 and at most 1, like 0.1, not "${v}"`);
      flags.probability = p;
      return true;
    }
    case '--shake-deps':
      flags.deps = true;
      return true;
    case '--shake-until-found':
      flags.untilFound = true;
      return true;
  }
  return false;
}

function wholeNumber(s: string, name: string, min: number): number {
  const n = Number(s);
  if (s === '' || !Number.isInteger(n) || n < min || n > MAX_SEED) throw new UsageError(`${name} takes whole numbers from ${min} to ${MAX_SEED}, not "${s}"`);
  return n;
}

/**
 * The shake options, or null without --shake or --shake-seed. `--shake N` picks N consecutive
 * seeds from a random start (the report gives each leak's seed, so any run can be repeated with
 * --shake-seed); `--shake-seed S,T` runs exactly those seeds.
 */
export function resolveShakeOptions(flags: ShakeFlags, random: (min: number, max: number) => number = randomInt): ShakeOptions | null {
  if (flags.runs === undefined && flags.seeds === undefined) {
    const stray = [flags.probability !== undefined && '--shake-prob', flags.deps && '--shake-deps', flags.untilFound && '--shake-until-found'].filter(Boolean);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} needs --shake N or --shake-seed S`);
    return null;
  }
  if (flags.runs !== undefined && flags.seeds !== undefined) {
    throw new UsageError('give either --shake N (N schedules from a random seed) or --shake-seed S[,S...] (exactly these seeds), not both');
  }
  let seeds = flags.seeds;
  if (!seeds) {
    const n = flags.runs!;
    const first = random(1, MAX_SEED - n + 1);
    seeds = Array.from({ length: n }, (_, i) => first + i);
  }
  return {
    seeds: [...new Set(seeds)],
    probability: flags.probability ?? DEFAULT_SHAKE_PROBABILITY,
    deps: flags.deps ?? false,
    untilFound: flags.untilFound ?? false,
  };
}
