// Name resolution and value kinds inside one function. Built once per top-level function (one
// walk records every declaration and every identifier by name), so each lookup only compares
// the few declarations of that name: no rule becomes quadratic in the size of a function.
import type { SNode } from './ast.js';
import type { FuncInfo, GoFile, GoPackage } from './package.js';
import { classifyTypeNode, importPathOf, OTHER, type TypeRef } from './types.js';

export type DeclKind = 'param' | 'result' | 'receiver' | 'var' | 'short' | 'range' | 'recv';

export interface Binding {
  name: string;
  /** The identifier that declares it. */
  node: SNode;
  /** The node whose extent is the binding's scope. */
  scope: SNode;
  declKind: DeclKind;
  /** An explicitly written type. */
  typeNode: SNode | null;
  /** The initialiser: the expression, or the call/range expression of a multi-value form. */
  init: SNode | null;
  /** For `a, b := f()`: which result this name takes. -1 when init is the value itself. */
  initIndex: number;
}

const SCOPE_TYPES = new Set([
  'block',
  'if_statement',
  'for_statement',
  'expression_switch_statement',
  'type_switch_statement',
  'communication_case',
  'expression_case',
  'type_case',
  'default_case',
  'func_literal',
  'function_declaration',
  'method_declaration',
]);

const FUNC_TYPES = ['func_literal', 'function_declaration', 'method_declaration'];

function scopeOfDecl(node: SNode): SNode {
  for (let p = node.parent; p; p = p.parent) if (SCOPE_TYPES.has(p.type)) return p;
  return node.file === node.parent?.file ? node : node;
}

export class FuncScope {
  readonly bindings: Binding[] = [];
  private readonly byName = new Map<string, Binding[]>();
  private readonly identsByName = new Map<string, SNode[]>();
  /** Answers already worked out: rules and the model ask about the same identifiers and bindings many times. */
  private readonly resolved = new Map<SNode, Binding | null>();
  private readonly bindingTypes = new Map<Binding, TypeRef>();

  constructor(
    /** The top-level function_declaration / method_declaration (or a package-level func_literal). */
    readonly root: SNode,
    readonly pkg: GoPackage,
    readonly file: GoFile,
  ) {
    root.walk((n) => {
      switch (n.type) {
        case 'identifier': {
          let list = this.identsByName.get(n.text);
          if (!list) this.identsByName.set(n.text, (list = []));
          list.push(n);
          break;
        }
        case 'function_declaration':
        case 'method_declaration':
        case 'func_literal':
          this.addParams(n.child('receiver'), n, 'receiver');
          this.addParams(n.child('parameters'), n, 'param');
          if (n.child('result')?.type === 'parameter_list') this.addParams(n.child('result'), n, 'result');
          break;
        case 'short_var_declaration':
          this.addAssigned(n.child('left'), n.child('right'), scopeOfDecl(n), 'short');
          break;
        case 'var_declaration':
          for (const spec of n.findAll('var_spec')) {
            const names = spec.childrenOf('name');
            const values = spec.child('value')?.namedChildren ?? [];
            names.forEach((id, i) =>
              this.add({
                name: id.text,
                node: id,
                scope: scopeOfDecl(n),
                declKind: 'var',
                typeNode: spec.child('type'),
                init: values.length === names.length ? values[i]! : values.length === 1 ? values[0]! : null,
                initIndex: values.length === names.length ? -1 : i,
              }),
            );
          }
          break;
        case 'range_clause':
          if (n.children.some((c) => c.type === ':=')) {
            const ids = n.child('left')?.namedChildren ?? [];
            ids.forEach((id, i) =>
              this.add({ name: id.text, node: id, scope: n.parent ?? n, declKind: 'range', typeNode: null, init: n.child('right'), initIndex: i }),
            );
          }
          break;
        case 'receive_statement':
          if (n.children.some((c) => c.type === ':=')) {
            const ids = n.child('left')?.namedChildren ?? [];
            ids.forEach((id, i) =>
              this.add({ name: id.text, node: id, scope: n.parent ?? n, declKind: 'recv', typeNode: null, init: n.child('right'), initIndex: i }),
            );
          }
          break;
      }
    });
  }

