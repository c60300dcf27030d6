// Shared analysis for the loop and channel-lifetime rules (no-exit-loop, nil-channel, bare-go):
// which code a goroutine runs (from the model's goroutine starts), which loops never end by
// their header, where a channel is closed, and small syntactic questions about receives and
// selects. How a loop can be left from inside is model/paths.ts loopExits.
import type { SNode } from '../../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../../gosrc/package.js';
import { outermostFunction, type FuncScope } from '../../gosrc/scope.js';
import { importPathOf } from '../../gosrc/types.js';
import { callEffects, valueModel } from '../../model/index.js';
import { placeOf, reassigned } from '../../model/places.js';

const FUNC_TYPES = ['func_literal', 'function_declaration', 'method_declaration'];

/** Statements an unlabeled break leaves. */
const BREAKABLE = ['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'];

/** The code one goroutine start runs, when this package holds it. */
export interface GoroutineTarget {
  /** The go statement (or the `g.Go(func...)` call of an errgroup-style starter). */
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

const targetsCache = new WeakMap<GoPackage, GoroutineTarget[]>();

/**
 * Every goroutine start of the package whose code is visible, with that code: `go f(x)`,
 * `go s.m()`, `go s.field.m()`, `go func(){...}()`, a method value or func kept in a local or a
 * field and started later, an interface method with few implementations (one target each), and
 * errgroup-style `g.Go(func() error {...})`.
 */
export function goroutineTargets(pkg: GoPackage): GoroutineTarget[] {
  const cached = targetsCache.get(pkg);
  if (cached) return cached;
  const model = valueModel(pkg);
  const out: GoroutineTarget[] = [];
  for (const site of model.goCalls) {
    for (const t of site.resolved?.targets ?? []) {
      const f = model.functions.get(t.node);
      if (!f?.body || f.body.elided) continue;
      out.push({ goStmt: site.go!, body: f.body, scope: f.scope, literal: t.info ? null : t.node, fn: t.info });
    }
  }
  for (const f of model.functions.values()) {
    if (f.use === 'go' && f.start && f.start.type !== 'go_statement' && f.body) out.push({ goStmt: f.start, body: f.body, scope: f.scope, literal: f.node, fn: null });
  }
  out.sort((a, b) => (a.goStmt.file === b.goStmt.file ? a.goStmt.start - b.goStmt.start : a.goStmt.file.path < b.goStmt.file.path ? -1 : 1));
  targetsCache.set(pkg, out);
  return out;
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
export function isTimerChannel(expr: SNode | null, scope: FuncScope, depth = 0): boolean {
  if (!expr) return false;
  if (expr.type === 'parenthesized_expression') return isTimerChannel(expr.namedChildren[0] ?? null, scope, depth);
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
  // A local holding one: `timeout := time.After(d)`, `tick := t.C`.
  if (expr.type === 'identifier' && depth < 3) {
    const b = scope.resolve(expr);
    if (b && (b.declKind === 'short' || b.declKind === 'var') && b.initIndex < 0 && b.init && !reassigned(b, scope)) return isTimerChannel(b.init, scope, depth + 1);
  }
  return false;
}

/** A channel the runtime feeds with OS signals (`signal.Notify(ch, ...)` somewhere in the package). */
export function isSignalChannel(expr: SNode | null, scope: FuncScope): boolean {
  if (!expr) return false;
  const model = valueModel(scope.pkg);
  const p = placeOf(expr, scope, model.placeContext);
  return !!p?.id && model.opsOf(p.id).some((o) => o.kind === 'send' && o.external);
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

/** A close of the channel an expression names, if the package closes it anywhere (through any copy, field or argument). */
export function closeOf(expr: SNode | null, scope: FuncScope, pkg: GoPackage): SNode | null {
  const model = valueModel(pkg);
  const p = expr ? placeOf(expr, scope, model.placeContext) : null;
  return p?.id ? closeOfId(pkg, p.id) : null;
}

/** The close call of field `field` of struct `typeName`, if the package closes it anywhere. */
export function closeOfField(pkg: GoPackage, typeName: string, field: string): SNode | null {
  return closeOfId(pkg, `F:${typeName}.${field}`);
}

/** The first close of an identity: a `close(x)` of it, or a call that closes it through a same-package function. */
function closeOfId(pkg: GoPackage, id: string): SNode | null {
  const model = valueModel(pkg);
  const direct = model.opsOf(id).find((o) => o.kind === 'close');
  if (direct) return direct.node;
  // Passed to a function that closes its parameter: `stop(ch)`.
  for (const { site } of model.sitesPassing(id)) {
    if (callEffects(pkg, site).effects.some((e) => e.kind === 'close' && e.place.id && model.canon(e.place.id) === model.canon(id))) return site.node;
  }
  return null;
}

/** The declaring field_identifier of a struct field of this package, for related locations. */
export function fieldDeclaration(pkg: GoPackage, typeName: string, field: string): SNode | null {
  let index = fieldDeclarations.get(pkg);
  if (!index) fieldDeclarations.set(pkg, (index = indexFieldDeclarations(pkg)));
  return index.get(`${typeName}.${field}`) ?? null;
}

/** Field name nodes by "Type.field", the first declaration of each (one pass per package, not one per question). */
const fieldDeclarations = new WeakMap<GoPackage, Map<string, SNode>>();

function indexFieldDeclarations(pkg: GoPackage): Map<string, SNode> {
  const index = new Map<string, SNode>();
  for (const file of pkg.files) {
    for (const decl of file.root.children) {
      if (decl.type !== 'type_declaration') continue;
      for (const spec of decl.namedChildren) {
        const typeName = spec.child('name')?.text;
        if (typeName === undefined) continue;
        for (const fd of spec.findAll('field_declaration')) {
          for (const name of fd.childrenOf('name')) {
            const key = `${typeName}.${name.text}`;
            if (!index.has(key)) index.set(key, name);
          }
        }
      }
    }
  }
  return index;
}
