// Figures and names as the page shows them.
import type { FrameJson } from './api-types.js';

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : n.toLocaleString('en-US');
}

/** "+12", "−3", "0". */
export function change(n: number): string {
  return n > 0 ? `+${count(n)}` : n < 0 ? `\u2212${count(-n)}` : '0';
}

export function rate(perHour: number | null): string {
  if (perHour === null) return '–';
  const abs = Math.abs(perHour);
  const text = abs >= 10 ? Math.round(abs).toLocaleString('en-US') : abs.toFixed(1);
  return `${perHour < 0 ? '\u2212' : perHour > 0 ? '+' : ''}${text}/h`;
}

/** "2h 5m", "45s", "3d 4h". */
export function duration(ms: number): string {
  if (ms >= 0 && ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const units: Array<[string, number]> = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const parts: string[] = [];
  let rest = s;
  for (const [u, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${u}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

export function ago(at: number | string | null, now: number): string {
  if (at === null) return 'never';
  const ms = typeof at === 'string' ? Date.parse(at) : at;
  return now - ms < 1500 ? 'just now' : `${duration(now - ms)} ago`;
}

/** Local date and time, to the second. */
export function time(at: number | string): string {
  const d = new Date(typeof at === 'string' ? Date.parse(at) : at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The last two parts of a path: enough to recognise the file, short enough for a table. */
export function shortFile(file: string): string {
  const parts = file.split('/');
  return parts.length <= 2 ? file : parts.slice(-2).join('/');
}

export function fileLine(f: FrameJson): string {
  return `${shortFile(f.file)}:${f.line}`;
}

export function where(f: FrameJson | null): string {
  return f ? `${f.func} (${f.file}:${f.line})` : '';
}

/** The ranges offered, up to the retention. */
export const RANGES: ReadonlyArray<{ spec: string; ms: number }> = [
  { spec: '15m', ms: 15 * 60_000 },
  { spec: '1h', ms: 3_600_000 },
  { spec: '6h', ms: 6 * 3_600_000 },
  { spec: '1d', ms: 86_400_000 },
  { spec: '7d', ms: 7 * 86_400_000 },
];
