// Finds the bodies of top-level functions, the constant declarations and the comments of a Go
// source with a small lexer, before any parsing.
//
// Why: tree-sitter parses at about 2–3 MB/s per core, and most function bodies hold nothing a
// rule reads, and no rule reads constants (some files are mostly constant tables). What is not
// needed is replaced by spaces (same length, so every offset and line stays valid) and the
// parser skips it almost for free. The lexer only has to know enough Go to never mistake a
// brace: comments, interpreted and raw strings, runes, the braces of `struct {` / `interface {`
// types in a function's signature, and where a newline ends a declaration.

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
const SEMICOLON = 0x3b;

/** A run of characters that cannot open or close a bracket, a string or a comment. */
const INSIDE_RUN = /[^"'`/(){}[\]]+/y;

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c > 0x7f;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

/** Where a Go source's top-level function bodies, constants and comments are. */
export interface SourceLayout {
  bodies: TopLevelBody[];
  /** Top-level `const` declarations (single or grouped) as [start, end) offset pairs, flattened. */
  consts: number[];
  /**
   * Outermost `{...}` values in top-level `var` declarations (composite literals, function
   * literal bodies) as offsets of `{` and of its `}`, flattened: tables, mostly.
   */
  varLiterals: number[];
  /** Comments as [start, end) offset pairs, flattened. */
  comments: number[];
}

/**
 * The top-level function bodies and comments of a Go source, or null when the source does not
 * lex cleanly (unterminated string or comment, unbalanced brackets): then nothing may be skipped.
 */
export function sourceLayout(src: string): SourceLayout | null {
  const out: TopLevelBody[] = [];
  const comments: number[] = [];
  const consts: number[] = [];
  /** Start of the top-level const declaration being read, or -1. */
  let constStart = -1;
  /** Whether it is a `const (...)` group, which ends at its `)`. */
  let constGroup = false;
  const varLiterals: number[] = [];
  /** Inside a top-level var declaration; its specs are at depth 1 in a `var (...)` group. */
  let inVar = false;
  let varGroup = false;
  /** The `{` of the var literal being read, or -1. */
  let literalOpen = -1;
  /** Whether Go would insert a semicolon at a newline here (the last token ends an operand). */
  let operandEnded = false;
  /** The last token was a declaration's `func` keyword (a newline there ends nothing). */
  let afterFuncKeyword = false;
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
    if (depth > 0 && !inHeader && !inVar) {
      // Inside brackets (function bodies, mostly) only brackets, strings and comments matter:
      // jump over everything else natively.
      INSIDE_RUN.lastIndex = i;
      if (INSIDE_RUN.test(src)) {
        i = INSIDE_RUN.lastIndex;
        if (i >= n) break;
      }
    }
    const c = src.charCodeAt(i);
    if (c === NL) {
      lineStart = true;
      if (constStart >= 0 && !constGroup && depth === 0 && operandEnded) {
        consts.push(constStart, i);
        constStart = -1;
      }
      if (inVar && !varGroup && depth === 0 && operandEnded) inVar = false;
      // Go ends a declaration at a newline after an operand: a header still open at depth 0
      // then had no body (`func f()` implemented in assembly). `func` alone does not end one.
      if (inHeader && depth === 0 && operandEnded && !afterFuncKeyword) inHeader = false;
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
    afterFuncKeyword = false;
    operandEnded = c === RPAREN || c === RBRACKET || c === RBRACE || isIdentPart(c) || c === QUOTE || c === APOSTROPHE || c === BACKQUOTE;
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
      if (depth === 0 && atLineStart && word === 'const' && constStart < 0 && !inHeader) {
        constStart = i;
        constGroup = nextNonBlank(src, j) === LPAREN;
      } else if (depth === 0 && atLineStart && word === 'var' && !inVar && !inHeader) {
        inVar = true;
        varGroup = nextNonBlank(src, j) === LPAREN;
      } else if (depth === 0 && !inHeader && word === 'func' && atLineStart) {
        inHeader = true;
        headerName = null;
        groupsClosed = 0;
        expectName = true;
        afterFuncKeyword = true;
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
      if (constStart >= 0 && constGroup && depth === 0) {
        consts.push(constStart, i + 1);
        constStart = -1;
      }
      if (inVar && varGroup && depth === 0) inVar = false;
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
      if (inVar && literalOpen < 0 && depth === (varGroup ? 1 : 0) && lastWord !== 'struct' && lastWord !== 'interface') literalOpen = i;
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
      if (literalOpen >= 0 && depth === (varGroup ? 1 : 0)) {
        varLiterals.push(literalOpen, i);
        literalOpen = -1;
      }
      lastWord = '';
      i++;
      continue;
    }
    // Any other character: operators, numbers, dots. A `;` at top level ends a declaration
    // like a newline does, and the next one may start on the same line.
    if (c === SEMICOLON && depth === 0) {
      inHeader = false;
      if (constStart >= 0 && !constGroup) {
        consts.push(constStart, i + 1);
        constStart = -1;
      }
      if (!varGroup) inVar = false;
      lineStart = true;
    }
    lastWord = c === 0x2e /* . */ ? lastWord : '';
    i++;
  }
  if (constStart >= 0 && !constGroup && depth === 0) consts.push(constStart, n);
  if (depth !== 0 || bodyOpen >= 0 || (constStart >= 0 && constGroup)) return null;
  return { bodies: out, consts, varLiterals, comments };
}

/**
 * The source with its comments replaced by spaces: what relevance tests read,
 * so that "we go on" or "<-" in a comment does not make a function look interesting.
 */
export function withoutComments(src: string, layout: SourceLayout): string {
  return blankRanges(src, layout.comments);
}

function nextNonBlank(src: string, i: number): number {
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c !== SPACE && c !== TAB && c !== CR && c !== NL) return c;
    i++;
  }
  return -1;
}

