// Shared analysis for the sync rules (WaitGroup, Mutex/RWMutex, Cond): recognising the sync
// operations of a function, finding the goroutine bodies a `go` statement starts, and tracing
// the paths of a function body to see, at each return, whether a lock is still held or a
// wg.Done() is still owed.
import { walkOwn } from '../../model/paths.js';
import type { SNode } from '../../gosrc/ast.js';
import { paramList, type FuncInfo, type GoPackage } from '../../gosrc/package.js';
import { placeKey, scopeFor, type FuncScope } from '../../gosrc/scope.js';
import { importPathOf, type TypeRef, type ValueKind } from '../../gosrc/types.js';
import { callEffects, callSiteAt, placeName } from '../../model/index.js';

export type SyncKind = 'waitgroup' | 'mutex' | 'rwmutex' | 'cond';

const METHODS: Record<SyncKind, ReadonlySet<string>> = {
  waitgroup: new Set(['Add', 'Done', 'Wait', 'Go']),
  mutex: new Set(['Lock', 'Unlock', 'TryLock']),
  rwmutex: new Set(['Lock', 'Unlock', 'TryLock', 'RLock', 'RUnlock', 'TryRLock']),
  cond: new Set(['Wait', 'Signal', 'Broadcast']),
};
const ANY_METHOD = new Set(Object.values(METHODS).flatMap((s) => [...s]));

export function isSyncKind(kind: ValueKind): kind is SyncKind {
  return kind === 'waitgroup' || kind === 'mutex' || kind === 'rwmutex' || kind === 'cond';
}

/** A method call on a WaitGroup, mutex or Cond: `wg.Add(1)`, `s.mu.Unlock()`, `s.Lock()` (embedded). */
export interface SyncOp {
  call: SNode;
  kind: SyncKind;
  method: string;
  /** The place the value lives in: "wg", "s.mu", "s.Mutex" for a promoted method of an embedded mutex. */
  key: string;
  operand: SNode;
}

/** The sync kind of an expression, also for `c := sync.NewCond(&mu)` (typeOf does not know NewCond). */
export function syncKindOf(expr: SNode, scope: FuncScope): SyncKind | null {
  const t = scope.typeOf(expr);
  if (isSyncKind(t.kind)) return t.kind;
  if (expr.type === 'identifier') {
    const b = scope.resolve(expr);
    const init = b ? (b.initIndex < 0 ? b.init : null) : (scope.pkg.vars.get(expr.text)?.init ?? null);
    if (init && isNewCond(init, scope)) return 'cond';
  }
  return null;
}

function isNewCond(expr: SNode, scope: FuncScope): boolean {
  if (expr.type !== 'call_expression') return false;
  const fn = expr.child('function');
  const pkgName = fn?.child('operand');
  return (
    fn?.type === 'selector_expression' &&
    fn.child('field')?.text === 'NewCond' &&
    pkgName?.type === 'identifier' &&
    scope.isPackageName(pkgName) &&
    importPathOf(pkgName.text, scope.file) === 'sync'
  );
}

/** Recognises a sync method call, following promoted methods of embedded sync fields. */
export function syncOp(call: SNode, scope: FuncScope): SyncOp | null {
  if (call.type !== 'call_expression') return null;
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression') return null;
  const operand = fn.child('operand');
  const method = fn.child('field')?.text ?? '';
  if (!operand || !ANY_METHOD.has(method)) return null;
  if (operand.type === 'identifier' && scope.isPackageName(operand)) return null;
  const base = placeKey(operand);
  if (!base) return null;
  const kind = syncKindOf(operand, scope);
  if (kind) return METHODS[kind].has(method) ? { call, kind, method, key: base, operand } : null;
  // `s.Lock()` on a struct embedding sync.Mutex, unless the struct declares its own Lock.
  const t = scope.typeOf(operand);
  if (!t.named || scope.pkg.funcs.has(`${t.named}.${method}`)) return null;
  for (const [name, ft] of scope.pkg.structs.get(t.named) ?? []) {
    if (ft.embedded && isSyncKind(ft.kind) && METHODS[ft.kind].has(method)) return { call, kind: ft.kind, method, key: `${base}.${name}`, operand };
  }
  return null;
}

