// Shared analysis for the loop and channel-lifetime rules (no-exit-loop, nil-channel): which
// code a go statement runs, which loops never end by their header, whether a loop has a way out
// from inside, and small syntactic questions about receives and selects.
import type { SNode } from '../../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../../gosrc/package.js';
import { outermostFunction, scopeFor, scopeOfFunc, type FuncScope } from '../../gosrc/scope.js';
import { importPathOf } from '../../gosrc/types.js';

/** The code one go statement runs, when this package holds it. */
export interface GoroutineTarget {
  goStmt: SNode;
  /** The body the goroutine runs (a func literal's or a declared function's). */
  body: SNode;
  /** The FuncScope that resolves names in `body`. */
  scope: FuncScope;
  /** The func literal started, or null for `go f(...)` / `go s.m(...)`. */
  literal: SNode | null;
  /** The declared function started, or null for a literal. */
  fn: FuncInfo | null;
}

const FUNC_TYPES = ['func_literal', 'function_declaration', 'method_declaration'];

/** Statements an unlabeled break leaves. */
const BREAKABLE = ['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'];

/** Package-qualified calls that never return to the loop. */
const EXITING_CALLS: Record<string, RegExp> = {
  os: /^Exit$/,
  log: /^(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)$/,
  runtime: /^Goexit$/,
};

/** Methods that end a test's or a logger's goroutine (t.Fatal, b.FailNow, logger.Fatalf...). */
const EXITING_METHODS = /^(Fatal|Fatalf|Fatalln|FailNow|SkipNow|Skip|Skipf|Panic|Panicf|Panicln|Exit)$/;

/** Every go statement of the package whose code is visible, with that code. */
export function goroutineTargets(pkg: GoPackage): GoroutineTarget[] {
  const out: GoroutineTarget[] = [];
  for (const file of pkg.files) {
    for (const goStmt of file.root.findAll('go_statement')) {
      const t = goroutineTarget(goStmt, pkg);
      if (t) out.push(t);
    }
  }
  return out;
}

export function goroutineTarget(goStmt: SNode, pkg: GoPackage): GoroutineTarget | null {
  const call = goStmt.namedChildren[0];
  if (!call || call.type !== 'call_expression') return null;
  const fnExpr = call.child('function');
  const scope = scopeFor(goStmt, pkg);
  if (!fnExpr || !scope) return null;
  if (fnExpr.type === 'func_literal') {
    const body = fnExpr.child('body');
    return body ? { goStmt, body, scope, literal: fnExpr, fn: null } : null;
  }
  const fn = calledFunction(fnExpr, scope, pkg);
  if (!fn?.body || fn.body.elided) return null;
  return { goStmt, body: fn.body, scope: scopeOfFunc(fn, pkg), literal: null, fn };
}

/** The same-package function or method a call's function expression names, if any. */
export function calledFunction(fnExpr: SNode, scope: FuncScope, pkg: GoPackage): FuncInfo | null {
  if (fnExpr.type === 'identifier') return scope.resolve(fnExpr) === null ? (pkg.funcs.get(fnExpr.text) ?? null) : null;
  if (fnExpr.type !== 'selector_expression') return null;
  const operand = fnExpr.child('operand');
  const method = fnExpr.child('field')?.text;
  if (!operand || !method || (operand.type === 'identifier' && scope.isPackageName(operand))) return null;
  const named = scope.typeOf(operand).named;
  return named ? (pkg.funcs.get(`${named}.${method}`) ?? null) : null;
}

/**
 * Goroutines started directly from init(), from main() of package main, or inside a func
 * literal given to `once.Do(...)`: they are meant to run as long as the program does.
 */