/** After `func (...)`: whether a method name (an identifier, then `(` or `[`) follows. */
function isMethodNameNext(src: string, i: number): boolean {
  const n = src.length;
  i = skipInlineBlanks(src, i);
  if (i >= n || !isIdentStart(src.charCodeAt(i))) return false;
  while (i < n && isIdentPart(src.charCodeAt(i))) i++;
  i = skipInlineBlanks(src, i);
  const c = src.charCodeAt(i);
  return c === LPAREN || c === LBRACKET;
}

/** Skips spaces, tabs and one-line block comments. */
function skipInlineBlanks(src: string, i: number): number {
  const n = src.length;
  for (;;) {
    while (i < n && (src.charCodeAt(i) === SPACE || src.charCodeAt(i) === TAB)) i++;
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) return n;
      i = end + 2;
      continue;
    }
    return i;
  }
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
 * What the parser gets: the inside of the given bodies and var literals ([open, close] pairs)
 * and every constant declaration replaced by spaces, so the parser sees `{ }` and an empty block node starts where the
 * body did, and every offset and line of the rest is unchanged.
 */
export function blankForParse(src: string, layout: SourceLayout, skippedBodies: readonly TopLevelBody[], skippedLiterals: readonly number[] = []): string {
  return blankRanges(src, skippedRanges(layout, skippedBodies, skippedLiterals));
}

/** The [start, end) pairs the parser need not read, flattened, in order. */
export function skippedRanges(layout: SourceLayout, skippedBodies: readonly TopLevelBody[], skippedLiterals: readonly number[] = []): number[] {
  const pairs: Array<[number, number]> = [];
  for (const b of skippedBodies) pairs.push([b.open + 1, b.close]);
  for (let k = 0; k < skippedLiterals.length; k += 2) pairs.push([skippedLiterals[k]! + 1, skippedLiterals[k + 1]!]);
  for (let k = 0; k < layout.consts.length; k += 2) pairs.push([layout.consts[k]!, layout.consts[k + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [start, end] of pairs) if (end > start) out.push(start, end);
  return out;
}

/**
 * The complement of `skipped` in [0, length) as [start, end) pairs: what the parser reads when
 * given included ranges instead of a blanked copy (it then never even copies the skipped text).
 */
export function includedRanges(length: number, skipped: readonly number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (let k = 0; k < skipped.length; k += 2) {
    if (skipped[k]! > at) out.push(at, skipped[k]!);
    at = skipped[k + 1]!;
  }
  if (at < length || out.length === 0) out.push(at, length);
  return out;
}

/** `src` with the [start, end) pairs of `ranges` (in any order, not overlapping) blanked. */
function blankRanges(src: string, ranges: number[]): string {
  if (ranges.length === 0) return src;
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < ranges.length; k += 2) pairs.push([ranges[k]!, ranges[k + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of pairs) {
    parts.push(src.slice(at, start), spaces(end - start));
    at = end;
  }
  parts.push(src.slice(at));
  return parts.join('');
}

/**
 * `n` spaces. Newlines need not be kept: every blanked range is either inside braces, a whole
 * declaration or a comment, and positions are read from offsets, never from the parser's rows.
 */
function spaces(n: number): string {
  if (n > SPACES.length) SPACES = ' '.repeat(Math.max(n, SPACES.length * 2));
  return SPACES.slice(0, n);
}

let SPACES = ' '.repeat(1 << 16);
