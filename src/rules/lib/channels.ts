// Shared channel analysis for the stranded-sender and stranded-receiver rules: every channel a
// function makes itself (`ch := make(chan T, n)`), with each use of it classified (send,
// receive, range, close, a call of a same-package function that does one of those), who
// performs it (the function itself or a goroutine it starts) and whether it escapes to code
// the analysis cannot see; and channel-typed struct fields with their uses across the package.
// Built once per package and cached, so both rules share one pass.
import type { SNode } from '../../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../../gosrc/package.js';
import { scopeFor, scopeOfFunc, type Binding, type FuncScope } from '../../gosrc/scope.js';
import { valueModel } from '../../model/values.js';
import type { Op } from '../../model/values.js';
import { returnedPlace } from '../../model/places.js';
import { selectCaseCount } from './loops.js';

export type ChannelOpKind = 'send' | 'recv' | 'range' | 'close' | 'len';

export interface ChannelOp {
  kind: ChannelOpKind;
  /** The identifier naming the channel at this use. */
  ref: SNode;
  /**
   * The operation: send_statement, unary_expression (`<-ch`), for_statement (range), the
   * call_expression of `close(ch)` / `len(ch)`, or the call of a same-package function.
   */
  site: SNode;
  /** The go statement of the goroutine performing it; null when the making function itself does. */
  owner: SNode | null;
  /** Runs in a deferred call (`defer close(ch)`, `defer func() { close(ch) }()`). */
  deferred: boolean;
  /** For send/recv used as a select case: the select_statement. */
  select: SNode | null;
  /** A select case with another receive or a default case: the operation can give up. */
  cancellable: boolean;
  /** `v, ok := <-ch`: the receiver tells a closed channel apart. */
  twoValue: boolean;
  /** Set when the operation happens in a same-package function the channel is passed to. */
  via: { callee: FuncInfo; param: number } | null;
}

export interface Capacity {
  /** The capacity expression's text (null for an unbuffered make). */
  text: string | null;
  /** The capacity when it is a constant (0 for unbuffered), else null. */
  value: number | null;
}

export interface LocalChannel {
  name: string;
  binding: Binding;
  scope: FuncScope;
  /** The function (declaration or literal) whose body declares the channel. */
  home: SNode;
  /** The `make(chan T, ...)` call. */
  make: SNode;
  capacity: Capacity;
  ops: ChannelOp[];
  /** The first use the analysis cannot follow (stored, passed to unknown code, returned...), or null. */
  escape: SNode | null;
}

const FUNC_TYPES = ['func_literal', 'function_declaration', 'method_declaration'];
const cache = new WeakMap<GoPackage, LocalChannel[]>();

/** Every channel made by a function of the package and held in a local variable. */
export function localChannels(pkg: GoPackage): LocalChannel[] {
  let list = cache.get(pkg);
  if (list) return list;
  list = [];
  for (const fn of pkg.funcs.values()) {
    if (!fn.body || fn.body.elided) continue;
    const scope = scopeOfFunc(fn, pkg);
    for (const b of scope.bindings) {
      if (b.declKind !== 'short' && b.declKind !== 'var') continue;
      if (!b.init || b.initIndex !== -1 || !isMakeChan(b.init)) continue;
      if (b.typeNode && scope.bindingType(b).kind !== 'chan') continue;
      list.push(analyseChannel(b, scope, pkg));
    }
  }
  cache.set(pkg, list);
  return list;
}

/** `make(chan T)` / `make(chan T, n)`. */
export function isMakeChan(expr: SNode): boolean {
  if (expr.type !== 'call_expression' || expr.child('function')?.text !== 'make') return false;
  return expr.child('arguments')?.namedChildren[0]?.type === 'channel_type';
}

export function capacityOf(make: SNode): Capacity {
  const arg = make.child('arguments')?.namedChildren[1];
  if (!arg) return { text: null, value: 0 };
  const value = arg.type === 'int_literal' && /^\d+$/.test(arg.text) ? Number(arg.text) : null;
  return { text: arg.text, value };
}

