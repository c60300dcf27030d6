// Finds the bodies of top-level functions with a small Go lexer, before any parsing.
//
// Why: tree-sitter parses at about 2–3 MB/s per core, and most function bodies hold nothing a
// rule reads. A body that is not needed is replaced by spaces (same length, so every offset and
// line stays valid) and the parser skips it almost for free. The lexer only has to know enough
// Go to never mistake a brace: comments, interpreted and raw strings, runes, and the braces of
// `struct {` / `interface {` types in a function's signature.

/** A top-level function or method body: offsets of its `{` and of its closing `}`. */
export interface TopLevelBody {
  /** The function's or method's name; null for a function literal at package level. */
  name: string | null;
  open: number;
  close: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const NL = 0x0a;
const CR = 0x0d;
const SLASH = 0x2f;
const STAR = 0x2a;
const QUOTE = 0x22;
const BACKQUOTE = 0x60;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LPAREN = 0x28;
const RPAREN = 0x29;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c > 0x7f;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

/** Where a Go source's top-level function bodies and its comments are. */
export interface SourceLayout {
  bodies: TopLevelBody[];
  /** Comments as [start, end) offset pairs, flattened. */
  comments: number[];
}

/** The top-level function bodies of a Go source, in order, or null (see sourceLayout). */
export function topLevelBodies(src: string): TopLevelBody[] | null {
  return sourceLayout(src)?.bodies ?? null;
}

/**
 * The top-level function bodies and comments of a Go source, or null when the source does not
 * lex cleanly (unterminated string or comment, unbalanced brackets): then nothing may be skipped.
 */
export function sourceLayout(src: string): SourceLayout | null {
  const out: TopLevelBody[] = [];
  const comments: number[] = [];
  const n = src.length;
  /** Open brackets of any kind ( [ { . */
  let depth = 0;
  /** Inside a top-level func signature (after the keyword, before its body). */
  let inHeader = false;
  let headerName: string | null = null;
  /** Depth at which the current header's `(`…`)` groups were opened; the name follows the receiver. */
  let groupsClosed = 0;
  let expectName = false;
  /** The last identifier seen at the header's own depth, to recognise `struct {` and `interface {`. */
  let lastWord = '';
  /** Braces of struct/interface types in the header that are still open. */
  let typeBraces = 0;
  let bodyOpen = -1;
  let lineStart = true;

  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === NL) {
      lineStart = true;
      // Go ends a statement at a newline here: a header still open at depth 0 had no body
      // (`func f()` implemented in assembly).
      if (inHeader && depth === 0) inHeader = false;
      i++;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR) {
      i++;
      continue;
    }
    if (c === SLASH && i + 1 < n) {
      const d = src.charCodeAt(i + 1);
      if (d === SLASH) {
        const end = src.indexOf('\n', i);
        comments.push(i, end < 0 ? n : end);
        i = end < 0 ? n : end;
        continue;
      }
      if (d === STAR) {
        const end = src.indexOf('*/', i + 2);
        if (end < 0) return null;
        comments.push(i, end + 2);
        i = end + 2;
        continue;
      }
    }
    const atLineStart = lineStart;
    lineStart = false;
    if (c === QUOTE || c === APOSTROPHE) {
      i = skipQuoted(src, i, c);
      if (i < 0) return null;
      lastWord = '';
      continue;
    }
    if (c === BACKQUOTE) {
      const end = src.indexOf('`', i + 1);
      if (end < 0) return null;
      i = end + 1;
      lastWord = '';
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(src.charCodeAt(j))) j++;
      const word = src.slice(i, j);
      if (depth === 0 && !inHeader && word === 'func' && atLineStart) {
        inHeader = true;
        headerName = null;
        groupsClosed = 0;
        expectName = true;
        typeBraces = 0;
      } else if (inHeader && depth === typeBraces && expectName) {
        // `func Name(` or, after the receiver group, `func (r T) Name(`.
        headerName = word;
        expectName = false;
      }
      lastWord = word;
      i = j;
      continue;
    }
    if (c === LPAREN || c === LBRACKET) {
      // A literal's parameters come first: `func(` has no name, and neither has `func (r T)`
      // until the group is closed.
      if (inHeader && depth === typeBraces && expectName && groupsClosed === 0 && c === LPAREN) expectName = false;
      depth++;
      lastWord = '';
      i++;
      continue;
    }
    if (c === RPAREN || c === RBRACKET) {
      if (depth === 0) return null;
      depth--;
      if (inHeader && depth === typeBraces && c === RPAREN) {
        groupsClosed++;
        // After `func (r T)` the method name follows; a literal `func(x int)` has none, but
        // its next word then is a result type, told apart below by what follows it.
        if (groupsClosed === 1 && headerName === null) expectName = isMethodNameNext(src, i + 1);
        else expectName = false;
      }
      lastWord = '';
      i++;
      continue;
    }
    if (c === LBRACE) {
      if (inHeader && depth === typeBraces) {
        if (lastWord === 'struct' || lastWord === 'interface') {
          typeBraces++;
        } else {
          inHeader = false;
          bodyOpen = i;
        }
      }
      depth++;
      lastWord = '';
      i++;
      continue;
    }
    if (c === RBRACE) {
      if (depth === 0) return null;
      depth--;
      if (inHeader && depth < typeBraces) typeBraces = depth;
      if (bodyOpen >= 0 && depth === 0) {
        out.push({ name: headerName, open: bodyOpen, close: i });
        bodyOpen = -1;
      }
      lastWord = '';
      i++;
      continue;
    }
    // Any other character: operators, numbers, dots. A newline-terminated header without a
    // body (`func f()` implemented in assembly) ends at the next line's first token.
    if (inHeader && depth === 0 && c === 0x3b /* ; */) inHeader = false;
    lastWord = c === 0x2e /* . */ ? lastWord : '';
    i++;
  }
  if (depth !== 0 || bodyOpen >= 0) return null;
  return { bodies: out, comments };
}