export function startedForProgramLifetime(goStmt: SNode, pkg: GoPackage): boolean {
  for (let lit = goStmt.ancestor('func_literal'); lit; lit = lit.ancestor('func_literal')) {
    const call = lit.parent?.type === 'argument_list' ? lit.parent.parent : null;
    const fn = call?.type === 'call_expression' ? call.child('function') : null;
    if (fn?.type === 'selector_expression' && fn.child('field')?.text === 'Do') return true;
  }
  const outer = outermostFunction(goStmt);
  if (!outer || outer.type !== 'function_declaration') return false;
  const name = outer.child('name')?.text;
  return name === 'init' || (name === 'main' && pkg.name === 'main');
}

/** The go statement whose func literal (nearest enclosing one) holds `node`, if any. */
export function enclosingGoStatement(node: SNode): SNode | null {
  const lit = node.ancestor('func_literal');
  const call = lit?.parent;
  if (call?.type === 'call_expression' && call.parent?.type === 'go_statement') return call.parent;
  return null;
}

/**
 * Loops in a body's own code (not in nested func literals) whose header never ends them:
 * `for {`, `for ;; {`, `for true {`, or a range over a timer channel (never closed).
 */
export function endlessLoops(body: SNode, scope: FuncScope): SNode[] {
  const out: SNode[] = [];
  body.walk((n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'for_statement' && loopsForever(n, scope)) out.push(n);
    return undefined;
  });
  return out;
}

/** `for {`, `for ;; {`, `for true {`, or a range over a channel nobody closes (a ticker's C, time.Tick). */
export function loopsForever(loop: SNode, scope: FuncScope): boolean {
  const header = loop.namedChildren.filter((c) => c.field !== 'body');
  if (header.length === 0) return true;
  const h = header[0]!;
  if (h.type === 'true') return true;
  if (h.type === 'for_clause') return h.child('condition') === null;
  if (h.type === 'range_clause') return isTimerChannel(h.child('right'), scope);
  return false;
}

/** The range expression of a range loop, or null. */
export function rangeExpression(loop: SNode): SNode | null {
  const h = loop.namedChildren.find((c) => c.type === 'range_clause');
  return h?.child('right') ?? null;
}

/** `t.C` of a ticker or timer, or a `time.Tick(...)` / `time.After(...)` call: nobody closes these. */
export function isTimerChannel(expr: SNode | null, scope: FuncScope): boolean {
  if (!expr) return false;
  if (expr.type === 'parenthesized_expression') return isTimerChannel(expr.namedChildren[0] ?? null, scope);
  if (expr.type === 'selector_expression' && expr.child('field')?.text === 'C') {
    const kind = scope.typeOf(expr.child('operand')).kind;
    return kind === 'ticker' || kind === 'timer';
  }
  if (expr.type === 'call_expression') {
    const fn = expr.child('function');
    const operand = fn?.type === 'selector_expression' ? fn.child('operand') : null;
    if (!operand || operand.type !== 'identifier' || !scope.isPackageName(operand)) return false;
    return importPathOf(operand.text, scope.file) === 'time' && /^(Tick|After)$/.test(fn!.child('field')?.text ?? '');
  }
  return false;
}

/**
 * The statements by which a loop can end from inside: return, a goto or a labeled
 * break/continue to a label outside the loop, an unlabeled break whose nearest breakable
 * statement is the loop itself (a break in a select or switch leaves only that), panic, os.Exit,
 * log.Fatal*, runtime.Goexit and t.Fatal-like methods. Nested func literals do not count: their
 * returns end only the literal.
 */
export function loopExits(loop: SNode, scope: FuncScope): SNode[] {
  const exits: SNode[] = [];
  loop.child('body')?.walk((n) => {
    if (n.type === 'func_literal') return false;
    switch (n.type) {
      case 'return_statement':
        exits.push(n);
        break;
      case 'goto_statement':
      case 'continue_statement':
      case 'break_statement': {
        const label = n.namedChildren.find((c) => c.type === 'label_name')?.text;
        if (label) {
          if (!labelInside(loop, label, n)) exits.push(n);
        } else if (n.type === 'break_statement' && n.ancestor(...BREAKABLE) === loop) {
          exits.push(n);
        }
        break;
      }
      case 'call_expression':
        if (isExitingCall(n, scope)) exits.push(n);
        break;
    }
    return undefined;
  });
  return exits;
}

