// Instruments one Go file for `goroscope test --shake`: before each concurrency operation it
// inserts a call to the injected helper (`goroscopeShakeAt(<site>);`), on the same line, so that
// every file and line number the runtime prints (stacks, panics, test failures) stays exactly as
// in the user's source. Only columns move.
//
// Where a statement can stand: calls go only into statement lists (blocks and case clauses),
// before a statement, and at the start of a loop body. A concurrency operation that is part of
// another statement's header (`if v := <-ch; ...`, `for v := range ch`, `switch <-ch`, a select
// case's send or receive, `case` values) gets its yield before that whole statement (before the
// first `if` of an else-if chain, before a statement's labels), and a loop whose header may
// receive also yields at the start of each iteration. A `go` statement also yields right after
// it (the new goroutine may run first), and `defer mu.Unlock()` is followed by `defer
// goroscopeShakeAt(n)`, which runs just before the deferred call since defers run last-in
// first-out. Nothing else changes: no statement is moved, wrapped or rewritten.
import type { Parser } from 'web-tree-sitter';
import { convertTree, SourceFile, type SNode } from '../../gosrc/ast.js';

/** The helper function the inserted calls name (declared in the helper file, shake/helper.ts). */
export const SHAKE_CALL = 'goroscopeShakeAt';

/**
 * Methods taken for sync operations, with their argument count: Mutex/RWMutex, WaitGroup,
 * Cond, Once. Without type information a method of another type with the same name and arity
 * is taken too (`client.Do(req)`): that costs a needless yield, never a change of meaning.
 */
const SYNC_METHODS: ReadonlyMap<string, number> = new Map([
  ['Lock', 0],
  ['Unlock', 0],
  ['RLock', 0],
  ['RUnlock', 0],
  ['TryLock', 0],
  ['TryRLock', 0],
  ['Add', 1],
  ['Done', 0],
  ['Wait', 0],
  ['Signal', 0],
  ['Broadcast', 0],
  ['Do', 1],
]);

/**
 * Directives that forbid or make dangerous an added call in the function: nosplit functions
 * have a fixed stack budget, and the others are for code running where the scheduler cannot be
 * entered.
 */
const NO_CALL_DIRECTIVES = /^\/\/go:(nosplit|systemstack|nowritebarrier|nowritebarrierrec|yeswritebarrierrec)\b/m;

/** Go's marker of a generated file (a line of its own, before the package clause). */
const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

export type SiteKind = 'before' | 'after-go' | 'deferred' | 'iteration';

export interface ShakeSite {
  id: number;
  /** 1-based line of the inserted call (the line of the operation it precedes). */
  line: number;
  kind: SiteKind;
}

export type InstrumentResult =
  | { instrumented: true; source: string; sites: ShakeSite[]; packageName: string | null }
  | { instrumented: false; reason: string };

interface Insertion {
  offset: number;
  text: string;
  kind: SiteKind;
}

/**
 * Instruments `source`; site numbers start at `firstSite`. A file that cannot be instrumented
 * safely (a syntax error the parser sees, cgo, generated code) is returned with the reason, to be
 * used unchanged.
 */
export function instrumentSource(parser: Parser, source: string, firstSite: number): InstrumentResult {
  const header = source.slice(0, packageClauseOffset(source));
  if (GENERATED.test(header)) return { instrumented: false, reason: 'generated file (Code generated ... DO NOT EDIT)' };
  const tree = parser.parse(source);
  if (!tree) return { instrumented: false, reason: 'the Go parser returned no tree' };
  let root: SNode;
  try {
    const converted = convertTree(tree, new SourceFile('', source), { maxErrors: 1 });
    if (converted.errors.length > 0) {
      const e = converted.errors[0]!;
      return { instrumented: false, reason: `line ${e.line}: ${e.message}` };
    }
    root = converted.root;
  } finally {
    tree.delete();
  }
  if (importsC(root)) return { instrumented: false, reason: 'cgo file (import "C")' };
  const insertions: Insertion[] = [];
  for (const body of instrumentableBodies(root, source)) {
    body.walk((n) => {
      if (n.type === 'statement_list') for (const s of n.namedChildren) instrumentStatement(s, insertions);
      else if (n.type === 'for_statement') instrumentIterations(n, insertions);
    });
  }
  // In source order (equal offsets keep the order they were found in), numbering the sites.
  const ordered = insertions.map((ins, i) => ({ ins, i })).sort((a, b) => a.ins.offset - b.ins.offset || a.i - b.i);
  const lines = new SourceFile('', source).lines;
  const sites: ShakeSite[] = [];
  const parts: string[] = [];
  let from = 0;
  for (const { ins } of ordered) {
    const id = firstSite + sites.length;
    sites.push({ id, line: lines.position(ins.offset).line, kind: ins.kind });
    parts.push(source.slice(from, ins.offset), ins.text.replace('#', String(id)));
    from = ins.offset;
  }
  parts.push(source.slice(from));
  const out = parts.join('');
  const packageName = root.childOfType('package_clause')?.childOfType('package_identifier')?.text ?? null;
  return { instrumented: true, source: out, sites, packageName };
}

/** Offset of `package` at the start of a line, or the end of the text. */
function packageClauseOffset(source: string): number {
  const m = /^package\s/m.exec(source);
  return m ? m.index : source.length;
}

function importsC(root: SNode): boolean {
  return root.findAll('import_spec').some((s) => s.child('path')?.text === '"C"');
}

