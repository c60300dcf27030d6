// Durations of `goroscope watch` ("15s", "30m", "1h", "7d"), read as every command reads them
// (cli/units.ts): a watch window, a retention or a stale limit is counted in those units.
import { parseDuration } from '../cli/units.js';

/** Milliseconds of "500ms", "15s", "30m", "1h", "7d" or a plain number of seconds; above zero. */
export function parseWatchDuration(value: string, name: string): number {
  return parseDuration(value, name);
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