  private add(b: Binding): void {
    if (b.name === '_' || b.node.type !== 'identifier') return;
    this.bindings.push(b);
    let list = this.byName.get(b.name);
    if (!list) this.byName.set(b.name, (list = []));
    list.push(b);
  }

  private addParams(list: SNode | null, fn: SNode, declKind: DeclKind): void {
    if (!list) return;
    for (const decl of list.namedChildren) {
      const typeNode = decl.child('type');
      for (const id of decl.childrenOf('name')) this.add({ name: id.text, node: id, scope: fn, declKind, typeNode, init: null, initIndex: -1 });
    }
  }

  private addAssigned(left: SNode | null, right: SNode | null, scope: SNode, declKind: DeclKind): void {
    const ids = left?.namedChildren ?? [];
    const values = right?.namedChildren ?? [];
    ids.forEach((id, i) => {
      const oneToOne = values.length === ids.length;
      this.add({
        name: id.text,
        node: id,
        scope,
        declKind,
        typeNode: null,
        init: oneToOne ? values[i]! : (values[0] ?? null),
        initIndex: oneToOne ? -1 : i,
      });
    });
  }

  /** The local binding an identifier refers to (or declares), or null for package-level names. */
  resolve(ident: SNode): Binding | null {
    const candidates = this.byName.get(ident.text);
    if (!candidates) return null;
    const known = this.resolved.get(ident);
    if (known !== undefined) return known;
    const best = this.resolveAmong(candidates, ident);
    this.resolved.set(ident, best);
    return best;
  }

  private resolveAmong(candidates: Binding[], ident: SNode): Binding | null {
    let best: Binding | null = null;
    for (const b of candidates) {
      if (b.node === ident) return b;
      if (!b.scope.contains(ident)) continue;
      const visibleEarly = b.declKind === 'param' || b.declKind === 'receiver' || b.declKind === 'result';
      if (!visibleEarly && b.node.start > ident.start) continue;
      // A short variable declaration's own right-hand side still sees the outer name.
      if (!visibleEarly && b.init && b.init.contains(ident) && b.declKind !== 'range') continue;
      if (!best || b.scope.start > best.scope.start || (b.scope.start === best.scope.start && b.node.start > best.node.start)) best = b;
    }
    return best;
  }

  /** Every identifier in this function that refers to the binding (its declaration included). */
  references(b: Binding): SNode[] {
    return (this.identsByName.get(b.name) ?? []).filter((id) => this.resolve(id) === b);
  }

  /** Identifiers in this function with this name that are not local (package-level references). */
  packageReferences(name: string): SNode[] {
    return (this.identsByName.get(name) ?? []).filter((id) => this.resolve(id) === null);
  }

  /** True when an identifier names an imported package here (and no local shadows it). */
  isPackageName(ident: SNode): boolean {
    return ident.type === 'identifier' && importPathOf(ident.text, this.file) !== null && this.resolve(ident) === null;
  }

