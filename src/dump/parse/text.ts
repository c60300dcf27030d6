// Small text helpers the parser modules share.

/**
 * A flat copy of a string. Lines are slices of big decoded chunks, and V8 keeps a sliced string's
 * parent alive: anything kept in the model must be copied off the chunk once. Concatenation then
 * slicing makes V8 flatten into a fresh string that does not point at `s`'s parent (a Buffer round
 * trip would also do, but would replace lone surrogates); slices under 13 characters are copies
 * already.
 */
export function flat(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The value of the decimal digits s[start, end). */
export function digitsValue(s: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + (s.charCodeAt(i) - 0x30);
  return n;
}

/** The number `s` spells in 1 to 15 decimal digits, else null. */
export function toInt(s: string): number | null {
  if (s.length === 0 || s.length > 15) return null;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return null;
  return Number(s);
}
