// Integer constants, folded from the text of the package's const declarations and from simple
// expressions in the code: what a `make(chan T, N)` capacity or a loop bound is worth when it is
// written through a named constant (`make(chan result, workers)`, `const workers = 4`).
//
// Constants are never parsed (layout.ts leaves them out of the parser's input: some files are
// mostly constant tables), so this reads the few declarations a rule asks about from their text:
// `name [type] = expr` specs, grouped or not, with iota and the implicit repetition of the
// previous spec's expression in a group. Expressions are integer literals, other constants of
// the package, iota, parentheses, unary minus and + - * / % << >> & |. Anything else (a typed
// constant of another package, a string, a float) is unknown and folds to null.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import type { FuncScope } from '../gosrc/scope.js';

interface ConstSpec {
  /** The expression text (the previous spec's, repeated, for a bare name in a group). */
  expr: string;
  iota: number;
}

/** Name → its spec, per package; parsed on first use. */
const tables = new WeakMap<GoPackage, Map<string, ConstSpec>>();

function constTable(pkg: GoPackage): Map<string, ConstSpec> {
  let table = tables.get(pkg);
  if (table) return table;
  table = new Map();
  tables.set(pkg, table);
  for (const text of pkg.constTexts) readDeclaration(text, table);
  return table;
}

/** Reads one `const x = 1` or `const ( ... )` declaration into the table. */
function readDeclaration(text: string, table: Map<string, ConstSpec>): void {
  const body = text.replace(/^\s*const\b/, '');
  const open = body.indexOf('(');
  const grouped = open >= 0 && /^\s*$/.test(body.slice(0, open));
  const specs = grouped ? body.slice(open + 1, body.lastIndexOf(')')).split(/[\n;]/) : [body];
  let previous = '';
  let iota = 0;
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec === '') continue;
    const m = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?:[^=]*?)?(?:=\s*(.*))?$/.exec(spec);
    if (!m) {
      iota++;
      continue;
    }
    const names = m[1]!.split(',').map((n) => n.trim());
    const exprs = m[2] !== undefined ? splitTopLevel(m[2]) : null;
    if (exprs) previous = m[2]!;
    const list = exprs ?? splitTopLevel(previous);
    names.forEach((name, i) => {
      const expr = list[i];
      if (name !== '_' && expr !== undefined && !table.has(name)) table.set(name, { expr: expr.trim(), iota });
    });
    iota++;
  }
}

/** Splits `a, b` at top-level commas. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** The value of a package constant, or null when it is not a foldable integer. */
export function constValue(pkg: GoPackage, name: string): number | null {
  return evalConst(pkg, name, 0);
}

function evalConst(pkg: GoPackage, name: string, depth: number): number | null {
  if (depth > 8) return null;
  const spec = constTable(pkg).get(name);
  if (!spec) return null;
  return evalText(spec.expr, spec.iota, (n) => evalConst(pkg, n, depth + 1));
}

/** A tiny precedence-climbing evaluator over the token text of an integer constant expression. */
function evalText(text: string, iota: number, lookup: (name: string) => number | null): number | null {
  const tokens = text.match(/0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|\d[\d_]*|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?|<<|>>|&\^|[-+*/%()&|^]|\S/g) ?? [];
  let i = 0;
  const PREC: Record<string, number> = { '|': 1, '^': 1, '+': 1, '-': 1, '*': 2, '/': 2, '%': 2, '<<': 2, '>>': 2, '&': 2, '&^': 2 };
  const primary = (): number | null => {
    const t = tokens[i++];
    if (t === undefined) return null;
    if (t === '(') {
      const v = expr(0);
      if (tokens[i++] !== ')') return null;
      return v;
    }
    if (t === '-') {
      const v = primary();
      return v === null ? null : -v;
    }
    if (t === '+') return primary();
    if (/^\d/.test(t)) return parseIntLiteral(t);
    if (t === 'iota') return iota;
    // A conversion of an integer constant: `int(4)`, `uint32(n)`.
    if (/^u?int(8|16|32|64)?$|^uintptr$/.test(t) && tokens[i] === '(') return primary();
    if (/^[A-Za-z_]\w*$/.test(t)) return lookup(t);
    return null;
  };
  const expr = (minPrec: number): number | null => {
    let left = primary();
    for (;;) {
      const op = tokens[i];
      const prec = op !== undefined ? PREC[op] : undefined;
      if (prec === undefined || prec < minPrec) break;
      i++;
      const right = expr(prec + 1);
      if (left === null || right === null) left = null;
      else left = apply(op!, left, right);
    }
    return left;
  };
  const v = expr(0);
  return i === tokens.length && v !== null && Number.isSafeInteger(v) ? v : null;
}