  /** The kind of value an expression holds. */
  typeOf(expr: SNode | null, depth = 0): TypeRef {
    if (!expr || depth > 8) return OTHER;
    switch (expr.type) {
      case 'identifier': {
        const b = this.resolve(expr);
        if (b) return this.bindingType(b, depth);
        const v = this.pkg.vars.get(expr.text);
        if (v) return v.type ?? (v.init ? this.typeOf(v.init, depth + 1) : OTHER);
        return OTHER;
      }
      case 'parenthesized_expression':
        return this.typeOf(expr.namedChildren[0] ?? null, depth + 1);
      case 'unary_expression': {
        const op = expr.child('operator')?.type;
        const operand = expr.child('operand');
        if (op === '&') return { ...this.typeOf(operand, depth + 1), pointer: true };
        // `<-ch` gives the channel's element.
        if (op === '<-') {
          const t = this.typeOf(operand, depth + 1);
          return t.kind === 'chan' ? this.elemType(t) : OTHER;
        }
        return OTHER;
      }
      case 'composite_literal': {
        const t = expr.child('type');
        return t ? classifyTypeNode(t, this.file) : OTHER;
      }
      case 'type_assertion_expression':
      case 'type_conversion_expression': {
        const t = expr.child('type');
        return t ? classifyTypeNode(t, this.file) : OTHER;
      }
      case 'selector_expression':
        return this.selectorType(expr, depth);
      case 'index_expression':
        return this.elementOf(this.typeOf(expr.child('operand'), depth + 1));
      case 'call_expression':
        return this.callResult(expr, 0, depth);
      case 'func_literal':
        return { kind: 'func', text: 'func', pointer: false };
      default:
        return OTHER;
    }
  }

  /** The type of a binding, from its written type, its initialiser or its multi-value source. */
  bindingType(b: Binding, depth = 0): TypeRef {
    const known = this.bindingTypes.get(b);
    if (known) return known;
    const t = this.computeBindingType(b, depth);
    // A type worked out from the top is complete; one cut short by the depth bound is not kept.
    if (depth === 0) this.bindingTypes.set(b, t);
    return t;
  }

  private computeBindingType(b: Binding, depth: number): TypeRef {
    if (b.typeNode) return classifyTypeNode(b.typeNode, this.file);
    if (b.declKind === 'receiver') return OTHER;
    if (!b.init) return OTHER;
    if (b.declKind === 'range') {
      // `for v := range ch` gives the channel's elements (a ticker's C gives times).
      const t = this.typeOf(b.init, depth + 1);
      if (t.kind === 'chan') return b.initIndex === 0 ? this.elemType(t) : OTHER;
      // `for _, c := range clients` over a slice, array or map of the package's structs (or of
      // channels): the value is an element, so `close(c.send)` closes the field of that type.
      return b.initIndex === 1 ? this.elementOf(t) : OTHER;
    }
    if (b.declKind === 'recv') return b.initIndex === 0 ? this.typeOf(b.init, depth + 1) : OTHER;
    if (b.initIndex >= 0 && b.init.type === 'call_expression') return this.callResult(b.init, b.initIndex, depth + 1);
    return this.typeOf(b.init, depth + 1);
  }