function analyseChannel(b: Binding, scope: FuncScope, pkg: GoPackage): LocalChannel {
  const home = b.node.ancestor(...FUNC_TYPES)!;
  const ch: LocalChannel = {
    name: b.name,
    binding: b,
    scope,
    home,
    make: b.init!,
    capacity: capacityOf(b.init!),
    ops: [],
    escape: null,
  };
  for (const ref of scope.references(b)) {
    if (ref === b.node) continue;
    const placed = placeOf(ref, home);
    if (!placed) {
      ch.escape ??= ref;
      continue;
    }
    const uses = classifyUse(ref, scope, pkg);
    if (!uses) {
      ch.escape ??= ref;
      continue;
    }
    for (const { goCall, ...op } of uses) {
      const deferred = placed.deferred || op.site.parent?.type === 'defer_statement';
      ch.ops.push({ ...op, ref, owner: goCall ?? placed.owner, deferred });
    }
  }
  return ch;
}

/**
 * Who runs the code at `ref`: the home function (owner null) or a goroutine it starts, and
 * whether it runs deferred. Null when a func literal that is neither started with `go` nor
 * deferred lies in between: a callback or stored closure may run any time, or never.
 */
function placeOf(ref: SNode, home: SNode): { owner: SNode | null; deferred: boolean } | null {
  let owner: SNode | null = null;
  let deferred = false;
  for (let p = ref.parent; p && p !== home; p = p.parent) {
    if (p.type !== 'func_literal') continue;
    const call = p.parent;
    const stmt = call?.type === 'call_expression' && p.field === 'function' ? call.parent : null;
    if (stmt?.type === 'go_statement') owner ??= stmt;
    else if (stmt?.type === 'defer_statement') deferred ||= owner === null;
    else return null;
  }
  return { owner, deferred };
}

type ClassifiedUse = Omit<ChannelOp, 'ref' | 'owner' | 'deferred'> & { goCall?: SNode };

/** What a use of the channel does; a same-package callee may do several things (send, then close). */
function classifyUse(ref: SNode, scope: FuncScope, pkg: GoPackage): ClassifiedUse[] | null {
  const one = classifyDirect(ref, scope);
  if (one !== undefined) return one && [one];
  return classifyCall(ref, scope, pkg);
}

/** A use that is an operation of the language itself; undefined for an argument of another call. */
function classifyDirect(ref: SNode, scope: FuncScope): ClassifiedUse | null | undefined {
  const parent = ref.parent;
  if (!parent) return null;
  const base = { select: null, cancellable: false, twoValue: false, via: null };
  if (parent.type === 'send_statement' && ref.field === 'channel') {
    const sel = selectOf(parent);
    return { ...base, kind: 'send', site: parent, select: sel, cancellable: sel ? selectCanGiveUp(sel, parent.parent!) : false };
  }
  if (parent.type === 'unary_expression' && parent.child('operator')?.type === '<-' && ref.field === 'operand') {
    const sel = selectOf(parent);
    return {
      ...base,
      kind: 'recv',
      site: parent,
      select: sel,
      cancellable: sel ? selectCanGiveUp(sel, parent.parent!.parent!) : false,
      twoValue: isTwoValueReceive(parent),
    };
  }
  if (parent.type === 'range_clause' && ref.field === 'right') return { ...base, kind: 'range', site: parent.parent! };
  if (parent.type === 'parenthesized_expression') return null;
  if (parent.type === 'argument_list' && parent.parent?.type === 'call_expression') {
    const call = parent.parent;
    const fn = call.child('function');
    if (fn?.type !== 'identifier' || scope.resolve(fn)) return null;
    if (fn.text === 'close') return { ...base, kind: 'close', site: call };
    if (fn.text === 'len' || fn.text === 'cap') return { ...base, kind: 'len', site: call };
    return undefined;
  }
  return null;
}

/**
 * `f(ch)` / `go f(ch)` with f a function of the package whose parameter is only sent on,
 * received from, ranged over or closed (the callee does not hand it on): one op per kind.
 */
