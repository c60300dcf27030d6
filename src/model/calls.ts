// Which same-package code a call runs: a function, a method (also through an embedded struct),
// a func literal called on the spot or kept in a local, a method value kept in a local
// (`run := s.loop`), or, for a method of an interface type the package declares, the package's
// implementations of it when there are few (MAX_IMPLEMENTATIONS).
import type { SNode } from '../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../gosrc/package.js';
import type { FuncScope } from '../gosrc/scope.js';
import { reassigned } from './places.js';

/** Go's builtin functions: a call of one is never a call of the package's function of that name. */
export const BUILTINS: ReadonlySet<string> = new Set(['close', 'len', 'cap', 'append', 'make', 'new', 'panic', 'print', 'println', 'copy', 'delete', 'recover', 'min', 'max', 'clear', 'complex', 'real', 'imag']);

/** More implementations than this and an interface call is left unresolved. */
export const MAX_IMPLEMENTATIONS = 3;

export interface ResolvedCall {
  /** Function nodes the call may run: declarations or literals. */
  targets: Array<{ node: SNode; info: FuncInfo | null }>;
  /** The receiver expression of a method call (`s` in `s.loop()`, `s.hb` in `s.hb.run()`). */
  recv: SNode | null;
  /** Fields between the receiver expression and the method's own receiver (promoted methods). */
  recvPath: string[];
  kind: 'function' | 'method' | 'interface' | 'literal' | 'local';
}

const implCache = new WeakMap<GoPackage, Map<string, FuncInfo[][]>>();

/** The package's types that have every method of interface `iface`, as their method `name`. */
export function implementations(pkg: GoPackage, iface: string, name: string): FuncInfo[] {
  let byIface = implCache.get(pkg);
  if (!byIface) implCache.set(pkg, (byIface = new Map()));
  const methods = pkg.interfaces.get(iface);
  if (!methods || !methods.has(name)) return [];
  let types = byIface.get(iface);
  if (!types) {
    types = [];
    const receivers = new Set<string>();
    for (const f of pkg.funcs.values()) if (f.receiver) receivers.add(f.receiver.typeName);
    for (const t of receivers) {
      if ([...methods].every((m) => m.startsWith('embed:') || pkg.funcs.has(`${t}.${m}`))) types.push([...methods].filter((m) => !m.startsWith('embed:')).map((m) => pkg.funcs.get(`${t}.${m}`)!));
    }
    byIface.set(iface, types);
  }
  const names = [...methods].filter((m) => !m.startsWith('embed:'));
  const at = names.indexOf(name);
  return types.map((list) => list[at]!).filter((f) => f !== undefined);
}

/** The code a call expression (or the call of a go/defer statement) runs, when the package has it. */
export function resolveCall(call: SNode, scope: FuncScope, pkg: GoPackage): ResolvedCall | null {
  const fn = call.child('function');
  if (!fn) return null;
  return resolveCallee(fn, scope, pkg, 0);
}

function resolveCallee(fn: SNode, scope: FuncScope, pkg: GoPackage, depth: number): ResolvedCall | null {
  if (depth > 3) return null;
  switch (fn.type) {
    case 'parenthesized_expression':
      return resolveCallee(fn.namedChildren[0]!, scope, pkg, depth + 1);
    case 'func_literal':
      return { targets: [{ node: fn, info: null }], recv: null, recvPath: [], kind: 'literal' };
    case 'identifier': {
      const b = scope.resolve(fn);
      if (!b) {
        if (BUILTINS.has(fn.text)) return null;
        const info = pkg.funcs.get(fn.text);
        return info ? { targets: [{ node: info.node, info }], recv: null, recvPath: [], kind: 'function' } : null;
      }
      // A local holding a func literal, a method value or a function: `run := s.loop; go run()`.
      if ((b.declKind !== 'short' && b.declKind !== 'var') || b.initIndex >= 0 || !b.init || reassigned(b, scope)) return null;
      const init = b.init;
      if (init.type === 'func_literal') return { targets: [{ node: init, info: null }], recv: null, recvPath: [], kind: 'local' };
      if (init.type === 'identifier' || init.type === 'selector_expression') {
        const r = resolveCallee(init, scope, pkg, depth + 1);
        return r && r.kind !== 'interface' ? { ...r, kind: 'local' } : null;
      }
      return null;
    }
    case 'selector_expression': {
      const operand = fn.child('operand');
      const name = fn.child('field')?.text;
      if (!operand || !name) return null;
      if (operand.type === 'identifier' && scope.isPackageName(operand)) return null;
      const t = scope.typeOf(operand);
      if (!t.named) return null;
      const direct = pkg.funcs.get(`${t.named}.${name}`);
      if (direct) return { targets: [{ node: direct.node, info: direct }], recv: operand, recvPath: [], kind: 'method' };
      if (pkg.interfaces.has(t.named)) {
        const impls = implementations(pkg, t.named, name);
        if (impls.length === 0 || impls.length > MAX_IMPLEMENTATIONS) return null;
        return { targets: impls.map((i) => ({ node: i.node, info: i })), recv: operand, recvPath: [], kind: 'interface' };
      }
      // A method promoted from an embedded struct of this package.
      for (const [field, ft] of pkg.structs.get(t.named) ?? []) {
        if (!ft.embedded || !ft.named) continue;
        const promoted = pkg.funcs.get(`${ft.named}.${name}`);
        if (promoted) return { targets: [{ node: promoted.node, info: promoted }], recv: operand, recvPath: [field], kind: 'method' };
      }
      return null;
    }
    default:
      return null;
  }
}