  /**
   * The element of a slice, array or map type, as far as its text tells (a package type or a
   * channel). Ranges and index expressions both give elements, so both see the same fields.
   */
  private elementOf(t: TypeRef): TypeRef {
    const elem = /^(?:\[[^\]]*\]|map\[[^\]]*\])\s*(.+)$/.exec(t.text.trim());
    return elem ? this.elemType({ ...t, elem: elem[1]! }) : OTHER;
  }

  /** The element type of a channel type, as far as its text tells: a package type or a channel. */
  private elemType(chan: TypeRef): TypeRef {
    const text = (chan.elem ?? '').trim();
    if (/^(<-\s*)?chan\b/.test(text)) return { kind: 'chan', text, pointer: false, dir: text.startsWith('<-') ? 'recv' : /^chan\s*<-/.test(text) ? 'send' : 'both', elem: text.replace(/^(<-\s*)?chan\s*(<-)?\s*/, '') };
    const m = /^(\*?)([A-Za-z_]\w*)$/.exec(text);
    if (m && (this.pkg.structs.has(m[2]!) || this.pkg.namedTypes.has(m[2]!))) return { kind: 'other', text, pointer: m[1] === '*', named: m[2]! };
    return OTHER;
  }

  private selectorType(expr: SNode, depth: number): TypeRef {
    const operand = expr.child('operand');
    const field = expr.child('field')?.text ?? '';
    if (!operand) return OTHER;
    if (operand.type === 'identifier' && this.isPackageName(operand)) {
      const path = importPathOf(operand.text, this.file);
      if (path === 'net/http' && field === 'DefaultClient') return { kind: 'http-client', text: 'http.DefaultClient', pointer: true };
      return OTHER;
    }
    const base = this.typeOf(operand, depth + 1);
    if ((base.kind === 'ticker' || base.kind === 'timer') && field === 'C') return { kind: 'chan', text: '<-chan time.Time', pointer: false, dir: 'recv', elem: 'time.Time' };
    // A Cond's Locker: `c.L.Lock()`.
    if (base.kind === 'cond' && field === 'L') return { kind: 'mutex', text: 'sync.Locker', pointer: false };
    if (base.named) return this.fieldType(base.named, field) ?? OTHER;
    return OTHER;
  }

  /** The type of a field of a struct declared in this package, looking one level into embedded structs. */
  fieldType(structName: string, field: string): TypeRef | null {
    const fields = this.pkg.structs.get(structName);
    if (!fields) return null;
    const direct = fields.get(field);
    if (direct) return direct;
    for (const t of fields.values()) {
      if (t.embedded && t.named) {
        const inner = this.pkg.structs.get(t.named)?.get(field);
        if (inner) return inner;
      }
    }
    return null;
  }

  /** The type of result `index` of a call. */
  callResult(call: SNode, index: number, depth = 0): TypeRef {
    const fn = call.child('function');
    if (!fn) return OTHER;
    const args = call.child('arguments')?.namedChildren ?? [];
    if (fn.type === 'identifier' && this.resolve(fn) === null) {
      if (fn.text === 'make' || fn.text === 'new') {
        const t = args[0];
        if (!t) return OTHER;
        const ref = classifyTypeNode(t, this.file);
        return fn.text === 'new' ? { ...ref, pointer: true } : ref;
      }
      const f = this.pkg.funcs.get(fn.text);
      return f?.results[index] ?? OTHER;
    }
    if (fn.type === 'selector_expression') {
      const operand = fn.child('operand');
      const name = fn.child('field')?.text ?? '';
      if (operand?.type === 'identifier' && this.isPackageName(operand)) {
        return stdlibCallResult(importPathOf(operand.text, this.file)!, name, index);
      }
      const recv = this.typeOf(operand, depth + 1);
      if (recv.kind === 'context' && name === 'Done') return RECV_CHAN('struct{}');
      if (recv.kind === 'listener' && name === 'Accept') return index === 0 ? CONN : ERROR;
      if (recv.named) {
        const m = this.pkg.funcs.get(`${recv.named}.${name}`);
        if (m) return m.results[index] ?? OTHER;
      }
      return OTHER;
    }
    if (fn.type === 'func_literal') {
      const result = fn.child('result');
      if (!result) return OTHER;
      if (result.type !== 'parameter_list') return index === 0 ? classifyTypeNode(result, this.file) : OTHER;
      const types = result.namedChildren.flatMap((d) => Array(Math.max(1, d.childrenOf('name').length)).fill(d.child('type')));
      const t = types[index];
      return t ? classifyTypeNode(t, this.file) : OTHER;
    }
    return OTHER;
  }
}

const CONN: TypeRef = { kind: 'conn', text: 'net.Conn', pointer: false };
const ERROR: TypeRef = { kind: 'error', text: 'error', pointer: false };
const CONTEXT: TypeRef = { kind: 'context', text: 'context.Context', pointer: false };
const CANCEL: TypeRef = { kind: 'cancel', text: 'context.CancelFunc', pointer: false };
const RECV_CHAN = (elem: string): TypeRef => ({ kind: 'chan', text: `<-chan ${elem}`, pointer: false, dir: 'recv', elem });

