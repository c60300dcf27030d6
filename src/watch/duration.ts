// Durations of `goroscope watch`: the project's "500ms", "2s", "1m" plus hours and days, since a
// watch window, a retention or a stale limit is counted in those ("30m", "1h", "7d").
import { UserError } from '../cli/exit.js';
import { parseDuration } from '../testrun/args.js';

const LONG_UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000 };

/** Milliseconds of "500ms", "15s", "30m", "1h", "7d" (a bare number is milliseconds); above zero. */
export function parseWatchDuration(value: string, name: string): number {
  const long = /^(\d+(?:\.\d+)?)(h|d)$/.exec(value.trim());
  let ms: number;
  try {
    ms = long ? Math.round(Number(long[1]) * LONG_UNITS[long[2]!]!) : parseDuration(value, name);
  } catch {
    ms = NaN;
  }
  if (!(ms > 0)) throw new UserError(`${name} takes a duration above zero like 500ms, 15s, 30m, 1h or 7d, not "${value}"`);
  return ms;
}

/** A short human form: "200ms", "15s", "30m", "1h30m", "7d". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, seconds] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / seconds);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * seconds;
    if (parts.length === 2) break;
  }
  return parts.join('');
}
