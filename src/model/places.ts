// Where a value lives. Every channel, lock, WaitGroup, Cond, cancel func, timer or conn that
// an expression names is a Place: a root (the receiver or a parameter of the function the code
// is in, a package variable, a local) and a path of struct fields (`s.worker.jobs` is the
// receiver's `worker.jobs`). Two keys come with it:
//   - `id`, the value's identity across the package: a local (by its declaration), a package
//     variable, or a struct field `T.f`, which all instances of T share;
//   - `key`, the instance it is on: `s.mu` and `other.mu` have one id (`T.mu`) but two keys.
//     Rules that must tell instances apart (lock order, double lock) compare keys; rules that ask
//     "does anything in the package close this channel" compare ids.
// A local that only copies another place (`ch := s.jobs`, `mu := &s.mu`, `done := s.Done()`
// through an accessor) is that place. Function results follow the callee's returns: an accessor
// `func (s *S) Done() <-chan struct{} { return s.done }` gives the caller's `x.done`.
import type { SNode } from '../gosrc/ast.js';
import { paramList, type FuncInfo, type GoPackage } from '../gosrc/package.js';
import { scopeFor, type Binding, type FuncScope } from '../gosrc/scope.js';
import { OTHER, type TypeRef } from '../gosrc/types.js';

export type Root =
  /** The receiver of method `fn`. */
  | { kind: 'recv'; fn: SNode; binding: Binding }
  /** Parameter `index` of function `fn` (a declaration or a literal). */
  | { kind: 'param'; fn: SNode; index: number; binding: Binding }
  | { kind: 'var'; name: string }
  | { kind: 'local'; binding: Binding }
  /** An instance the model cannot name (`f().x`, `xs[i].mu`, a callee's own local). */
  | { kind: 'unknown' };

export interface Place {
  root: Root;
  /** Field names after the root. */
  path: readonly string[];
  /** Instance key: equal keys name the same value at run time. Null for an unknown root. */
  key: string | null;
  /** Identity across the package: `F:T.f`, `V:name`, `L:file:offset`; null when not known. */
  id: string | null;
  type: TypeRef;
  /** As written at the use, for messages. */
  text: string;
}

const FUNC_TYPES = new Set(['func_literal', 'function_declaration', 'method_declaration']);

function nodeKey(n: SNode): string {
  return `${n.file.path}:${n.start}`;
}

const keyCache = new WeakMap<object, string>();

/** A string key per node or binding, made once. */
function cachedKey(holder: object, make: () => string): string {
  let k = keyCache.get(holder);
  if (k === undefined) keyCache.set(holder, (k = make()));
  return k;
}

export function rootKey(root: Root): string | null {
  switch (root.kind) {
    case 'recv':
      return cachedKey(root.binding, () => `r:${nodeKey(root.fn)}`);
    case 'param':
      return cachedKey(root.binding, () => `p${root.index}:${nodeKey(root.fn)}`);
    case 'var':
      return `v:${root.name}`;
    case 'local':
      return cachedKey(root.binding, () => `l:${nodeKey(root.binding.node)}`);
    case 'unknown':
      return null;
  }
}

/** The identity of a root itself (a path-less place). */
function rootId(root: Root, type: TypeRef): string | null {
  switch (root.kind) {
    case 'recv':
      return type.named ? `R:${type.named}` : null;
    case 'param':
    case 'local':
      return cachedKey(root.binding.node, () => `L:${nodeKey(root.binding.node)}`);
    case 'var':
      return `V:${root.name}`;
    case 'unknown':
      return null;
  }
}

export function makePlace(root: Root, path: readonly string[], id: string | null, type: TypeRef, text: string): Place {
  const rk = rootKey(root);
  return { root, path, key: rk === null ? null : path.length ? `${rk}.${path.join('.')}` : rk, id, type, text };
}

/** The struct of this package that declares `field` for a value of type `structName` (through one level of embedding). */
export function fieldOwner(pkg: GoPackage, structName: string | undefined, field: string): string | null {
  if (!structName) return null;
  const fields = pkg.structs.get(structName);
  if (!fields) return null;
  if (fields.has(field)) return structName;
  for (const t of fields.values()) {
    if (t.embedded && t.named && pkg.structs.get(t.named)?.has(field)) return t.named;
  }
  return null;
}

const paramIndexCache = new WeakMap<SNode, Map<SNode, number>>();