/** Result kinds of the standard-library calls the rules care about. */
function stdlibCallResult(importPath: string, name: string, index: number): TypeRef {
  switch (importPath) {
    case 'context':
      if (/^With(Cancel|Timeout|Deadline)(Cause)?$/.test(name)) return index === 0 ? CONTEXT : CANCEL;
      if (/^(Background|TODO|WithValue|WithoutCancel)$/.test(name)) return index === 0 ? CONTEXT : OTHER;
      return OTHER;
    case 'time':
      if (name === 'NewTicker') return { kind: 'ticker', text: '*time.Ticker', pointer: true };
      if (name === 'NewTimer' || name === 'AfterFunc') return { kind: 'timer', text: '*time.Timer', pointer: true };
      if (name === 'After' || name === 'Tick') return RECV_CHAN('time.Time');
      return OTHER;
    case 'net':
      if (name === 'Pipe') return CONN;
      if (/^Dial/.test(name)) return index === 0 ? CONN : ERROR;
      if (/^Listen/.test(name)) return index === 0 ? { kind: 'listener', text: 'net.Listener', pointer: false } : ERROR;
      return OTHER;
    case 'crypto/tls':
      if (/^Dial/.test(name)) return index === 0 ? CONN : ERROR;
      return OTHER;
    case 'sync':
      if (name === 'NewCond') return { kind: 'cond', text: '*sync.Cond', pointer: true };
      return OTHER;
    case 'io':
      if (name === 'Pipe') return index === 0 ? { kind: 'pipe-reader', text: '*io.PipeReader', pointer: true } : { kind: 'pipe-writer', text: '*io.PipeWriter', pointer: true };
      return OTHER;
    default:
      return OTHER;
  }
}

/** The enclosing function (declaration or literal) of a node, or null at package level. */
export function enclosingFunction(node: SNode): SNode | null {
  return node.ancestor(...FUNC_TYPES);
}

/** The outermost enclosing function declaration (or package-level literal) of a node. */
export function outermostFunction(node: SNode): SNode | null {
  let outer: SNode | null = null;
  for (let p = node.parent; p; p = p.parent) if (FUNC_TYPES.includes(p.type)) outer = p;
  return outer;
}

/**
 * Scopes by package, then by function node: a scope reads the package's declarations, and the
 * language server builds a package again around the unchanged files' very nodes.
 */
const scopeCache = new WeakMap<GoPackage, WeakMap<SNode, FuncScope>>();

/** The (cached) FuncScope of the outermost function around `node`, or of `node` itself. */
export function scopeFor(node: SNode, pkg: GoPackage): FuncScope | null {
  const root = FUNC_TYPES.includes(node.type) && !outermostFunction(node) ? node : outermostFunction(node);
  if (!root) return null;
  let scopes = scopeCache.get(pkg);
  if (!scopes) scopeCache.set(pkg, (scopes = new WeakMap()));
  let s = scopes.get(root);
  if (!s) {
    const file = pkg.files.find((f) => f.file === root.file);
    if (!file) return null;
    s = new FuncScope(root, pkg, file);
    scopes.set(root, s);
  }
  return s;
}

/** The FuncScope of a declared function. */
export function scopeOfFunc(fn: FuncInfo, pkg: GoPackage): FuncScope {
  return scopeFor(fn.node, pkg)!;
}

/**
 * A stable textual key for an expression that names a place: `ch`, `s.done`, `w.pool.jobs`.
 * Whitespace is dropped; null for anything that is not an identifier/selector chain.
 */
export function placeKey(expr: SNode | null): string | null {
  if (!expr) return null;
  if (expr.type === 'identifier' || expr.type === 'field_identifier') return expr.text;
  if (expr.type === 'parenthesized_expression') return placeKey(expr.namedChildren[0] ?? null);
  if (expr.type === 'selector_expression') {
    const base = placeKey(expr.child('operand'));
    const field = expr.child('field')?.text;
    return base && field ? `${base}.${field}` : null;
  }
  if (expr.type === 'unary_expression' && expr.child('operator')?.type === '*') return placeKey(expr.child('operand'));
  return null;
}