function classifyCall(ref: SNode, scope: FuncScope, pkg: GoPackage): ClassifiedUse[] | null {
  const call = ref.parent!.parent!;
  const fn = call.child('function')!;
  if (fn.type !== 'identifier' || scope.resolve(fn)) return null;
  const callee = pkg.funcs.get(fn.text);
  const index = ref.parent!.namedChildren.indexOf(ref);
  const uses = callee ? paramUses(callee, index, pkg) : null;
  if (!callee || !uses) return null;
  const goCall = call.parent?.type === 'go_statement' ? call.parent : undefined;
  const base = { select: null, cancellable: false, twoValue: false, via: { callee, param: index }, site: call, goCall };
  const kinds = [...new Set(uses.map((u) => u.use.kind))].filter((k) => k !== 'len');
  return kinds.map((kind) => ({ ...base, kind }));
}

/** The direct uses of a callee's channel parameter, or null when it is used any other way. */
function paramUses(callee: FuncInfo, index: number, pkg: GoPackage): Array<{ ref: SNode; use: ClassifiedUse }> | null {
  const param = callee.params[index];
  if (!param?.name || param.variadic || !callee.body || callee.body.elided) return null;
  const scope = scopeOfFunc(callee, pkg);
  const b = scope.resolve(param.node);
  if (!b) return null;
  const out: Array<{ ref: SNode; use: ClassifiedUse }> = [];
  for (const r of scope.references(b)) {
    if (r === b.node) continue;
    // Only code the callee runs itself: not closures it hands out or goroutines it starts.
    if (r.ancestor('func_literal') && callee.node.contains(r.ancestor('func_literal')!)) return null;
    const use = classifyDirect(r, scope);
    if (!use) return null;
    out.push({ ref: r, use });
  }
  return out;
}

/** The select_statement in which `op` (a send_statement or `<-x`) is a case's communication. */
function selectOf(op: SNode): SNode | null {
  let comm: SNode = op;
  if (op.type === 'unary_expression' && op.parent?.type === 'receive_statement') comm = op.parent;
  if (comm.field !== 'communication' || comm.parent?.type !== 'communication_case') return null;
  return comm.parent.parent?.type === 'select_statement' ? comm.parent.parent : null;
}

/** A select can give up on `ownCase` when it has a default case or another case that receives. */
export function selectCanGiveUp(select: SNode, ownCase: SNode): boolean {
  return select.namedChildren.some((c) => {
    if (c === ownCase) return false;
    if (c.type === 'default_case') return true;
    return c.type === 'communication_case' && c.child('communication')?.type === 'receive_statement';
  });
}

function isTwoValueReceive(unary: SNode): boolean {
  const p = unary.parent;
  if (p?.type === 'receive_statement') return (p.child('left')?.namedChildren.length ?? 0) === 2;
  if (p?.type === 'expression_list' && (p.parent?.type === 'short_var_declaration' || p.parent?.type === 'assignment_statement')) {
    return (p.parent.child('left')?.namedChildren.length ?? 0) === 2;
  }
  return false;
}

/** The function (literal or declaration) whose body directly holds `node`. */
export function nearestFunction(node: SNode): SNode | null {
  return node.ancestor(...FUNC_TYPES);
}

/** The for statements around `node`, innermost first, up to (not past) `stop` or a function boundary. */
export function loopsAround(node: SNode, stop: SNode): SNode[] {
  const out: SNode[] = [];
  for (let p = node.parent; p && p !== stop; p = p.parent) {
    if (FUNC_TYPES.includes(p.type)) break;
    if (p.type === 'for_statement') out.push(p);
  }
  return out;
}

/**
 * How many times a loop runs, as expressions a capacity could be written as: `for _, u := range
 * urls` gives ["len(urls)"], `for i := range n` gives ["n"], `for i := 0; i < n; i++` gives ["n"].
 * Null when the count is not an expression of the code (an endless or condition loop).
 */