/**
 * Whether a jump to `label` stays in the loop: the label names a statement inside the body (a
 * labeled select or switch), or the jump is `continue L` where L labels this very loop (that
 * only starts the next iteration). `break L` to the loop itself or to anything outside, and
 * `continue L` to an outer loop, leave it.
 */
function labelInside(loop: SNode, label: string, jump: SNode): boolean {
  const body = loop.child('body');
  if (!body) return false;
  let inside = false;
  body.walk((n) => {
    if (inside || n.type === 'func_literal') return false;
    if (n.type === 'labeled_statement' && n.child('label')?.text === label) inside = true;
    return undefined;
  });
  if (inside) return true;
  // `continue L` where L labels this very loop starts its next iteration: not a way out.
  return jump.type === 'continue_statement' && loop.parent?.type === 'labeled_statement' && loop.parent.child('label')?.text === label;
}

export function isExitingCall(call: SNode, scope: FuncScope): boolean {
  const fn = call.child('function');
  if (!fn) return false;
  if (fn.type === 'identifier') return fn.text === 'panic' && scope.resolve(fn) === null;
  if (fn.type !== 'selector_expression') return false;
  const operand = fn.child('operand');
  const name = fn.child('field')?.text ?? '';
  if (operand?.type === 'identifier' && scope.isPackageName(operand)) {
    const path = importPathOf(operand.text, scope.file) ?? '';
    return EXITING_CALLS[path]?.test(name) ?? false;
  }
  return EXITING_METHODS.test(name);
}

/** The `<-` unary expressions of a receive, send statements and the nearest loop/literal context. */
export function isReceive(n: SNode): boolean {
  return n.type === 'unary_expression' && n.child('operator')?.type === '<-';
}

/**
 * Whether a receive (`<-ch` unary expression) takes the `ok` result: `v, ok := <-ch`,
 * `v, ok = <-ch`, `case v, ok := <-ch:`.
 */
export function receiveTakesOk(recv: SNode): boolean {
  let p = recv.parent;
  while (p?.type === 'parenthesized_expression') p = p.parent;
  if (!p) return false;
  if (p.type === 'receive_statement') return (p.child('left')?.namedChildren.length ?? 0) === 2;
  if (p.type === 'expression_list' && p.field === 'right' && p.namedChildren.length === 1) {
    const stmt = p.parent;
    if (stmt?.type === 'short_var_declaration' || stmt?.type === 'assignment_statement' || stmt?.type === 'var_spec') {
      return (stmt.child('left')?.namedChildren.length ?? stmt.childrenOf('name').length) === 2;
    }
  }
  if (p.type === 'expression_list' && p.field === 'value' && p.parent?.type === 'var_spec') return p.parent.childrenOf('name').length === 2;
  return false;
}

/**
 * For a channel operation inside a select case (the `<-ch` of `case v := <-ch:` or the send of
 * `case ch <- v:`), the select statement; null when the operation is not a case's communication.
 */
export function selectOfCase(op: SNode): SNode | null {
  let p: SNode | null = op;
  // Up through the receive_statement / parentheses to the communication_case.
  while (p && p.type !== 'communication_case') {
    if (p.type === 'block' || p.type === 'statement_list' || FUNC_TYPES.includes(p.type)) return null;
    p = p.parent;
  }
  if (!p || !p.child('communication')?.contains(op)) return null;
  return p.parent?.type === 'select_statement' ? p.parent : null;
}

/** Number of cases (communication and default) of a select statement. */
export function selectCaseCount(select: SNode): number {
  return select.namedChildren.filter((c) => c.type === 'communication_case' || c.type === 'default_case').length;
}

/** Whether `node`'s nearest enclosing for loop (within the same function) is `loop`. */
export function directlyInLoop(node: SNode, loop: SNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p === loop) return true;
    if (p.type === 'for_statement' || FUNC_TYPES.includes(p.type)) return false;
  }
  return false;
}