/** Function bodies (declarations and package-level literals) whose functions may get calls. */
function instrumentableBodies(root: SNode, source: string): SNode[] {
  const out: SNode[] = [];
  let previousEnd = 0;
  for (const decl of root.children) {
    if (decl.type === 'function_declaration' || decl.type === 'method_declaration') {
      const body = decl.child('body');
      // Directives sit in the comments right above the declaration.
      const leading = source.slice(previousEnd, decl.start);
      if (body && !NO_CALL_DIRECTIVES.test(lastCommentGroup(leading))) out.push(body);
    } else if (decl.type !== 'comment') {
      // Package-level var initialisers may hold function literals.
      for (const lit of decl.findAll('func_literal')) if (!out.some((b) => b.contains(lit))) out.push(lit);
    }
    if (decl.type !== 'comment') previousEnd = decl.end;
  }
  return out;
}

/** The comment lines directly above a declaration (a blank line ends the group). */
function lastCommentGroup(text: string): string {
  const lines = text.split('\n');
  const group: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    if (l === '' && group.length > 0) break;
    if (l !== '') group.unshift(l);
  }
  return group.join('\n');
}

function before(stmt: SNode, insertions: Insertion[]): void {
  insertions.push({ offset: stmt.start, text: `${SHAKE_CALL}(#); `, kind: 'before' });
}

/** One statement of a statement list. */
function instrumentStatement(s: SNode, insertions: Insertion[]): void {
  // Labels stay on their statement: the call goes before the first label.
  let stmt = s;
  while (stmt.type === 'labeled_statement') {
    const inner = stmt.namedChildren.find((c) => c.type !== 'label_name');
    if (!inner) return;
    stmt = inner;
  }
  switch (stmt.type) {
    case 'select_statement':
    case 'send_statement':
      before(s, insertions);
      return;
    case 'go_statement':
      before(s, insertions);
      insertions.push({ offset: stmt.end, text: `; ${SHAKE_CALL}(#)`, kind: 'after-go' });
      return;
    case 'defer_statement': {
      const call = stmt.namedChildren[0];
      if (!call) return;
      if (call.type !== 'call_expression') return;
      // The function value and the arguments are evaluated now; the call itself runs later.
      if (call.namedChildren.some(hasOperation)) before(s, insertions);
      if (isOperationCall(call)) insertions.push({ offset: stmt.end, text: `; defer ${SHAKE_CALL}(#)`, kind: 'deferred' });
      return;
    }
    case 'if_statement':
      if (ifHeadersHaveOperation(stmt)) before(s, insertions);
      return;
    case 'for_statement':
      if (forHeaderHasOperation(stmt) || rangeMayReceive(stmt)) before(s, insertions);
      return;
    case 'expression_switch_statement':
    case 'type_switch_statement':
      if (switchHeadersHaveOperation(stmt)) before(s, insertions);
      return;
    case 'block':
    case 'labeled_statement':
    case 'empty_statement':
    case 'fallthrough_statement':
    case 'break_statement':
    case 'continue_statement':
    case 'goto_statement':
    case 'const_declaration':
    case 'type_declaration':
      return;
    default:
      // Simple statements, return, var declarations: any operation they perform.
      if (hasOperation(stmt)) before(s, insertions);
  }
}

/** A yield at the start of each iteration of a loop whose header receives (or may). */
function instrumentIterations(loop: SNode, insertions: Insertion[]): void {
  const body = loop.child('body');
  if (!body || !(forHeaderHasOperation(loop) || rangeMayReceive(loop))) return;
  insertions.push({ offset: body.start + 1, text: ` ${SHAKE_CALL}(#);`, kind: 'iteration' });
}

/** The switch's initializer and tag, and its case values (evaluated one after another). */
function switchHeadersHaveOperation(stmt: SNode): boolean {
  return stmt.namedChildren.some((c) => {
    if (c.type === 'expression_case' || c.type === 'type_case') return c.childrenOf('value').some(hasOperation);
    return c.type !== 'default_case' && hasOperation(c);
  });
}

function ifHeadersHaveOperation(stmt: SNode): boolean {
  for (let s: SNode | null = stmt; s && s.type === 'if_statement'; s = s.child('alternative')) {
    const init = s.child('initializer');
    const cond = s.child('condition');
    if ((init && hasOperation(init)) || (cond && hasOperation(cond))) return true;
  }
  return false;
}

function forHeaderHasOperation(loop: SNode): boolean {
  return loop.children.some((c) => c.field !== 'body' && c.named && hasOperation(c));
}

/**
 * `for v := range x` and `for range x` may range over a channel (two iteration variables never
 * do); a literal, a string or a number does not.
 */
function rangeMayReceive(loop: SNode): boolean {
  const clause = loop.childOfType('range_clause');
  if (!clause) return false;
  const left = clause.child('left');
  if (left && left.namedChildren.length > 1) return false;
  const right = clause.child('right');
  return !!right && !['composite_literal', 'interpreted_string_literal', 'raw_string_literal', 'int_literal'].includes(right.type);
}

/** Whether evaluating this node performs a concurrency operation (function literals excluded). */
export function hasOperation(node: SNode): boolean {
  let found = false;
  node.walk((n) => {
    if (found || n.type === 'func_literal') return false;
    if (n.type === 'unary_expression' && n.child('operator')?.type === '<-') found = true;
    else if (n.type === 'send_statement' || n.type === 'select_statement') found = true;
    else if (n.type === 'call_expression' && isOperationCall(n)) found = true;
    return !found;
  });
  return found;
}

/** `close(x)`, or a call of a sync method with its arity (`mu.Lock()`, `wg.Add(n)`). */
function isOperationCall(call: SNode): boolean {
  const fn = call.child('function');
  const args = call.child('arguments')?.namedChildren.length ?? 0;
  if (!fn) return false;
  if (fn.type === 'identifier') return fn.text === 'close' && args === 1;
  if (fn.type !== 'selector_expression') return false;
  const arity = SYNC_METHODS.get(fn.child('field')?.text ?? '');
  return arity !== undefined && arity === args;
}