/** The position of a parameter's name node in its function's parameter list. */
function paramIndex(fn: SNode, nameNode: SNode): number {
  let map = paramIndexCache.get(fn);
  if (!map) {
    map = new Map();
    let i = 0;
    for (const decl of fn.child('parameters')?.namedChildren ?? []) {
      if (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration') continue;
      const names = decl.childrenOf('name');
      if (names.length === 0) i++;
      for (const n of names) map.set(n, i++);
    }
    paramIndexCache.set(fn, map);
  }
  return map.get(nameNode) ?? -1;
}

const reassignedCache = new WeakMap<Binding, boolean>();

/** Whether a local is assigned after its declaration, incremented, or has its address taken. */
export function reassigned(b: Binding, scope: FuncScope): boolean {
  let v = reassignedCache.get(b);
  if (v === undefined) {
    v = scope.references(b).some((r) => {
      if (r === b.node) return false;
      const p = r.parent;
      if (!p) return false;
      if (p.type === 'expression_list' && p.field === 'left') return true;
      if (p.type === 'inc_statement' || p.type === 'dec_statement') return true;
      return p.type === 'unary_expression' && p.child('operator')?.type === '&';
    });
    reassignedCache.set(b, v);
  }
  return v;
}

/** Expressions a local can copy and still be the same value. */
const ALIASABLE = new Set(['identifier', 'selector_expression', 'unary_expression', 'parenthesized_expression', 'call_expression']);

export interface PlaceContext {
  pkg: GoPackage;
  /** The same-package function a call names, if any (for accessors). */
  callee(call: SNode, scope: FuncScope): { fn: FuncInfo; recv: SNode | null } | null;
}

/** Places by package, then by expression: a place depends on the package's types (see scopeFor). */
const placeCache = new WeakMap<GoPackage, WeakMap<SNode, Place | null>>();

/** The place an expression names, or null when it names none (a literal, an index, another package's value). */
export function placeOf(expr: SNode | null, scope: FuncScope, ctx: PlaceContext, depth = 0): Place | null {
  if (!expr || depth > 6) return null;
  if (depth > 0) return computePlace(expr, scope, ctx, depth);
  let cache = placeCache.get(ctx.pkg);
  if (!cache) placeCache.set(ctx.pkg, (cache = new WeakMap()));
  let p = cache.get(expr);
  if (p === undefined) cache.set(expr, (p = computePlace(expr, scope, ctx, depth)));
  return p;
}

function computePlace(expr: SNode, scope: FuncScope, ctx: PlaceContext, depth: number): Place | null {
  switch (expr.type) {
    case 'parenthesized_expression':
      return placeOf(expr.namedChildren[0] ?? null, scope, ctx, depth + 1);
    case 'unary_expression': {
      const op = expr.child('operator')?.type;
      if (op !== '&' && op !== '*') return null;
      const inner = placeOf(expr.child('operand'), scope, ctx, depth + 1);
      return inner && { ...inner, text: expr.text };
    }
    case 'identifier':
      return identifierPlace(expr, scope, ctx, depth);
    case 'selector_expression': {
      const operand = expr.child('operand');
      const field = expr.child('field')?.text;
      if (!operand || !field) return null;
      if (operand.type === 'identifier' && scope.isPackageName(operand)) return null;
      const base = placeOf(operand, scope, ctx, depth + 1);
      const operandType = base?.type.named ? base.type : scope.typeOf(operand);
      const owner = fieldOwner(ctx.pkg, operandType.named, field);
      const type = owner ? (scope.fieldType(owner, field) ?? OTHER) : scope.typeOf(expr);
      const id = owner ? `F:${owner}.${field}` : null;
      return makePlace(base?.root ?? { kind: 'unknown' }, [...(base?.path ?? []), field], id, type, expr.text);
    }
    case 'call_expression':
      return resultPlace(expr, scope, ctx, depth);
    default:
      return null;
  }
}

function identifierPlace(id: SNode, scope: FuncScope, ctx: PlaceContext, depth: number): Place | null {
  const b = scope.resolve(id);
  if (!b) {
    if (scope.isPackageName(id)) return null;
    const v = ctx.pkg.vars.get(id.text);
    if (!v) return null;
    return makePlace({ kind: 'var', name: id.text }, [], `V:${id.text}`, scope.typeOf(id), id.text);
  }
  const type = scope.bindingType(b);
  if (b.declKind === 'receiver') {
    const fn = b.scope;
    const recvType = b.typeNode ? typeNameOf(b.typeNode.text) : undefined;
    const t: TypeRef = recvType ? { ...type, named: recvType, kind: type.kind === 'other' ? 'other' : type.kind } : type;
    return makePlace({ kind: 'recv', fn, binding: b }, [], rootId({ kind: 'recv', fn, binding: b }, t), t, id.text);
  }
  if (b.declKind === 'param' && FUNC_TYPES.has(b.scope.type)) {
    const root: Root = { kind: 'param', fn: b.scope, index: paramIndex(b.scope, b.node), binding: b };
    return makePlace(root, [], rootId(root, type), type, id.text);
  }
  if ((b.declKind === 'short' || b.declKind === 'var') && b.init && !b.typeNode) {
    // A copy of another place, never assigned again: that place.
    const copied =
      b.initIndex < 0 ? (ALIASABLE.has(b.init.type) ? placeOf(b.init, scope, ctx, depth + 1) : null) : b.init.type === 'call_expression' ? resultPlace(b.init, scope, ctx, depth + 1, b.initIndex) : null;
    if (copied && !reassigned(b, scope)) return { ...copied, text: id.text };
  }
  const root: Root = { kind: 'local', binding: b };
  return makePlace(root, [], rootId(root, type), type, id.text);
}

/** `*Server[T]` → `Server`. */
function typeNameOf(text: string): string {
  return text.replace(/^\*/, '').replace(/\[.*$/s, '').trim();
}

const returnCache = new WeakMap<FuncInfo, Array<Place | null | undefined>>();
const visiting = new Set<FuncInfo>();

/**
 * The place result `index` of a same-package call names: the callee returns the same place on
 * every return (an accessor, or a channel it makes), seen from the caller. The callee's receiver
 * and parameters become the call's receiver and arguments; its own locals keep their identity
 * under an unknown instance (every call makes a new one).
 */
function resultPlace(call: SNode, scope: FuncScope, ctx: PlaceContext, depth: number, index = 0): Place | null {
  const target = ctx.callee(call, scope);
  if (!target) return null;
  const inner = returnedPlace(target.fn, index, ctx);
  if (!inner) return null;
  const args = call.child('arguments')?.namedChildren ?? [];
  let base: Place | null = null;
  if (inner.root.kind === 'recv') base = target.recv ? placeOf(target.recv, scope, ctx, depth + 1) : null;
  else if (inner.root.kind === 'param') {
    if (target.fn.params[inner.root.index]?.variadic) return null;
    base = placeOf(args[inner.root.index] ?? null, scope, ctx, depth + 1);
  } else if (inner.root.kind === 'var') return { ...inner, text: call.text };
  else return makePlace({ kind: 'unknown' }, inner.path, inner.id, inner.type, call.text);
  if (!base) return makePlace({ kind: 'unknown' }, inner.path, inner.id, inner.type, call.text);
  // A path-less receiver or parameter returned as is: the argument's own place.
  if (inner.path.length === 0) return { ...base, text: call.text };
  return makePlace(base.root, [...base.path, ...inner.path], inner.id, inner.type, call.text);
}

/** The place a function returns at result `index` on every return statement, in its own terms. */
export function returnedPlace(fn: FuncInfo, index: number, ctx: PlaceContext): Place | null {
  let list = returnCache.get(fn);
  if (!list) returnCache.set(fn, (list = []));
  if (list[index] !== undefined) return list[index]!;
  if (!fn.body || fn.body.elided || visiting.has(fn)) return null;
  visiting.add(fn);
  let out: Place | null = null;
  try {
    const scope = scopeFor(fn.node, ctx.pkg);
    if (scope) out = commonReturn(fn, index, scope, ctx);
  } finally {
    visiting.delete(fn);
  }
  list[index] = out;
  return out;
}

function commonReturn(fn: FuncInfo, index: number, scope: FuncScope, ctx: PlaceContext): Place | null {
  let found: Place | null = null;
  let ok = true;
  fn.body!.walk((n) => {
    if (!ok || n.type === 'func_literal') return false;
    if (n.type !== 'return_statement') return undefined;
    const list = n.namedChildren[0]?.type === 'expression_list' ? n.namedChildren[0].namedChildren : n.namedChildren;
    const value = list[index];
    // A bare `return` with named results, or `return nil, err`: not the place.
    if (!value) {
      ok = false;
      return false;
    }
    if (value.type === 'nil') return false;
    const p = placeOf(value, scope, ctx, 1);
    if (!p || p.id === null || (found && (found.key !== p.key || found.id !== p.id))) ok = false;
    else found ??= p;
    return false;
  });
  return ok ? found : null;
}

/** The receiver or parameter roots of function `fn` (for substituting a callee's places at a call). */
export function isRootOf(root: Root, fn: SNode): boolean {
  return (root.kind === 'recv' || root.kind === 'param') && root.fn === fn;
}

/** The parameters of a function node (declaration or literal), in order. */
export function paramsOfNode(fn: SNode, pkg: GoPackage): ReturnType<typeof paramList> {
  const file = pkg.files.find((f) => f.file === fn.file);
  return file ? paramList(fn.child('parameters'), file) : [];
}