export function loopBound(loop: SNode, scope?: FuncScope): string[] | null {
  const range = loop.childOfType('range_clause');
  if (range) {
    const right = range.child('right');
    if (!right) return null;
    const t = squash(right.text);
    if (right.type === 'int_literal') return [t];
    if (right.type === 'identifier' && scope && isIntegerLocal(right, scope)) return [t];
    if (right.type === 'call_expression' && right.child('function')?.text === 'len') return null;
    // Ranging over an integer (Go 1.22) gives the value itself; over a slice or map, its len.
    return [`len(${t})`, t];
  }
  const clause = loop.childOfType('for_clause');
  const cond = clause?.child('condition');
  const init = clause?.child('initializer');
  if (!cond || cond.type !== 'binary_expression' || cond.child('operator')?.type !== '<') return null;
  const v = cond.child('left')?.text;
  if (!init || init.type !== 'short_var_declaration' || init.child('left')?.text !== v || init.child('right')?.text !== '0') return null;
  return [squash(cond.child('right')!.text)];
}

/** A local or parameter declared with an integer type (`n int`), for Go 1.22 `range n`. */
function isIntegerLocal(ident: SNode, scope: FuncScope): boolean {
  const b = scope.resolve(ident);
  if (!b) return false;
  if (b.typeNode) return /^u?int(8|16|32|64)?$/.test(b.typeNode.text);
  return b.init?.type === 'int_literal' || (b.init?.type === 'call_expression' && b.init.child('function')?.text === 'len');
}

export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Statements that leave `loop` early: returns anywhere in its body, and breaks (or gotos) that
 * target it. Nested function literals are skipped; an unlabelled break inside a nested for,
 * switch or select leaves only that statement.
 */
export function earlyExits(loop: SNode): SNode[] {
  const body = loop.child('body');
  if (!body) return [];
  const label = loop.parent?.type === 'labeled_statement' ? loop.parent.child('label')?.text : null;
  const out: SNode[] = [];
  body.walk((n) => {
    if (n.type === 'func_literal') return false;
    if (n.type === 'return_statement' || n.type === 'goto_statement') out.push(n);
    else if (n.type === 'break_statement') {
      const target = n.namedChildren.find((c) => c.type === 'label_name')?.text;
      if (target ? target === label : breakTargets(n) === loop) out.push(n);
    }
    return true;
  });
  return out;
}

/** The statement an unlabelled break leaves. */
function breakTargets(brk: SNode): SNode | null {
  return brk.ancestor('for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement', 'func_literal');
}

/**
 * Return statements of function `fn`'s own body (not of nested literals) that start before
 * `before` and after `after`.
 */
export function returnsBetween(fn: SNode, after: number, before: number): SNode[] {
  const body = fn.child('body');
  if (!body) return [];
  const out: SNode[] = [];
  body.walk((n) => {
    if (n.type === 'func_literal') return false;
    if (n.start >= before) return false;
    if (n.type === 'return_statement' && n.start > after) out.push(n);
    return true;
  });
  return out;
}

/**
 * The channel's make rewritten with a capacity, for fix texts: "make(chan result, len(urls))",
 * or the whole statement when it is a short declaration: "ch := make(chan result, len(urls))".
 */
export function makeWithCapacity(ch: LocalChannel, capacity: string): string {
  const type = ch.make.child('arguments')?.namedChildren[0]?.text ?? 'chan T';
  const expr = `make(${type}, ${capacity})`;
  return ch.binding.declKind === 'short' ? `${ch.name} := ${expr}` : expr;
}

/** A short description of a select case for messages: "`<-ctx.Done()`", "the default case". */
export function describeCase(c: SNode): string {
  if (c.type === 'default_case') return 'the default case';
  const comm = c.child('communication');
  if (!comm) return 'another case';
  const text = comm.type === 'receive_statement' ? (comm.child('right')?.text ?? comm.text) : comm.text;
  const short = squash(text).length > 40 ? squash(text).slice(0, 39) + '…' : text.replace(/\s+/g, ' ');
  return `\`${short}\``;
}

/** The select case (communication_case / default_case) holding an operation of a select. */
export function caseOf(op: ChannelOp): SNode | null {
  return op.site.ancestor('communication_case', 'default_case');
}

/** `func main` of package main: goroutines it leaves behind end with the program. */
export function isProgramMain(fn: SNode, pkg: GoPackage): boolean {
  return fn.type === 'function_declaration' && fn.child('name')?.text === 'main' && pkg.name === 'main';
}

