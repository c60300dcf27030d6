// Shared analysis for the sync rules (WaitGroup, Mutex/RWMutex, Cond), read from the package
// model: the sync operations of a function (model operations on WaitGroup, mutex and Cond
// places, promoted methods of embedded fields included), the function bodies, what a goroutine
// start runs with its arguments, and what same-package helpers do to a WaitGroup or a lock
// (their summaries). Paths are traced with model/paths.ts.
import type { SNode } from '../../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../../gosrc/package.js';
import { enclosingFunction, placeKey, type FuncScope } from '../../gosrc/scope.js';
import type { TypeRef, ValueKind } from '../../gosrc/types.js';
import { callSiteAt, placeName, summaries, valueModel, type CallSite } from '../../model/index.js';
import { substitute } from '../../model/summaries.js';
import type { Op, OpKind } from '../../model/values.js';
import { isRootOf, type Place } from '../../model/places.js';
import { nodesOfType } from '../../gosrc/nodes.js';

export type SyncKind = 'waitgroup' | 'mutex' | 'rwmutex' | 'cond';

export function isSyncKind(kind: ValueKind): kind is SyncKind {
  return kind === 'waitgroup' || kind === 'mutex' || kind === 'rwmutex' || kind === 'cond';
}

/** A method call on a WaitGroup, mutex or Cond: `wg.Add(1)`, `s.mu.Unlock()`, `s.Lock()` (embedded). */
export interface SyncOp {
  call: SNode;
  kind: SyncKind;
  method: string;
  /** The place the value lives in, as code names it: "wg", "s.mu", "s.Mutex" for a promoted method of an embedded mutex. */
  key: string;
  operand: SNode;
  place: Place;
  op: Op;
}

const METHOD_OF: Partial<Record<OpKind, string>> = {
  lock: 'Lock',
  unlock: 'Unlock',
  trylock: 'TryLock',
  rlock: 'RLock',
  runlock: 'RUnlock',
  tryrlock: 'TryRLock',
  add: 'Add',
  done: 'Done',
  wait: 'Wait',
  wggo: 'Go',
  cwait: 'Wait',
  signal: 'Signal',
  broadcast: 'Broadcast',
};

const syncCache = new WeakMap<GoPackage, Map<SNode, SyncOp>>();

/** Every sync operation of the package, by its call node. */
function syncOps(pkg: GoPackage): Map<SNode, SyncOp> {
  let map = syncCache.get(pkg);
  if (map) return map;
  map = new Map();
  syncCache.set(pkg, map);
  for (const op of valueModel(pkg).ops) {
    const method = METHOD_OF[op.kind];
    const kind = op.place.type.kind;
    if (!method || !isSyncKind(kind) || op.node.type !== 'call_expression') continue;
    const key = placeName(op.place) ?? placeKey(op.ref);
    if (!key) continue;
    map.set(op.node, { call: op.node, kind, method, key, operand: op.ref, place: op.place, op });
  }
  return map;
}

/** Recognises a sync method call, following promoted methods of embedded sync fields. */
export function syncOp(call: SNode, scope: FuncScope): SyncOp | null {
  return syncOps(scope.pkg).get(call) ?? null;
}

/** placeKey of an argument, looking through `&`: `&wg` and `wg` both give "wg". */
export function argKey(expr: SNode | null): string | null {
  if (expr?.type === 'unary_expression' && expr.child('operator')?.type === '&') return placeKey(expr.child('operand'));
  return placeKey(expr);
}

/** Every sync operation in the own code of a function body (not its nested literals), in source order. */
export function ownSyncOps(body: SNode, scope: FuncScope): SyncOp[] {
  const fn = valueModel(scope.pkg).funcAround(body);
  if (!fn) return [];
  const all = syncOps(scope.pkg);
  const out: SyncOp[] = [];
  for (const op of fn.ops) {
    const s = all.get(op.node);
    if (s && s.op === op) out.push(s);
  }
  return out.sort((a, b) => a.call.start - b.call.start);
}

