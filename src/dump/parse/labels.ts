// Parses the label sets Go prints: `{"k":"v", "k2":"v2"}` (debug=1, 1.26 `labels:{...}` in the
// header) and the 1.27 form after the brackets, `{k: v, k2: "v 2"}`, quoted only when needed.

export interface ParsedLabels {
  labels: Record<string, string>;
  /** Index just past the closing brace. */
  end: number;
}

/** Parses a label object whose '{' is at `start`; null when it is not well formed. Linear time. */
export function parseLabels(s: string, start: number): ParsedLabels | null {
  if (s.charCodeAt(start) !== 0x7b /* { */) return null;
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = skipSpaces(s, start + 1);
  if (s.charCodeAt(i) === 0x7d /* } */) return { labels: { ...labels }, end: i + 1 };
  for (;;) {
    const key = readToken(s, i, true);
    if (!key) return null;
    i = skipSpaces(s, key.end);
    if (s.charCodeAt(i) !== 0x3a /* : */) return null;
    i = skipSpaces(s, i + 1);
    const value = readToken(s, i, false);
    if (!value) return null;
    labels[key.text] = value.text;
    i = skipSpaces(s, value.end);
    const c = s.charCodeAt(i);
    if (c === 0x7d) return { labels: { ...labels }, end: i + 1 };
    if (c !== 0x2c /* , */) return null;
    i = skipSpaces(s, i + 1);
  }
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 0x20) i++;
  return i;
}

/** A quoted Go string, or a bare word ending at ':' (keys) or at ',' / '}' (values). */
function readToken(s: string, i: number, isKey: boolean): { text: string; end: number } | null {
  if (s.charCodeAt(i) === 0x22 /* " */) return readQuoted(s, i);
  let j = i;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (isKey ? c === 0x3a : c === 0x2c || c === 0x7d) break;
  }
  if (j >= s.length) return null;
  let end = j;
  while (end > i && s.charCodeAt(end - 1) === 0x20) end--;
  if (isKey && end === i) return null;
  return { text: s.slice(i, end), end: j };
}

function readQuoted(s: string, start: number): { text: string; end: number } | null {
  let j = start + 1;
  let escaped = false;
  for (; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x5c /* \ */) {
      escaped = true;
      j++;
    } else if (c === 0x22) break;
  }
  if (j >= s.length) return null;
  const raw = s.slice(start + 1, j);
  return { text: escaped ? unquoteGo(raw) : raw, end: j + 1 };
}

/** Undoes strconv.Quote escapes; Go's \x and \U forms are not JSON, so they are handled first. */
function unquoteGo(raw: string): string {
  const jsonish = raw
    .replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => '\\u00' + h)
    .replace(/\\U([0-9a-fA-F]{8})/g, (m, h: string) => {
      const cp = parseInt(h, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    })
    .replace(/\\a/g, '\\u0007')
    .replace(/\\v/g, '\\u000b');
  try {
    return JSON.parse('"' + jsonish + '"') as string;
  } catch {
    return raw;
  }
}
