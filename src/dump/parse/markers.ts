// Lines that announce a new dump (and so a new section): panics, fatal errors, signals, go test
// timeouts, the crash dump's per-M "-----" separator.

export interface Marker {
  /** Section origin for the goroutines that follow; null when the line only separates. */
  origin: string | null;
  breaksRun: boolean;
}

/** How far into a line (past an unknown log prefix) a marker is looked for. */
const MAX_MARKER_OFFSET = 128;

/** Recognises a marker at the content start `p`, at 0, or after an unlearned log prefix. */
export function detectMarker(line: string, p: number): Marker | null {
  return markerAt(line, p) ?? (p !== 0 ? markerAt(line, 0) : null) ?? markerAfterPrefix(line);
}

function markerAt(line: string, i: number): Marker | null {
  const c = line.charCodeAt(i);
  if (c === 0x70 /* p */ && line.startsWith('panic: ', i)) {
    return { origin: line.startsWith('panic: test timed out', i) ? 'test timeout' : 'panic', breaksRun: true };
  }
  if (c === 0x66 /* f */ && line.startsWith('fatal error: ', i)) {
    return { origin: clip(line.slice(i).trimEnd()), breaksRun: true };
  }
  if (c === 0x53 /* S */ && line.startsWith('SIG', i)) {
    const colon = line.indexOf(':', i);
    if (colon > i + 3 && colon < i + 12 && isUpperWord(line, i + 3, colon)) {
      return { origin: line.slice(i, colon), breaksRun: true };
    }
  }
  if (c === 0x68 /* h */ && line.startsWith('http: panic serving ', i)) return { origin: 'http panic', breaksRun: true };
  if (c === 0x2d /* - */ && line.startsWith('-----', i) && line.trimEnd().length === i + 5) {
    return { origin: null, breaksRun: true };
  }
  if (c === 0x66 && line.startsWith('fatal: morestack', i)) return { origin: clip(line.slice(i).trimEnd()), breaksRun: true };
  return null;
}

/** "2024-01-02T03:04:05Z panic: ..." seen before any header taught us the prefix. */
function markerAfterPrefix(line: string): Marker | null {
  for (const word of ['panic: ', 'fatal error: ', 'SIGQUIT: ']) {
    const i = line.indexOf(word);
    if (i > 0 && i <= MAX_MARKER_OFFSET && isPrefixEnd(line.charCodeAt(i - 1))) return markerAt(line, i);
  }
  return null;
}

function isPrefixEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x5d /* ] */ || c === 0x7c /* | */;
}

function isUpperWord(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x41 || c > 0x5a) return false;
  }
  return true;
}

function clip(s: string): string {
  return s.length > 160 ? s.slice(0, 160) + '…' : s;
}