function apply(op: string, a: number, b: number): number | null {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : Math.trunc(a / b);
    case '%':
      return b === 0 ? null : a % b;
    case '<<':
      return b > 52 ? null : a * 2 ** b;
    case '>>':
      return Math.floor(a / 2 ** b);
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&^':
      return a & ~b;
    default:
      return null;
  }
}

/** Go integer literal syntax: decimal, 0x, 0b, 0o and old-style octal, with `_` separators. */
export function parseIntLiteral(text: string): number | null {
  const t = text.replace(/_/g, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0[bB][01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^0[oO][0-7]+$/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t.slice(1), 8);
  else if (/^\d+$/.test(t)) v = Number(t);
  else return null;
  return Number.isSafeInteger(v) ? v : null;
}

/**
 * The integer value of an expression in code: literals, package constants, locals declared
 * once with a constant value (`n := 4`, never assigned again), and arithmetic over those.
 */
export function foldInt(expr: SNode | null, scope: FuncScope | null, pkg: GoPackage, depth = 0): number | null {
  if (!expr || depth > 6) return null;
  switch (expr.type) {
    case 'int_literal':
      return parseIntLiteral(expr.text);
    case 'parenthesized_expression':
      return foldInt(expr.namedChildren[0] ?? null, scope, pkg, depth + 1);
    case 'identifier': {
      const b = scope?.resolve(expr) ?? null;
      if (!b) return constValue(pkg, expr.text);
      if ((b.declKind !== 'short' && b.declKind !== 'var') || b.initIndex >= 0 || !b.init || !scope) return null;
      if (scope.references(b).some((r) => r !== b.node && isAssigned(r))) return null;
      return foldInt(b.init, scope, pkg, depth + 1);
    }
    case 'unary_expression': {
      const op = expr.child('operator')?.type;
      const v = foldInt(expr.child('operand'), scope, pkg, depth + 1);
      if (v === null) return null;
      return op === '-' ? -v : op === '+' ? v : null;
    }
    case 'binary_expression': {
      const op = expr.child('operator')?.type ?? '';
      const a = foldInt(expr.child('left'), scope, pkg, depth + 1);
      const b = a === null ? null : foldInt(expr.child('right'), scope, pkg, depth + 1);
      return a === null || b === null ? null : apply(op, a, b);
    }
    case 'call_expression': {
      // `int(n)` and friends.
      const fn = expr.child('function');
      const args = expr.child('arguments')?.namedChildren ?? [];
      if (fn?.type === 'identifier' && /^u?int(8|16|32|64)?$/.test(fn.text) && args.length === 1) return foldInt(args[0]!, scope, pkg, depth + 1);
      return null;
    }
    case 'type_conversion_expression':
      return foldInt(expr.child('operand'), scope, pkg, depth + 1);
    default:
      return null;
  }
}

/** Whether an identifier is the target of an assignment, `++`/`--` or has its address taken. */
function isAssigned(ref: SNode): boolean {
  const p = ref.parent;
  if (!p) return false;
  if (p.type === 'expression_list' && p.field === 'left') return true;
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return true;
  return p.type === 'unary_expression' && p.child('operator')?.type === '&';
}