/** A function body rules analyse: declared functions and methods, and every function literal. */
export interface FunctionBody {
  /** function_declaration, method_declaration or func_literal. */
  fn: SNode;
  body: SNode;
  /** The declared name; null for literals. */
  name: string | null;
  info: FuncInfo | null;
  scope: FuncScope;
}

const bodiesCache = new WeakMap<GoPackage, FunctionBody[]>();

/** Every function body of the package whose code is visible (the model's function nodes). */
export function functionBodies(pkg: GoPackage): FunctionBody[] {
  const cached = bodiesCache.get(pkg);
  if (cached) return cached;
  const out: FunctionBody[] = [];
  for (const f of valueModel(pkg).functions.values()) {
    if (!f.body || f.body.elided) continue;
    out.push({ fn: f.node, body: f.body, name: f.info?.name ?? null, info: f.info, scope: f.scope });
  }
  out.sort((a, b) => (a.fn.file === b.fn.file ? a.fn.start - b.fn.start : a.fn.file.path < b.fn.file.path ? -1 : 1));
  bodiesCache.set(pkg, out);
  return out;
}

const goStatementsCache = new WeakMap<GoPackage, Map<SNode, SNode[]>>();

/**
 * The go statements in the own code of a function (not in its nested literals), in source order.
 * Indexed once per package, so rules that visit every function body do not walk each body
 * again (a literal's code would be walked once per enclosing function).
 */
export function ownGoStatements(pkg: GoPackage, fn: SNode): readonly SNode[] {
  let index = goStatementsCache.get(pkg);
  if (!index) {
    index = new Map();
    for (const n of nodesOfType(pkg, 'go_statement')) {
      const owner = enclosingFunction(n);
      if (!owner) continue;
      const list = index.get(owner);
      if (list) list.push(n);
      else index.set(owner, [n]);
    }
    goStatementsCache.set(pkg, index);
  }
  return index.get(fn) ?? [];
}

/** What a `go` statement runs: a function literal's body, or a same-package function's. */
export interface GoroutineTarget {
  goStmt: SNode;
  call: SNode;
  site: CallSite;
  /** The function node that runs in the goroutine. */
  fn: SNode;
  /** The body that runs in the goroutine. */
  body: SNode;
  /** Parameter names of the goroutine function, in order (null for unnamed). */
  paramNames: Array<string | null>;
  /** Parameter types, in the same order. */
  paramTypes: TypeRef[];
  /** The callee for `go f(...)` / `go s.m(...)`; null for a literal. */
  info: FuncInfo | null;
  /** Scope to resolve the body's names in. */
  scope: FuncScope;
}

/** The code a go statement runs, when the package holds it (one target: not an interface call). */
export function goroutineTarget(goStmt: SNode, pkg: GoPackage): GoroutineTarget | null {
  const call = goStmt.namedChildren[0];
  if (call?.type !== 'call_expression') return null;
  const site = callSiteAt(pkg, call);
  const t = site?.resolved?.targets.length === 1 ? site.resolved.targets[0]! : null;
  const f = t ? valueModel(pkg).functions.get(t.node) : undefined;
  if (!site || !f?.body || f.body.elided) return null;
  const params = t!.info ? t!.info.params : paramsOf(f.node, f.scope);
  return { goStmt, call, site, fn: f.node, body: f.body, paramNames: params.map((p) => p.name), paramTypes: params.map((p) => p.type), info: t!.info, scope: f.scope };
}

function paramsOf(fn: SNode, scope: FuncScope): Array<{ name: string | null; type: TypeRef }> {
  const out: Array<{ name: string | null; type: TypeRef }> = [];
  for (const b of scope.bindings) if (b.declKind === 'param' && b.scope === fn) out.push({ name: b.name, type: scope.bindingType(b) });
  return out;
}

/**
 * Whether the root name of a key ("wg" of "wg.x") is declared by a statement inside `body`: a
 * goroutine's own local WaitGroup is not the one the goroutine owes a Done to.
 */