/** For an operation done by a same-package callee: the callee's own operation sites on that parameter. */
export function calleeSites(op: ChannelOp, pkg: GoPackage): ChannelOp[] {
  if (!op.via) return [op];
  const uses = paramUses(op.via.callee, op.via.param, pkg) ?? [];
  return uses
    .filter((u) => u.use.kind === op.kind)
    .map(({ ref, use }) => ({ ...use, ref, owner: op.owner, deferred: op.deferred || ref.ancestor('defer_statement') !== null, via: op.via }));
}

/** Every use of one channel-typed struct field across the package. */
export interface FieldChannel {
  struct: string;
  field: string;
  /** `s.f = make(chan T)` or `T{f: make(chan T)}` value expressions. */
  makes: SNode[];
  /** Ranges and receives that cannot give up, done by a goroutine: the op and its go statement. */
  waits: Array<{ site: SNode; kind: 'range' | 'recv'; go: SNode }>;
  closes: number;
  sends: number;
  /** A use the analysis cannot follow (handed on, returned, assigned from elsewhere), or null. */
  escape: SNode | null;
}

const fieldCache = new WeakMap<GoPackage, FieldChannel[]>();

/**
 * Channel fields of the package's structs with all their uses. A selector whose operand type is
 * unknown but whose field name is a channel field counts as an escape for every struct with
 * such a field: the analysis only speaks when it has seen every use.
 */
export function fieldChannels(pkg: GoPackage): FieldChannel[] {
  const cached = fieldCache.get(pkg);
  if (cached) return cached;
  const byKey = new Map<string, FieldChannel>();
  const byName = new Map<string, FieldChannel[]>();
  for (const [struct, fields] of pkg.structs) {
    for (const [field, type] of fields) {
      if (type.kind !== 'chan' || type.embedded) continue;
      const fc: FieldChannel = { struct, field, makes: [], waits: [], closes: 0, sends: 0, escape: null };
      byKey.set(`${struct}.${field}`, fc);
      byName.set(field, [...(byName.get(field) ?? []), fc]);
    }
  }
  const out = [...byKey.values()];
  fieldCache.set(pkg, out);
  if (out.length === 0) return out;
  const goMethods = goStartedMethods(pkg);
  const escapeAll = (name: string, at: SNode) => byName.get(name)?.forEach((fc) => (fc.escape ??= at));
  for (const f of pkg.files) {
    f.root.walk((n) => {
      if (n.elided) {
        // Bodies without channel tokens are not copied; one that still names a field may hand it on.
        for (const name of byName.keys()) if (new RegExp(`\\.${name}\\b`).test(n.text)) escapeAll(name, n);
        return false;
      }
      if (n.type === 'keyed_element') {
        const key = n.child('key')?.namedChildren[0];
        const lit = n.ancestor('composite_literal');
        const fc = key && lit ? byKey.get(`${lit.child('type')?.text}.${key.text}`) : undefined;
        if (fc) {
          const value = n.child('value')?.namedChildren[0];
          if (value && isMakeChan(value)) fc.makes.push(value);
          else fc.escape ??= n;
        }
        return true;
      }
      if (n.type !== 'selector_expression') return true;
      const name = n.child('field')?.text ?? '';
      if (!byName.has(name)) return true;
      const scope = scopeFor(n, pkg);
      const named = scope?.typeOf(n.child('operand')).named;
      const fc = named ? byKey.get(`${named}.${name}`) : undefined;
      if (!fc || !scope) {
        escapeAll(name, n);
        return true;
      }
      classifyFieldUse(n, fc, scope, pkg, goMethods);
      return true;
    });
  }
  return out;
}

function classifyFieldUse(sel: SNode, fc: FieldChannel, scope: FuncScope, pkg: GoPackage, goMethods: Map<string, SNode>): void {
  const parent = sel.parent!;
  if (parent.type === 'expression_list' && parent.field === 'left' && parent.parent?.type === 'assignment_statement') {
    const values = parent.parent.child('right')?.namedChildren ?? [];
    const value = values[parent.namedChildren.indexOf(sel)];
    if (value && isMakeChan(value)) fc.makes.push(value);
    else fc.escape ??= sel;
    return;
  }
  const use = classifyDirect(sel, scope);
  if (!use) {
    fc.escape ??= sel;
    return;
  }
  if (use.kind === 'close') fc.closes++;
  else if (use.kind === 'send') fc.sends++;
  else if (use.kind === 'range' || (use.kind === 'recv' && !use.cancellable)) {
    const go = goroutineOf(use.site, pkg, goMethods);
    if (go) fc.waits.push({ site: use.site, kind: use.kind, go });
  }
}