/** The `for` keyword of a for statement (findings point at it, not at the whole loop). */
export function forKeyword(loop: SNode): SNode {
  return loop.children.find((c) => c.type === 'for') ?? loop;
}

/** The nearest enclosing breakable statement of a break (the statement it leaves). */
export function breakTarget(brk: SNode): SNode | null {
  return brk.ancestor(...BREAKABLE);
}

/**
 * Where each channel of the package is closed: `close(x)` calls keyed by the place they close —
 * a local binding, a package variable, or a struct field (`T.f`, whichever variable of type T
 * holds it). Built with one walk over the package, cached per package.
 */
export interface CloseIndex {
  bindings: Map<SNode, SNode>;
  places: Map<string, SNode>;
}

const closeIndexCache = new WeakMap<GoPackage, CloseIndex>();

export function closeIndex(pkg: GoPackage): CloseIndex {
  const cached = closeIndexCache.get(pkg);
  if (cached) return cached;
  const index: CloseIndex = { bindings: new Map(), places: new Map() };
  for (const file of pkg.files) {
    file.root.walk((n) => {
      if (n.type !== 'call_expression') return undefined;
      const fn = n.child('function');
      if (fn?.type !== 'identifier' || fn.text !== 'close') return undefined;
      const scope = scopeFor(n, pkg);
      if (!scope || scope.resolve(fn) !== null) return undefined;
      const arg = n.child('arguments')?.namedChildren[0] ?? null;
      const key = channelKey(arg, scope, pkg);
      if (key && typeof key !== 'string') {
        if (!index.bindings.has(key)) index.bindings.set(key, n);
      } else if (key && !index.places.has(key)) index.places.set(key, n);
      return undefined;
    });
  }
  closeIndexCache.set(pkg, index);
  return index;
}

/** The close call of the channel an expression names, if the package closes it somewhere. */
export function closeOf(expr: SNode | null, scope: FuncScope, pkg: GoPackage): SNode | null {
  const key = channelKey(expr, scope, pkg);
  if (!key) return null;
  const index = closeIndex(pkg);
  return (typeof key !== 'string' ? index.bindings.get(key) : index.places.get(key)) ?? null;
}

/** A local binding's declaring identifier, `var:name` for a package variable, `T.f` for a field. */
function channelKey(expr: SNode | null, scope: FuncScope, pkg: GoPackage): SNode | string | null {
  if (!expr) return null;
  if (expr.type === 'parenthesized_expression') return channelKey(expr.namedChildren[0] ?? null, scope, pkg);
  if (expr.type === 'identifier') {
    const b = scope.resolve(expr);
    if (b) return b.node;
    return pkg.vars.has(expr.text) ? `var:${expr.text}` : null;
  }
  if (expr.type === 'selector_expression') {
    const operand = expr.child('operand');
    const field = expr.child('field')?.text;
    if (!operand || !field || (operand.type === 'identifier' && scope.isPackageName(operand))) return null;
    const named = scope.typeOf(operand).named;
    return named ? `${named}.${field}` : null;
  }
  return null;
}

/** The close call of field `field` of struct `typeName`, if the package closes it anywhere. */
export function closeOfField(pkg: GoPackage, typeName: string, field: string): SNode | null {
  return closeIndex(pkg).places.get(`${typeName}.${field}`) ?? null;
}

/** The declaring field_identifier of a struct field of this package, for related locations. */
export function fieldDeclaration(pkg: GoPackage, typeName: string, field: string): SNode | null {
  for (const file of pkg.files) {
    for (const decl of file.root.children) {
      if (decl.type !== 'type_declaration') continue;
      for (const spec of decl.namedChildren) {
        if (spec.child('name')?.text !== typeName) continue;
        for (const fd of spec.findAll('field_declaration')) {
          const name = fd.childrenOf('name').find((n) => n.text === field);
          if (name) return name;
        }
      }
    }
  }
  return null;
}