export function declaredInside(body: SNode, key: string, scope: FuncScope): boolean {
  const root = key.split('.')[0]!;
  return scope.bindings.some((b) => b.name === root && b.declKind !== 'param' && b.declKind !== 'receiver' && b.declKind !== 'result' && body.contains(b.node));
}

/** The parent's name for a WaitGroup the goroutine reaches through a parameter or its receiver. */
export function toParentKey(target: GoroutineTarget, key: string): string | null {
  const root = key.split('.')[0]!;
  const idx = target.paramNames.indexOf(root);
  if (idx >= 0) {
    const arg = target.site.arg(idx);
    const name = arg ? placeName(arg) : argKey(target.site.argNodes[idx] ?? null);
    return name ? name + key.slice(root.length) : null;
  }
  if (target.info) {
    if (target.info.receiver?.name === root) {
      const recv = target.site.recv();
      const name = recv ? placeName(recv) : null;
      return name ? name + key.slice(root.length) : null;
    }
    return null; // a named function's other names are its own locals or package vars
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Same-package helpers that mark a WaitGroup done or release a lock (their summaries).

/**
 * The WaitGroups `call` marks done through same-package code before it returns: `finish(&wg)`
 * gives "wg", `s.finish()` gives "s.wg". A helper that starts a goroutine which calls Done
 * (`bgrun(&wg, f)`) does not mark the caller's share done.
 */
export function helperDoneKeys(call: SNode, scope: FuncScope): string[] {
  const site = callSiteAt(scope.pkg, call);
  if (!site || site.go) return [];
  const all = summaries(scope.pkg);
  const out: string[] = [];
  for (const t of site.resolved?.targets ?? []) {
    const s = all.get(t.node);
    for (const e of s?.effects ?? []) {
      // The WaitGroup is the helper's receiver's or parameter's, and the helper does not also
      // Add to it (a function that counts and finishes its own work is not a Done helper).
      if (e.kind !== 'done' || e.async || !isRootOf(e.place.root, t.node)) continue;
      if (s!.effects.some((a) => a.kind === 'add' && a.place.key === e.place.key)) continue;
      const p = substitute(e.place, site, t.node);
      const name = p ? placeName(p) : null;
      if (name && !out.includes(name)) out.push(name);
    }
  }
  return out;
}

export function helperDone(call: SNode, key: string, scope: FuncScope): boolean {
  return helperDoneKeys(call, scope).includes(key);
}

/**
 * Whether `call` is a same-package call that returns having released `lockKey` ("s.mu#w"),
 * a lock it was entered holding: an unlock helper, or every implementation of one.
 */
export function helperUnlocks(call: SNode, lockKey: string, scope: FuncScope): boolean {
  const site = callSiteAt(scope.pkg, call);
  const targets = site?.resolved?.targets ?? [];
  if (!site || site.go || targets.length === 0) return false;
  const all = summaries(scope.pkg);
  return targets.every((t) => {
    const facts = all.get(t.node)?.locks;
    return !!facts?.releasedAtExit.some((r) => {
      const p = substitute(r.place, site, t.node);
      return p !== null && `${placeName(p)}#${r.mode}` === lockKey;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers for messages and related locations.

/** The statement around a call, for pointing at it. */
export function statementOf(n: SNode): SNode {
  let cur = n;
  while (cur.parent && cur.parent.type !== 'statement_list' && cur.parent.type !== 'block') cur = cur.parent;
  return cur;
}

/** A sync method call's text in one line, for messages: "wg.Add(len(jobs))". */
export function callText(call: SNode): string {
  const t = call.text.replace(/\s+/g, ' ');
  return t.length > 60 ? t.slice(0, 57) + '...' : t;
}

const stripped = new Map<string, string>();

/** The source with comments replaced by spaces (offsets kept), skipping string and rune literals. */
export function withoutComments(src: string): string {
  const hit = stripped.get(src);
  if (hit !== undefined) return hit;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && !(c !== '`' && src[j] === '\n')) j += c !== '`' && src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  if (stripped.size > 64) stripped.clear();
  stripped.set(src, out);
  return out;
}
