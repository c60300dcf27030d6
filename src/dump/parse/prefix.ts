// Log collectors put a prefix before every line (timestamps, "[pod-x] ", indentation, go test's
// "    foo_test.go:12: "). The parser learns it from a header line and strips a prefix of the same
// length and shape (digits may differ: timestamps tick) from the lines that follow.

import { flat, isDigit } from './text.js';

const MAX_PREFIX = 256;

export class LinePrefix {
  private text = '';
  /** go test's t.Log indents continuation lines by the prefix's indentation plus four spaces. */
  private continuationIndent = -1;

  get length(): number {
    return this.text.length;
  }

  /** Learns the prefix: the text before `at` on a header line. */
  learn(line: string, at: number): void {
    if (at === this.text.length && line.startsWith(this.text)) return;
    this.text = at === 0 ? '' : at > MAX_PREFIX ? '' : flat(line.slice(0, at));
    this.continuationIndent = goTestContinuationIndent(this.text);
  }

  /** Where the content of `line` starts once the learned prefix (if present) is stripped. */
  contentStart(line: string): number {
    const p = this.text;
    const n = p.length;
    if (n === 0) return 0;
    if (line.length >= n && sameShape(line, p, n)) return n;
    const indent = this.continuationIndent;
    if (indent > 0 && line.length >= indent) {
      let i = 0;
      while (i < indent && line.charCodeAt(i) === 0x20) i++;
      if (i === indent) return indent;
    }
    return 0;
  }
}

function sameShape(line: string, prefix: string, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const a = line.charCodeAt(i);
    const b = prefix.charCodeAt(i);
    if (a !== b && !(isDigit(a) && isDigit(b))) return false;
  }
  return true;
}

/** "    foo_test.go:12: " -> 8; -1 when the prefix is not go test's t.Log location. */
function goTestContinuationIndent(prefix: string): number {
  const m = /^( *)[^\s:]+\.go:\d+: $/.exec(prefix);
  return m ? m[1]!.length + 4 : -1;
}