/** placeKey of an argument, looking through `&`: `&wg` and `wg` both give "wg". */
export function argKey(expr: SNode | null): string | null {
  if (expr?.type === 'unary_expression' && expr.child('operator')?.type === '&') return placeKey(expr.child('operand'));
  return placeKey(expr);
}

const opsCache = new WeakMap<SNode, SyncOp[]>();

/** Every sync operation in the own code of `root`, in source order (cached per node). */
export function ownSyncOps(root: SNode, scope: FuncScope): SyncOp[] {
  const cached = opsCache.get(root);
  if (cached) return cached;
  const out: SyncOp[] = [];
  opsCache.set(root, out);
  walkOwn(root, (n) => {
    if (n.type !== 'call_expression') return;
    const op = syncOp(n, scope);
    if (op) out.push(op);
  });
  return out;
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

/** Every function body of the package (computed once per package, shared by the rules). */
export function functionBodies(pkg: GoPackage): FunctionBody[] {
  const cached = bodiesCache.get(pkg);
  if (cached) return cached;
  const out: FunctionBody[] = [];
  bodiesCache.set(pkg, out);
  const infos = new Map<SNode, FuncInfo>();
  for (const f of pkg.funcs.values()) infos.set(f.node, f);
  for (const file of pkg.files) {
    for (const decl of file.root.children) {
      if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') continue;
      const body = decl.child('body');
      if (!body || body.elided) continue;
      const scope = scopeFor(decl, pkg);
      if (!scope) continue;
      out.push({ fn: decl, body, name: decl.child('name')?.text ?? null, info: infos.get(decl) ?? null, scope });
      for (const lit of body.findAll('func_literal')) {
        const litBody = lit.child('body');
        if (litBody) out.push({ fn: lit, body: litBody, name: null, info: null, scope });
      }
    }
    // Package-level literals: `var handler = func() { ... }`.
    for (const decl of file.root.children) {
      if (decl.type === 'function_declaration' || decl.type === 'method_declaration') continue;
      for (const lit of decl.findAll('func_literal')) {
        if (lit.ancestor('func_literal')) continue;
        const scope = scopeFor(lit, pkg);
        if (!scope) continue;
        for (const inner of [lit, ...lit.child('body')?.findAll('func_literal') ?? []]) {
          const b = inner.child('body');
          if (b) out.push({ fn: inner, body: b, name: null, info: null, scope });
        }
      }
    }
  }
  return out;
}

/** What a `go` statement runs: a function literal's body, or a same-package function's. */
export interface GoroutineTarget {
  goStmt: SNode;
  call: SNode;
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
  /** For a method: the receiver expression at the go statement (`s` in `go s.loop()`). */
  receiverArg: SNode | null;
}

export function goroutineTarget(goStmt: SNode, pkg: GoPackage, scope: FuncScope): GoroutineTarget | null {
  const call = goStmt.namedChildren[0];
  if (call?.type !== 'call_expression') return null;
  const fn = call.child('function');
  if (!fn) return null;
  if (fn.type === 'func_literal') {
    const body = fn.child('body');
    if (!body) return null;
    const params = paramList(fn.child('parameters'), scope.file);
    return { goStmt, call, body, paramNames: params.map((p) => p.name), paramTypes: params.map((p) => p.type), info: null, scope, receiverArg: null };
  }
  let info: FuncInfo | undefined;
  let receiverArg: SNode | null = null;
  if (fn.type === 'identifier' && !scope.resolve(fn)) info = pkg.funcs.get(fn.text);
  else if (fn.type === 'selector_expression') {
    const operand = fn.child('operand');
    const t = operand ? scope.typeOf(operand) : null;
    if (t?.named) {
      info = pkg.funcs.get(`${t.named}.${fn.child('field')?.text ?? ''}`);
      receiverArg = operand;
    }
  }
  if (!info?.body || info.body.elided) return null;
  const calleeScope = scopeFor(info.node, pkg);
  if (!calleeScope) return null;
  const params = info.params;
  return { goStmt, call, body: info.body, paramNames: params.map((p) => p.name), paramTypes: params.map((p) => p.type), info, scope: calleeScope, receiverArg };
}

/**
 * Whether the root name of a key ("wg" of "wg.x") is declared by a statement inside `body`: a
 * goroutine's own local WaitGroup is not the one the goroutine owes a Done to.
 */
export function declaredInside(body: SNode, key: string, scope: FuncScope): boolean {
  const root = key.split('.')[0]!;
  return scope.bindings.some((b) => b.name === root && b.declKind !== 'param' && b.declKind !== 'receiver' && b.declKind !== 'result' && body.contains(b.node));
}

/** The goroutine's arguments (for named targets and literals alike). */
export function goArgs(t: GoroutineTarget): SNode[] {
  return t.call.child('arguments')?.namedChildren ?? [];
}

/** The parent's name for a WaitGroup the goroutine reaches through a parameter or its receiver. */
export function toParentKey(target: GoroutineTarget, key: string): string | null {
  const root = key.split('.')[0]!;
  const idx = target.paramNames.indexOf(root);
  if (idx >= 0) {
    const arg = argKey(goArgs(target)[idx] ?? null);
    return arg ? arg + key.slice(root.length) : null;
  }
  if (target.info) {
    if (target.info.receiver?.name === root && target.receiverArg) {
      const recv = argKey(target.receiverArg);
      return recv ? recv + key.slice(root.length) : null;
    }
    return null; // a named function's other names are its own locals or package vars
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Same-package helpers that mark a WaitGroup done or release a lock.

/**
 * The WaitGroups `call` marks done through a same-package function: `finish(&wg)` gives "wg"
 * (FuncSummary.doneParams), `s.finish()` gives "s.wg" (FuncSummary.doneFields).
 */
export function helperDoneKeys(call: SNode, scope: FuncScope): string[] {
  const site = callSiteAt(scope.pkg, call);
  if (!site || site.go) return [];
  // Only Done calls made before the helper returns: a helper that starts a goroutine which
  // calls Done (`bgrun(&wg, f)`) does not mark the caller's share done.
  const out: string[] = [];
  for (const e of callEffects(scope.pkg, site).effects) {
    if (e.kind !== 'done' || e.async) continue;
    const name = placeName(e.place);
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

export function helperDone(call: SNode, key: string, scope: FuncScope): boolean {
  return helperDoneKeys(call, scope).includes(key);
}

const releaseCache = new WeakMap<FuncInfo, Set<string>>();

/**
 * Locks a same-package method releases on its receiver, as "field#w" / "field#r" keys relative
 * to the receiver ("Mutex#w" for an embedded mutex), following calls on the same receiver.
 */
function receiverReleases(info: FuncInfo, pkg: GoPackage, depth = 0): Set<string> {
  const cached = releaseCache.get(info);
  if (cached) return cached;
  const out = new Set<string>();
  const recv = info.receiver?.name;
  if (!recv || !info.body || info.body.elided || depth > 3) return out;
  releaseCache.set(info, out);
  const scope = scopeFor(info.node, pkg);
  if (!scope) return out;
  walkOwn(info.body, (n) => {
    if (n.type !== 'call_expression') return;
    const op = syncOp(n, scope);
    if (op && (op.method === 'Unlock' || op.method === 'RUnlock') && op.key.startsWith(recv + '.')) {
      out.add(`${op.key.slice(recv.length + 1)}#${op.method === 'Unlock' ? 'w' : 'r'}`);
      return;
    }
    const fn = n.child('function');
    if (fn?.type === 'selector_expression' && fn.child('operand')?.text === recv) {
      const callee = pkg.funcs.get(`${info.receiver!.typeName}.${fn.child('field')?.text ?? ''}`);
      if (callee && callee !== info) for (const k of receiverReleases(callee, pkg, depth + 1)) out.add(k);
    }
  });
  return out;
}

/** Whether `call` is a same-package method call that unlocks `lockKey` ("s.mu#w") on its receiver. */
export function helperUnlocks(call: SNode, lockKey: string, scope: FuncScope): boolean {
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression') return false;
  const operand = fn.child('operand');
  const base = placeKey(operand);
  const t = operand ? scope.typeOf(operand) : null;
  if (!base || !t?.named) return false;
  const info = scope.pkg.funcs.get(`${t.named}.${fn.child('field')?.text ?? ''}`);
  if (!info) return false;
  for (const k of receiverReleases(info, scope.pkg)) if (`${base}.${k}` === lockKey) return true;
  return false;
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