/**
 * The go statement running `node`: the `go func() {...}()` whose literal directly holds it, or
 * a `go x.M()` starting the method whose own body holds it.
 */
function goroutineOf(node: SNode, pkg: GoPackage, goMethods: Map<string, SNode>): SNode | null {
  const fn = nearestFunction(node);
  if (fn?.type === 'func_literal') {
    const stmt = fn.field === 'function' ? fn.parent?.parent : null;
    return stmt?.type === 'go_statement' ? stmt : null;
  }
  if (fn?.type !== 'method_declaration') return null;
  const info = [...pkg.funcs.values()].find((f) => f.node === fn);
  return info ? (goMethods.get(info.key) ?? null) : null;
}

/** Methods started as goroutines anywhere in the package (`go s.loop()`), by "Type.Method". */
function goStartedMethods(pkg: GoPackage): Map<string, SNode> {
  const out = new Map<string, SNode>();
  for (const f of pkg.files) {
    for (const go of f.root.findAll('go_statement')) {
      const callee = go.namedChildren[0]?.child('function');
      if (callee?.type !== 'selector_expression') continue;
      const scope = scopeFor(go, pkg);
      const named = scope?.typeOf(callee.child('operand')).named;
      const key = `${named}.${callee.child('field')?.text}`;
      if (named && pkg.funcs.has(key) && !out.has(key)) out.set(key, go);
    }
  }
  return out;
}

/**
 * True when a function's own body holds an endless `for { ... }` it never leaves: it runs until
 * the process ends, so goroutines tied to its lifetime are not leaks.
 */
export function runsForever(fn: SNode): boolean {
  const body = fn.child('body');
  if (!body) return false;
  let forever = false;
  body.walk((n) => {
    if (forever || n.type === 'func_literal') return false;
    if (n.type === 'for_statement' && n.namedChildren.length === 1 && n.child('body') && earlyExits(n).length === 0) forever = true;
    return true;
  });
  return forever;
}

/** A channel a function makes, returns, and feeds from a goroutine it starts. */
export interface ReturnedChannel {
  /** The `make(chan ...)` of the returned channel. */
  make: SNode;
  /** The go statement whose goroutine sends on it, if any. */
  goStmt: SNode | null;
  /** That goroutine's sends on it, in source order. */
  sends: SNode[];
  /** Whether that goroutine closes the channel when done. */
  closedByGoroutine: boolean;
  /** Whether every send of that goroutine sits in a select with another case (ctx.Done, done...). */
  sendsCancellable: boolean;
}

/** Result `index` of `fn` when it is a channel `fn` makes and returns, with its feeding goroutine. */
export function returnedChannel(pkg: GoPackage, fn: FuncInfo, index: number): ReturnedChannel | null {
  const model = valueModel(pkg);
  const p = returnedPlace(fn, index, model.placeContext);
  if (!p?.id || p.root.kind !== 'local' || !p.root.binding.init || !isMakeChan(p.root.binding.init) || p.type.kind !== 'chan') return null;
  const make = p.root.binding.init;
  const inFn = model.opsOf(p.id).filter((o) => fn.node.contains(o.node));
  let goStmt: SNode | null = null;
  const sends: Op[] = [];
  for (const op of inFn) {
    if (op.kind !== 'send') continue;
    const g = op.node.ancestor('go_statement');
    if (!g || !fn.node.contains(g) || (goStmt && g !== goStmt)) continue;
    goStmt = g;
    sends.push(op);
  }
  const closedByGoroutine = goStmt !== null && inFn.some((o) => o.kind === 'close' && goStmt!.contains(o.node));
  const sendsCancellable = sends.every((o) => o.select !== null && selectCaseCount(o.select) > 1);
  return { make, goStmt, sends: sends.map((o) => o.node).sort((a, b) => a.start - b.start), closedByGoroutine, sendsCancellable };
}
