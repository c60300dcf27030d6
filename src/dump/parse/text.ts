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

/** The value of a hexadecimal digit's character code, -1 when it is not one. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

export function isSpaceOrTab(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The first index at or after `i` that is not a space or tab (s.length when none). */
export function skipSpacesAndTabs(s: string, i: number): number {
  while (i < s.length && isSpaceOrTab(s.charCodeAt(i))) i++;
  return i;
}
