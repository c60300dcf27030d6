// Sizes, durations, percentages and counts as every command reads them, so `--max-bytes 512MB`,
// `--max-file-size 2MiB`, `--timeout 30s` and `--settle 5m` mean the same wherever they appear
// (options and .goroscope.yaml alike). Each parser throws a UsageError naming the option.
import { UsageError } from './exit.js';

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  // Binary: the IEC names and the one-letter shorthand (as `sort -S`, `docker -m`).
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  // Decimal, as the SI prefixes say.
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
};

/**
 * A byte count: "1048576", "512KiB", "2MiB", "1.5G" (1024-based), "512MB", "10kB" (1000-based);
 * case-insensitive, a space before the unit allowed.
 */
export function parseSize(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const scale = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || scale === undefined) throw new UsageError(`${option} takes a size such as 1048576, 512KiB, 10MiB or 512MB, not "${text}"`);
  const bytes = Math.floor(Number(m[1]) * scale);
  if (bytes < 1) throw new UsageError(`${option} must be at least 1 byte, not "${text}"`);
  return bytes;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds from "500ms", "30s", "5m", "1h", "7d", Go's "1m30s", or a plain number of seconds
 * ("2.5"), as sleep(1) and timeout(1) read one. `allowZero` accepts "0" (e.g. no settle wait).
 */
export function parseDuration(text: string, option: string, { allowZero = false } = {}): number {
  const s = text.trim();
  let ms: number | null = null;
  if (/^\d+(?:\.\d+)?$/.test(s)) ms = Number(s) * 1000;
  else if (/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(s)) {
    ms = 0;
    for (const part of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) ms += Number(part[1]) * DURATION_UNITS[part[2]!]!;
  }
  if (ms === null) throw new UsageError(`${option} takes a duration such as 500ms, 30s, 5m or 1m30s (a plain number is seconds), not "${text}"`);
  if (ms === 0 && !allowZero) throw new UsageError(`${option} must be longer than 0, not "${text}"`);
  return Math.round(ms);
}

/** A percentage >= 0: "5", "2.5" or "5%". */
export function parsePercent(text: string, option: string): number {
  const s = text.trim().replace(/%$/, '');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${option} takes a percentage of at least 0, such as 5 or 2.5%, not "${text}"`);
  return n;
}

/** A whole number of at least `min`. */
export function parseCount(text: string, option: string, min = 0): number {
  const s = text.trim();
  const n = Number(s);
  if (s === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${option} takes a whole number of at least ${min}, not "${text}"`);
  return n;
}

/** A number of at least 0 (fractions allowed). */
export function parseNonNegative(text: string, option: string): number {
  const s = text.trim();
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${option} takes a number of at least 0, not "${text}"`);
  return n;
}

/** "812 KiB", "1.4 GiB": a byte count for people (progress lines). */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 || n >= 100 ? Math.round(n) : n.toFixed(1)} ${units[u]}`;
}