/**
 * The source with its comments replaced by spaces (newlines kept): what relevance tests read,
 * so that "we go on" or "<-" in a comment does not make a function look interesting.
 */
export function withoutComments(src: string, layout: SourceLayout): string {
  const c = layout.comments;
  if (c.length === 0) return src;
  const parts: string[] = [];
  let at = 0;
  for (let k = 0; k < c.length; k += 2) {
    parts.push(src.slice(at, c[k]), src.slice(c[k], c[k + 1]).replace(/[^\n]/g, ' '));
    at = c[k + 1]!;
  }
  parts.push(src.slice(at));
  return parts.join('');
}

/** After `func (...)`: whether a method name (an identifier, then `(` or `[`) follows. */
function isMethodNameNext(src: string, i: number): boolean {
  const n = src.length;
  while (i < n && (src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB)) i++;
  if (i >= n || !isIdentStart(src.charCodeAt(i))) return false;
  while (i < n && isIdentPart(src.charCodeAt(i))) i++;
  while (i < n && (src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB)) i++;
  const c = src.charCodeAt(i);
  return c === LPAREN || c === LBRACKET;
}

/** Index just past a "…" or '…' literal starting at `i`, or -1 when it is not closed on its line. */
function skipQuoted(src: string, i: number, quote: number): number {
  const n = src.length;
  for (let j = i + 1; j < n; j++) {
    const c = src.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === quote) return j + 1;
    else if (c === NL) return -1;
  }
  return -1;
}

/**
 * The source with the inside of the given bodies replaced by spaces: same length, same offsets,
 * braces kept, so the parser sees `{ }` and an empty block node starts where the body did.
 */
export function blankBodies(src: string, bodies: readonly TopLevelBody[]): string {
  if (bodies.length === 0) return src;
  const parts: string[] = [];
  let at = 0;
  for (const b of bodies) {
    parts.push(src.slice(at, b.open + 1), ' '.repeat(b.close - b.open - 1));
    at = b.close;
  }
  parts.push(src.slice(at));
  return parts.join('');
}
