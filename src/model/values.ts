// The package-wide value model every rule reads: one walk over the package's function bodies
// records, for each channel, mutex, WaitGroup, Cond, cancel func, timer and conn (by its Place),
// where it is created and every operation on it; every same-package call with its arguments'
// places; every function literal and how it is used (started, deferred, called, kept, handed
// out); every goroutine start. Built once per package on first use and cached.
import type { SNode } from '../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../gosrc/package.js';
import { scopeFor, type FuncScope } from '../gosrc/scope.js';
import { classifyTypeNode, importPathOf, type ValueKind } from '../gosrc/types.js';
import { BUILTINS, resolveCall, type ResolvedCall } from './calls.js';
import { foldInt } from './consts.js';
import { placeOf, reassigned, type Place, type PlaceContext } from './places.js';

export type ChanOpKind = 'send' | 'recv' | 'range' | 'close' | 'len';
export type LockOpKind = 'lock' | 'unlock' | 'rlock' | 'runlock' | 'trylock' | 'tryrlock';
export type OpKind =
  | ChanOpKind
  | LockOpKind
  /** WaitGroup */
  | 'add'
  | 'done'
  | 'wait'
  | 'wggo'
  /** Cond */
  | 'cwait'
  | 'signal'
  | 'broadcast'
  /** a cancel func (or a func-typed value: 'call') called */
  | 'cancel'
  | 'call'
  /** timers and tickers */
  | 'stop'
  | 'reset'
  /** conns, listeners, pipes */
  | 'closeio'
  | 'deadline'
  | 'read'
  /** handed to code the model cannot follow */
  | 'escape';

export type EscapeKind = 'arg' | 'returned' | 'stored' | 'sent' | 'address';

export interface Op {
  kind: OpKind;
  place: Place;
  /** The expression naming the value at this use. */
  ref: SNode;
  /** send_statement, the `<-x` unary_expression, the for_statement of a range, or the call_expression. */
  node: SNode;
  /** The innermost function (declaration or literal) whose own code holds the operation. */
  fn: SNode;
  /** A `defer` statement's call (`defer mu.Unlock()`, `defer close(ch)`). */
  deferred: boolean;
  /** For a send or receive that is a select case: the select statement. */
  select: SNode | null;
  /** A select case with a default or another receive case: the operation can give up. */
  cancellable: boolean;
  /** `v, ok := <-ch`. */
  twoValue: boolean;
  escape?: EscapeKind;
  /** For an escape by copy into another place (`s.ch = ch`): that place's identity. */
  into?: string;
  /** A send the runtime makes (signal.Notify(ch, ...)). */
  external?: boolean;
}

export interface Capacity {
  /** The capacity expression as written; null when the make has none (unbuffered). */
  text: string | null;
  /** The value when it folds to a constant (0 for unbuffered), else null. */
  value: number | null;
}

export type CreationKind = 'make' | 'ctor' | 'nil' | 'copy' | 'func' | 'other';

export interface Creation {
  /** Where the value is stored. */
  place: Place;
  /** The value expression: `make(chan T, n)`, `time.NewTicker(d)`, `nil`, a literal, a call... */
  value: SNode;
  kind: CreationKind;
  capacity: Capacity | null;
  /** The function whose code stores it; null at package level. */
  fn: SNode | null;
  /** Under an if, switch, select or loop of that function (or in a func literal of it). */
  conditional: boolean;
}

export type LiteralUse = 'decl' | 'go' | 'defer' | 'call' | 'do' | 'local' | 'value';

export interface FuncNode {
  /** function_declaration, method_declaration or func_literal. */
  node: SNode;
  info: FuncInfo | null;
  body: SNode | null;
  scope: FuncScope;
  /** The function a literal sits in. */
  parent: FuncNode | null;
  /** How a literal is used: started by go, deferred, called on the spot, run by once.Do, kept in a local, or handed out. */
  use: LiteralUse;
  /** For `use: 'go'`: the go statement (or the `g.Go(...)` call of an errgroup-style starter). */
  start: SNode | null;
  calls: CallSite[];
  ops: Op[];
}

export interface CallSite {
  node: SNode;
  /** The innermost function whose own code makes the call. */
  fn: SNode;
  resolved: ResolvedCall | null;
  argNodes: SNode[];
  /** The place argument `i` names (null when it names none); computed on first use. */
  arg(i: number): Place | null;
  /** The place of the receiver a method runs on (the receiver expression, plus promoted fields). */
  recv(): Place | null;
  /** The go statement when this is its call. */
  go: SNode | null;
  deferred: boolean;
}

export interface ValueModel {
  pkg: GoPackage;
  ops: Op[];
  creations: Creation[];
  calls: CallSite[];
  functions: Map<SNode, FuncNode>;
  /** Every go statement of the package, with its call (resolved or not). */
  goCalls: CallSite[];
  /** Struct types built by a positional composite literal somewhere (every field set). */
  positional: Set<string>;
  /** The canonical identity of an id (a local made and stored into a field is that field). */
  canon(id: string): string;
  opsOf(id: string): Op[];
  creationsOf(id: string): Creation[];
  /** Calls whose targets include this function node. */
  callersOf(fn: SNode): CallSite[];
  /** Calls that pass a value of identity `id` (a channel, lock, WaitGroup...) as argument `index`. */
  sitesPassing(id: string): Array<{ site: CallSite; index: number }>;
  /** The FuncNode of a function node, or of the innermost function around a node. */
  funcAround(node: SNode): FuncNode | null;
  placeContext: PlaceContext;
}

/** Value kinds whose places the model records operations and escapes for. */
export const TRACKED_KINDS: ReadonlySet<ValueKind> = new Set<ValueKind>(['chan', 'mutex', 'rwmutex', 'waitgroup', 'cond', 'cancel', 'ticker', 'timer', 'conn', 'listener', 'pipe-reader', 'pipe-writer']);

const METHOD_OPS: Partial<Record<ValueKind, Record<string, OpKind>>> = {
  mutex: { Lock: 'lock', Unlock: 'unlock', TryLock: 'trylock' },
  rwmutex: { Lock: 'lock', Unlock: 'unlock', TryLock: 'trylock', RLock: 'rlock', RUnlock: 'runlock', TryRLock: 'tryrlock' },
  waitgroup: { Add: 'add', Done: 'done', Wait: 'wait', Go: 'wggo' },
  cond: { Wait: 'cwait', Signal: 'signal', Broadcast: 'broadcast' },
  ticker: { Stop: 'stop', Reset: 'reset' },
  timer: { Stop: 'stop', Reset: 'reset' },
  conn: { Close: 'closeio', CloseRead: 'closeio', SetDeadline: 'deadline', SetReadDeadline: 'deadline', Read: 'read' },
  listener: { Close: 'closeio', Accept: 'read' },
  'pipe-reader': { Close: 'closeio', CloseWithError: 'closeio', Read: 'read' },
  'pipe-writer': { Close: 'closeio', CloseWithError: 'closeio' },
};

/** Every method name METHOD_OPS knows: a cheap test before typing an operand. */
const TRACKED_METHODS: ReadonlySet<string> = new Set(Object.values(METHOD_OPS).flatMap((m) => Object.keys(m ?? {})));

/** Field names of stored funcs whose calls matter (a cancel func kept in a struct). */
const STOP_LIKE = /cancel|stop|done|close|quit|shutdown|release|finish|unlock/i;

const SYNC_KINDS = new Set<ValueKind>(['mutex', 'rwmutex', 'waitgroup', 'cond']);

/** Standard-library calls whose result is a value the model tracks, by "importpath.Name". */
const CONSTRUCTORS = /^(time\.(NewTicker|NewTimer|AfterFunc)|context\.With(Cancel|Timeout|Deadline)(Cause)?|net\.(Dial\w*|Listen\w*|Pipe)|crypto\/tls\.(Dial\w*|Listen)|io\.Pipe|sync\.NewCond)$/;

const cache = new WeakMap<GoPackage, ValueModel>();

/** The value model of a package (built on first use). */
export function valueModel(pkg: GoPackage): ValueModel {
  let m = cache.get(pkg);
  if (!m) cache.set(pkg, (m = buildModel(pkg)));
  return m;
}

const CONDITIONAL = new Set(['if_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement', 'for_statement', 'communication_case', 'expression_case', 'type_case', 'default_case']);

function buildModel(pkg: GoPackage): ValueModel {
  const ops: Op[] = [];
  const creations: Creation[] = [];
  const calls: CallSite[] = [];
  const functions = new Map<SNode, FuncNode>();
  const positional = new Set<string>();
  const parentOf = new Map<string, string>();
  const canon = (id: string): string => {
    let cur = id;
    for (let next = parentOf.get(cur); next !== undefined; next = parentOf.get(cur)) cur = next;
    return cur;
  };
  const union = (a: string, b: string): void => {
    const ra = canon(a);
    const rb = canon(b);
    // The field (or package variable) wins: it is the name rules report.
    if (ra === rb) return;
    if (ra.startsWith('L:')) parentOf.set(ra, rb);
    else parentOf.set(rb, ra);
  };
  const funcsByNode = new Map<SNode, FuncInfo>();
  for (const f of pkg.funcs.values()) funcsByNode.set(f.node, f);

  const placeContext: PlaceContext = {
    pkg,
    callee: (call, scope) => {
      const r = resolveCall(call, scope, pkg);
      const t = r && r.targets.length === 1 ? r.targets[0]! : null;
      if (!r || !t?.info || r.recvPath.length > 0) return null;
      return { fn: t.info, recv: r.recv };
    },
  };
  const place = (expr: SNode | null, scope: FuncScope): Place | null => placeOf(expr, scope, placeContext);

  const walker = new Walker(pkg, ops, creations, calls, functions, positional, union, place);
  for (const file of pkg.files) {
    for (const decl of file.root.children) {
      if (decl.type === 'function_declaration' || decl.type === 'method_declaration') {
        const body = decl.child('body');
        // A body the scanner did not copy has nothing to walk: its scope is built only if asked.
        const fnNode: FuncNode = {
          node: decl,
          info: funcsByNode.get(decl) ?? null,
          body,
          get scope() {
            const scope = scopeFor(decl, pkg)!;
            Object.defineProperty(this, 'scope', { value: scope });
            return scope;
          },
          parent: null,
          use: 'decl',
          start: null,
          calls: [],
          ops: [],
        };
        functions.set(decl, fnNode);
        if (body && !body.elided) walker.walkBody(body, fnNode);
      } else if (decl.type === 'var_declaration') {
        walker.walkPackageVars(decl, file);
      }
    }
  }
  // A func-typed field called (`go s.run()`) runs what was stored in it.
  const storedFuncs = new Map<string, Creation[]>();
  for (const c of creations) if (c.kind === 'func' && c.place.id) storedFuncs.set(c.place.id, [...(storedFuncs.get(c.place.id) ?? []), c]);
  for (const site of calls) {
    if (site.resolved) continue;
    const callee = site.node.child('function');
    if (callee?.type !== 'selector_expression') continue;
    const fnNode = functions.get(site.fn);
    const p = fnNode ? place(callee, fnNode.scope) : null;
    const stored = p?.id ? storedFuncs.get(p.id) : undefined;
    if (!stored || stored.length > 3) continue;
    const targets: ResolvedCall['targets'] = [];
    for (const c of stored) {
      const scope = scopeFor(c.value, pkg);
      const r = scope ? storedTarget(c.value, scope, pkg) : null;
      if (!r) {
        targets.length = 0;
        break;
      }
      targets.push(...r.targets);
    }
    // The receiver the method value was taken from is not this call's: its receiver is unknown.
    if (targets.length > 0) site.resolved = { targets, recv: null, recvPath: [], kind: 'local' };
  }

  const opsById = byIdentity(ops, canon);
  const creationsById = byIdentity(creations, canon);
  const callers = new Map<SNode, CallSite[]>();
  for (const site of calls) {
    for (const t of site.resolved?.targets ?? []) {
      let list = callers.get(t.node);
      if (!list) callers.set(t.node, (list = []));
      list.push(site);
    }
  }
  const FUNC_TYPES = ['func_literal', 'function_declaration', 'method_declaration'];
  let passing: Map<string, Array<{ site: CallSite; index: number }>> | null = null;
  const sitesPassing = (id: string) => {
    if (!passing) {
      passing = new Map();
      for (const site of calls) {
        const scope = functions.get(site.fn)?.scope;
        if (!scope) continue;
        site.argNodes.forEach((a, index) => {
          if (!TRACKED_KINDS.has(scope.typeOf(a).kind)) return;
          const p = site.arg(index);
          if (!p?.id) return;
          const key = canon(p.id);
          const list = passing!.get(key) ?? [];
          list.push({ site, index });
          passing!.set(key, list);
        });
      }
    }
    return passing.get(canon(id)) ?? [];
  };
  return {
    pkg,
    ops,
    creations,
    calls,
    functions,
    goCalls: calls.filter((c) => c.go !== null),
    positional,
    canon,
    opsOf: (id) => opsById.get(canon(id)) ?? [],
    creationsOf: (id) => creationsById.get(canon(id)) ?? [],
    callersOf: (fn) => callers.get(fn) ?? [],
    sitesPassing,
    funcAround: (node) => {
      for (let p: SNode | null = node; p; p = p.parent) if (FUNC_TYPES.includes(p.type)) return functions.get(p) ?? null;
      return null;
    },
    placeContext,
  };
}

/** Items grouped by the canonical identity of their place. */
function byIdentity<T extends { place: Place }>(items: T[], canon: (id: string) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    if (!item.place.id) continue;
    const id = canon(item.place.id);
    let list = out.get(id);
    if (!list) out.set(id, (list = []));
    list.push(item);
  }
  return out;
}

/** What a func value stored in a field runs: a literal, a method value, a function. */
function storedTarget(value: SNode, scope: FuncScope, pkg: GoPackage): ResolvedCall | null {
  if (value.type === 'func_literal') return { targets: [{ node: value, info: null }], recv: null, recvPath: [], kind: 'local' };
  if (value.type === 'identifier' && !scope.resolve(value)) {
    const info = pkg.funcs.get(value.text);
    return info ? { targets: [{ node: info.node, info }], recv: null, recvPath: [], kind: 'function' } : null;
  }
  if (value.type === 'selector_expression') {
    const operand = value.child('operand');
    const named = operand ? scope.typeOf(operand).named : undefined;
    const info = named ? pkg.funcs.get(`${named}.${value.child('field')?.text ?? ''}`) : undefined;
    return info ? { targets: [{ node: info.node, info }], recv: operand, recvPath: [], kind: 'method' } : null;
  }
  return null;
}

class Walker {
  constructor(
    private readonly pkg: GoPackage,
    private readonly ops: Op[],
    private readonly creations: Creation[],
    private readonly calls: CallSite[],
    private readonly functions: Map<SNode, FuncNode>,
    private readonly positional: Set<string>,
    private readonly union: (a: string, b: string) => void,
    private readonly place: (expr: SNode | null, scope: FuncScope) => Place | null,
  ) {}

  walkBody(body: SNode, fn: FuncNode): void {
    // Pre-order walk of the function's own code on an explicit stack; a func literal gets its
    // own FuncNode and its body is walked (recursively: literals nest only a few deep) with it.
    const stack: SNode[] = [body];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'func_literal') {
        const lit = this.literal(node, fn);
        const litBody = node.child('body');
        if (litBody) this.walkBody(litBody, lit);
        continue;
      }
      this.visit(node, fn);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }

  /** `var x = make(chan T)`, `var mu sync.Mutex`, `var handler = func() {...}` at package level. */
  walkPackageVars(decl: SNode, file: GoPackage['files'][number]): void {
    for (const spec of decl.findAll('var_spec')) {
      const names = spec.childrenOf('name');
      const values = spec.child('value')?.namedChildren ?? [];
      names.forEach((n, i) => {
        const value = values.length === names.length ? values[i] : undefined;
        if (!value) return;
        const kind = creationKind(value, null, this.pkg, file.imports);
        const v = this.pkg.vars.get(n.text);
        if (!v) return;
        const type = v.type ?? { kind: 'other', text: '', pointer: false };
        const p = { root: { kind: 'var' as const, name: n.text }, path: [], key: `v:${n.text}`, id: `V:${n.text}`, type, text: n.text };
        this.creations.push({ place: p, value, kind: kind.kind, capacity: kind.kind === 'make' ? capacityAt(value, null, this.pkg) : null, fn: null, conditional: false });
      });
    }
    // Struct literals in package-level values: `var defaults = S{ch: make(chan int)}`, tables.
    decl.walk((n) => {
      if (n.type === 'func_literal' || n.elided) return false;
      if (n.type === 'literal_value' && n.namedChildren.some((e) => e.type === 'literal_element')) {
        for (const name of n.ancestor('composite_literal')?.child('type')?.text.match(/\w+/g) ?? []) if (this.pkg.structs.has(name)) this.positional.add(name);
      }
      if (n.type !== 'keyed_element') return undefined;
      const key = n.child('key')?.namedChildren[0];
      const value = n.child('value')?.namedChildren[0];
      const lit = n.parent?.parent;
      const typeNode = lit?.type === 'composite_literal' ? lit.child('type') : null;
      const named = typeNode ? classifyTypeNode(typeNode, file).named : undefined;
      if (!key || !value || !named || !this.pkg.structs.get(named)?.has(key.text)) return undefined;
      const type = this.pkg.structs.get(named)!.get(key.text)!;
      const p: Place = { root: { kind: 'unknown' }, path: [key.text], key: null, id: `F:${named}.${key.text}`, type, text: `${named}.${key.text}` };
      const kind = creationKind(value, null, this.pkg, file.imports);
      this.creations.push({ place: p, value, kind: kind.kind, capacity: kind.kind === 'make' ? capacityAt(value, null, this.pkg) : null, fn: null, conditional: false });
      return undefined;
    });
    for (const lit of decl.findAll('func_literal')) {
      if (lit.ancestor('func_literal')) continue;
      const scope = scopeFor(lit, this.pkg);
      const body = lit.child('body');
      if (!scope || !body) continue;
      const fnNode: FuncNode = { node: lit, info: null, body, scope, parent: null, use: 'value', start: null, calls: [], ops: [] };
      this.functions.set(lit, fnNode);
      this.walkBody(body, fnNode);
    }
  }

  private literal(lit: SNode, parent: FuncNode): FuncNode {
    const { use, start } = literalUse(lit);
    const fn: FuncNode = { node: lit, info: null, body: lit.child('body'), scope: parent.scope, parent, use, start, calls: [], ops: [] };
    this.functions.set(lit, fn);
    return fn;
  }

  private visit(n: SNode, fn: FuncNode): void {
    switch (n.type) {
      case 'send_statement': {
        const ch = n.child('channel');
        this.op('send', ch, n, fn);
        this.escapeIfTracked(n.child('value'), 'sent', n, fn);
        break;
      }
      case 'unary_expression': {
        const op = n.child('operator')?.type;
        if (op === '<-') this.op('recv', n.child('operand'), n, fn);
        else if (op === '&' && !isMethodOperand(n) && !lockPointer(n, fn.scope)) {
          // `p := &s.mu` is followed as an alias; anything else taking an address may write through it.
          if (!isAliasInit(n)) this.escapeIfTracked(n.child('operand'), 'address', n, fn);
        }
        break;
      }
      case 'for_statement': {
        const range = n.childOfType('range_clause');
        const right = range?.child('right') ?? null;
        if (right && fn.scope.typeOf(right).kind === 'chan') this.op('range', right, n, fn);
        break;
      }
      case 'call_expression':
        this.call(n, fn);
        break;
      case 'return_statement': {
        const list = n.namedChildren[0]?.type === 'expression_list' ? n.namedChildren[0].namedChildren : n.namedChildren;
        for (const v of list) this.escapeIfTracked(v, 'returned', n, fn);
        break;
      }
      case 'assignment_statement':
      case 'short_var_declaration':
        this.assignment(n.child('left')?.namedChildren ?? [], n.child('right')?.namedChildren ?? [], n, fn, n.type === 'short_var_declaration');
        break;
      case 'var_spec':
        this.assignment(n.childrenOf('name'), n.child('value')?.namedChildren ?? [], n, fn, true);
        break;
      case 'receive_statement':
      case 'range_clause':
        // `case s.ch = <-chans:`, `for _, s.ch = range list`: a value the model cannot see.
        if (n.children.some((c) => c.type === '=')) for (const t of n.child('left')?.namedChildren ?? []) this.opaqueWrite(t, n, fn);
        break;
      case 'keyed_element':
        this.keyedElement(n, fn);
        break;
      case 'selector_expression':
        this.methodValue(n, fn);
        break;
      case 'literal_value':
        if (n.namedChildren.some((e) => e.type === 'literal_element')) {
          // `T{a, b}`, `[]T{{a, b}}`, `map[string]T{"k": {a, b}}`: every struct named in the
          // literal's type may have all its fields set by position.
          const lit = n.ancestor('composite_literal');
          for (const name of lit?.child('type')?.text.match(/\w+/g) ?? []) if (this.pkg.structs.has(name)) this.positional.add(name);
          for (const e of n.namedChildren) if (e.type === 'literal_element') this.escapeIfTracked(e.namedChildren[0] ?? null, 'stored', e, fn);
        }
        break;
    }
  }

  private op(kind: OpKind, expr: SNode | null, node: SNode, fn: FuncNode, extra: Partial<Op> = {}): void {
    const p = this.place(expr, fn.scope);
    if (!p || !expr) return;
    const sel = kind === 'send' || kind === 'recv' ? selectOf(node) : null;
    const op: Op = {
      kind,
      place: p,
      ref: expr,
      node,
      fn: fn.node,
      deferred: node.parent?.type === 'defer_statement',
      select: sel,
      cancellable: sel ? selectCanGiveUp(sel, caseOfOp(node)!) : false,
      twoValue: kind === 'recv' && isTwoValueReceive(node),
      ...extra,
    };
    this.ops.push(op);
    fn.ops.push(op);
  }

  private escapeIfTracked(expr: SNode | null, escape: EscapeKind, node: SNode, fn: FuncNode): void {
    if (!expr) return;
    const inner = unparen(expr);
    if (inner.type !== 'identifier' && inner.type !== 'selector_expression' && !(inner.type === 'unary_expression' && inner.child('operator')?.type === '&')) return;
    const t = fn.scope.typeOf(inner);
    if (!TRACKED_KINDS.has(t.kind)) return;
    const p = this.place(inner, fn.scope);
    if (!p) return;
    const op: Op = { kind: 'escape', place: p, ref: inner, node, fn: fn.node, deferred: false, select: null, cancellable: false, twoValue: false, escape };
    this.ops.push(op);
    fn.ops.push(op);
  }

  /**
   * A method value of a tracked value used as a value, not called (`AfterFunc(d, wg.Done)`,
   * `release := mu.Unlock`, `t.Cleanup(ticker.Stop)`): the method runs wherever that value
   * goes, so the value escapes there.
   */
  private methodValue(sel: SNode, fn: FuncNode): void {
    if (sel.field === 'function' && sel.parent?.type === 'call_expression') return;
    const operand = sel.child('operand');
    const method = sel.child('field')?.text;
    if (!operand || !method || !TRACKED_METHODS.has(method)) return;
    const kind = fn.scope.typeOf(operand).kind;
    if (!METHOD_OPS[kind]?.[method]) return;
    const p = this.place(operand, fn.scope);
    if (!p) return;
    const op: Op = { kind: 'escape', place: p, ref: operand, node: sel, fn: fn.node, deferred: false, select: null, cancellable: false, twoValue: false, escape: 'stored' };
    this.ops.push(op);
    fn.ops.push(op);
  }

  /** A write of a value the model cannot see (a receive or range assigning into a place). */
  private opaqueWrite(target: SNode, node: SNode, fn: FuncNode): void {
    if (!TRACKED_KINDS.has(fn.scope.typeOf(target).kind)) return;
    const p = this.place(target, fn.scope);
    if (p) this.creations.push({ place: p, value: node, kind: 'other', capacity: null, fn: fn.node, conditional: true });
  }

  /** A value copied into another place: an escape of what was passed in, marked with where it went. */
  private storeOp(from: Place, ref: SNode, node: SNode, fn: FuncNode, into: string): void {
    const op: Op = { kind: 'escape', place: from, ref, node, fn: fn.node, deferred: false, select: null, cancellable: false, twoValue: false, escape: 'stored', into };
    this.ops.push(op);
    fn.ops.push(op);
  }

  private call(n: SNode, fn: FuncNode): void {
    const callee = n.child('function');
    if (!callee) return;
    const scope = fn.scope;
    const args = n.child('arguments')?.namedChildren ?? [];
    // Builtins, even where a file of another GOOS (or the package beside an external test
    // package) declares a function of that name.
    if (callee.type === 'identifier' && !scope.resolve(callee) && BUILTINS.has(callee.text)) {
      if (callee.text === 'close' && args[0]) return this.op('close', args[0], n, fn);
      if ((callee.text === 'len' || callee.text === 'cap') && args[0] && scope.typeOf(args[0]).kind === 'chan') return this.op('len', args[0], n, fn);
      if (callee.text === 'append') for (const a of args.slice(1)) this.escapeIfTracked(a, 'stored', n, fn);
      return;
    }
    if (callee.type === 'selector_expression') {
      const operand = callee.child('operand');
      const method = callee.child('field')?.text ?? '';
      if (operand?.type === 'identifier' && scope.isPackageName(operand)) {
        const path = importPathOf(operand.text, scope.file);
        // The runtime sends signals on the channel: a sender nobody sees.
        if (path === 'os/signal' && method === 'Notify' && args[0]) return this.op('send', args[0], n, fn, { external: true });
      } else if (operand && TRACKED_METHODS.has(method)) {
        const kind = scope.typeOf(operand).kind;
        const opKind = METHOD_OPS[kind]?.[method];
        if (opKind) {
          this.op(opKind, operand, n, fn);
          return;
        }
        const promoted = !SYNC_KINDS.has(kind) ? this.promotedSyncOp(operand, method, scope) : null;
        if (promoted) {
          const p = this.place(operand, scope);
          if (p && p.id !== undefined) {
            const owner = p.type.named ?? scope.typeOf(operand).named;
            const embedded: Place = {
              ...p,
              path: [...p.path, promoted.field],
              key: p.key === null ? null : `${p.key}.${promoted.field}`,
              id: owner ? `F:${owner}.${promoted.field}` : null,
              type: { kind: promoted.kind, text: promoted.field, pointer: false },
            };
            const op: Op = { kind: promoted.op, place: embedded, ref: operand, node: n, fn: fn.node, deferred: n.parent?.type === 'defer_statement', select: null, cancellable: false, twoValue: false };
            this.ops.push(op);
            fn.ops.push(op);
            return;
          }
        }
      }
    }
    // Calling a cancel func (or another func-typed value held in a local, a parameter, or a
    // field named like a stop function).
    const b = callee.type === 'identifier' ? scope.resolve(callee) : null;
    if (b || (callee.type === 'selector_expression' && STOP_LIKE.test(callee.child('field')?.text ?? ''))) {
      const t = b ? scope.bindingType(b) : scope.typeOf(callee);
      if (t.kind === 'cancel') this.op('cancel', callee, n, fn);
      else if (t.kind === 'func') this.op('call', callee, n, fn);
    }
    const resolved = resolveCall(n, scope, this.pkg);
    const go = n.parent?.type === 'go_statement' ? n.parent : null;
    const deferred = n.parent?.type === 'defer_statement';
    if (resolved || go) {
      const site = new LazySite(n, fn.node, resolved, args, go, deferred, scope, this.place);
      this.calls.push(site);
      fn.calls.push(site);
    }
    if (!resolved) {
      // Handed to code the model cannot see.
      for (const a of args) if (a.type !== 'func_literal') this.escapeIfTracked(a, 'arg', n, fn);
    }
  }

  /** `s.Lock()` on a struct that embeds a sync.Mutex (and declares no Lock of its own). */
  private promotedSyncOp(operand: SNode, method: string, scope: FuncScope): { field: string; kind: ValueKind; op: OpKind } | null {
    const t = scope.typeOf(operand);
    if (!t.named || this.pkg.funcs.has(`${t.named}.${method}`)) return null;
    for (const [name, ft] of this.pkg.structs.get(t.named) ?? []) {
      if (!ft.embedded || !SYNC_KINDS.has(ft.kind)) continue;
      const op = METHOD_OPS[ft.kind]?.[method];
      if (op) return { field: name, kind: ft.kind, op };
    }
    return null;
  }

  private assignment(left: SNode[], right: SNode[], stmt: SNode, fn: FuncNode, declares: boolean): void {
    const scope = fn.scope;
    left.forEach((target, i) => {
      const oneToOne = right.length === left.length;
      const value = oneToOne ? right[i] : right.length === 1 ? right[0] : undefined;
      if (!value) return;
      const index = oneToOne ? -1 : i;
      const kind = creationKind(value, scope, this.pkg, scope.file.imports, index);
      // Plain values (`n := 0`, `err = f()`) of kinds the model does not track are not recorded.
      if (kind.kind === 'other' || kind.kind === 'copy' || kind.kind === 'nil') {
        const t = scope.typeOf(kind.kind === 'nil' ? target : value);
        if (!TRACKED_KINDS.has(t.kind) && !(kind.kind === 'other' && TRACKED_KINDS.has(scope.typeOf(target).kind))) return;
      }
      // `ch := s.jobs` names the field itself (places follow such copies): nothing is created.
      if (declares && target.type === 'identifier' && oneToOne && isPlaceExpr(value)) {
        const b = scope.resolve(target);
        if (b && !reassigned(b, scope)) return;
      }
      const p = this.place(target, scope);
      if (!p) {
        if (oneToOne) this.escapeIfTracked(value, 'stored', stmt, fn);
        return;
      }
      if (kind.kind === 'copy' && oneToOne) {
        const from = this.place(value, scope);
        if (from?.id && p.id && from.id !== p.id) {
          this.union(from.id, p.id);
          // Callers that passed the value in see it stored (`s.ch = ch` in a constructor).
          if (from.root.kind === 'param' && TRACKED_KINDS.has(from.type.kind)) this.storeOp(from, value, stmt, fn, p.id);
        } else if (!from || !p.id) {
          // Into a place the model cannot name (another package's field: `ticker.C = ch`).
          this.escapeIfTracked(value, 'stored', stmt, fn);
        }
      }
      this.creations.push({
        place: p,
        value,
        kind: kind.kind,
        capacity: kind.kind === 'make' ? capacityAt(value, scope, this.pkg) : null,
        fn: fn.node,
        conditional: conditionalWithin(stmt, fn.node),
      });
    });
  }

  private keyedElement(n: SNode, fn: FuncNode): void {
    const key = n.child('key')?.namedChildren[0];
    const value = n.child('value')?.namedChildren[0];
    const lit = n.parent?.parent;
    if (!key || !value || lit?.type !== 'composite_literal' || (key.type !== 'identifier' && key.type !== 'field_identifier')) return;
    const named = fn.scope.typeOf(lit).named;
    if (!named || !this.pkg.structs.get(named)?.has(key.text)) return;
    const type = fn.scope.fieldType(named, key.text) ?? { kind: 'other' as const, text: '', pointer: false };
    const p: Place = { root: { kind: 'unknown' }, path: [key.text], key: null, id: `F:${named}.${key.text}`, type, text: `${named}.${key.text}` };
    const kind = creationKind(value, fn.scope, this.pkg, fn.scope.file.imports);
    if (kind.kind === 'copy') {
      const from = this.place(value, fn.scope);
      if (from?.id) {
        this.union(from.id, p.id!);
        if (from.root.kind === 'param' && TRACKED_KINDS.has(from.type.kind)) this.storeOp(from, value, n, fn, p.id!);
      }
    }
    this.creations.push({ place: p, value, kind: kind.kind, capacity: kind.kind === 'make' ? capacityAt(value, fn.scope, this.pkg) : null, fn: fn.node, conditional: conditionalWithin(n, fn.node) });
  }
}

const UNSET = Symbol('unset');

/** A call site whose argument and receiver places are computed only when a summary needs them. */
class LazySite implements CallSite {
  private readonly args: Array<Place | null | typeof UNSET>;
  private recvPlace: Place | null | typeof UNSET = UNSET;

  constructor(
    readonly node: SNode,
    readonly fn: SNode,
    public resolved: ResolvedCall | null,
    readonly argNodes: SNode[],
    readonly go: SNode | null,
    readonly deferred: boolean,
    private readonly scope: FuncScope,
    private readonly place: (expr: SNode | null, scope: FuncScope) => Place | null,
  ) {
    this.args = new Array(argNodes.length).fill(UNSET);
  }

  arg(i: number): Place | null {
    const cached = this.args[i];
    if (cached === undefined) return null;
    if (cached !== UNSET) return cached;
    return (this.args[i] = this.place(this.argNodes[i]!, this.scope));
  }

  recv(): Place | null {
    if (this.recvPlace !== UNSET) return this.recvPlace;
    const resolved = this.resolved;
    const r = resolved?.recv ? this.place(resolved.recv, this.scope) : null;
    this.recvPlace = r && resolved!.recvPath.length ? { ...r, path: [...r.path, ...resolved!.recvPath], key: r.key === null ? null : `${r.key}.${resolved!.recvPath.join('.')}`, id: null } : r;
    return this.recvPlace;
  }
}

function unparen(n: SNode): SNode {
  let cur = n;
  while (cur.type === 'parenthesized_expression' && cur.namedChildren[0]) cur = cur.namedChildren[0];
  return cur;
}

function isPlaceExpr(value: SNode): boolean {
  const v = unparen(value);
  return v.type === 'identifier' || v.type === 'selector_expression' || (v.type === 'unary_expression' && /^[&*]$/.test(v.child('operator')?.type ?? ''));
}

/**
 * `&mu`, `&wg`, `&s.cond` handed to a function: sync values are always shared by pointer, which
 * writes nothing into them (a channel's address, by contrast, can be assigned through).
 */
function lockPointer(n: SNode, scope: FuncScope): boolean {
  return n.parent?.type === 'argument_list' && SYNC_KINDS.has(scope.typeOf(n.child('operand')).kind);
}

function isMethodOperand(n: SNode): boolean {
  return n.parent?.type === 'parenthesized_expression' && n.parent.parent?.type === 'selector_expression';
}

function isAliasInit(n: SNode): boolean {
  const list = n.parent;
  return list?.type === 'expression_list' && list.field === 'right' && list.parent?.type === 'short_var_declaration';
}

/** How a func literal runs: started, deferred, called on the spot, by once.Do, kept in a local, or handed out. */
function literalUse(lit: SNode): { use: LiteralUse; start: SNode | null } {
  let p = lit.parent;
  while (p?.type === 'parenthesized_expression') p = p.parent;
  if (p?.type === 'call_expression' && lit.field === 'function') {
    const stmt = p.parent;
    if (stmt?.type === 'go_statement') return { use: 'go', start: stmt };
    if (stmt?.type === 'defer_statement') return { use: 'defer', start: null };
    return { use: 'call', start: null };
  }
  if (p?.type === 'argument_list') {
    const call = p.parent;
    const fn = call?.child('function');
    const name = fn?.type === 'selector_expression' ? fn.child('field')?.text : null;
    // once.Do(f) runs f before returning; errgroup's g.Go(f) starts a goroutine.
    if (name === 'Do' && p.namedChildren.length === 1) return { use: 'do', start: null };
    if (name === 'Go' && p.namedChildren[p.namedChildren.length - 1] === lit) return { use: 'go', start: call! };
    return { use: 'value', start: null };
  }
  if (p?.type === 'expression_list' && p.field === 'right' && (p.parent?.type === 'short_var_declaration' || p.parent?.type === 'assignment_statement')) {
    const stmt = p.parent;
    const target = stmt.child('left')?.namedChildren[p.namedChildren.indexOf(lit)];
    if (target?.type === 'identifier') return { use: 'local', start: null };
  }
  if (p?.type === 'expression_list' && p.field === 'value' && p.parent?.type === 'var_spec') return { use: 'local', start: null };
  return { use: 'value', start: null };
}

/** Whether `node` sits under a branch or loop of function `fn` (or in a literal inside it). */
export function conditionalWithin(node: SNode, fn: SNode): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (CONDITIONAL.has(p.type)) return true;
    if (p.type === 'func_literal') return true;
  }
  return false;
}

function creationKind(value: SNode, scope: FuncScope | null, pkg: GoPackage, imports: Map<string, string>, index = -1): { kind: CreationKind } {
  const v = unparen(value);
  if (v.type === 'nil') return { kind: 'nil' };
  if (v.type === 'func_literal') return { kind: 'func' };
  if (isMakeChan(v)) return { kind: 'make' };
  if (v.type === 'call_expression') {
    const fn = v.child('function');
    if (fn?.type === 'selector_expression') {
      const operand = fn.child('operand');
      const path = operand?.type === 'identifier' && (!scope || scope.isPackageName(operand)) ? imports.get(operand.text) : undefined;
      if (path && CONSTRUCTORS.test(`${path}.${fn.child('field')?.text ?? ''}`)) {
        // `ctx, cancel := context.WithCancel(...)`: only the cancel is created.
        if (path === 'context' && index === 0) return { kind: 'other' };
        return { kind: 'ctor' };
      }
    }
    return { kind: 'other' };
  }
  if (v.type === 'selector_expression' && scope) {
    // A method value stored for later (`s.run = s.loop`).
    const operand = v.child('operand');
    const named = operand && !(operand.type === 'identifier' && scope.isPackageName(operand)) ? scope.typeOf(operand).named : undefined;
    if (named && pkg.funcs.has(`${named}.${v.child('field')?.text ?? ''}`)) return { kind: 'func' };
  }
  if (v.type === 'identifier' && scope && !scope.resolve(v) && pkg.funcs.has(v.text)) return { kind: 'func' };
  if (isPlaceExpr(v)) return { kind: 'copy' };
  return { kind: 'other' };
}

/** `make(chan T)` / `make(chan T, n)`. */
export function isMakeChan(expr: SNode): boolean {
  if (expr.type !== 'call_expression' || expr.child('function')?.text !== 'make') return false;
  return expr.child('arguments')?.namedChildren[0]?.type === 'channel_type';
}

/** The capacity of a `make(chan T, n)`, folded through constants when it can be. */
export function capacityAt(make: SNode, scope: FuncScope | null, pkg: GoPackage): Capacity {
  const arg = make.child('arguments')?.namedChildren[1];
  if (!arg) return { text: null, value: 0 };
  return { text: arg.text, value: foldInt(arg, scope, pkg) };
}

/** The select_statement in which `op` (a send_statement or `<-x`) is a case's communication. */
export function selectOf(op: SNode): SNode | null {
  let comm: SNode = op;
  if (op.type === 'unary_expression' && op.parent?.type === 'receive_statement') comm = op.parent;
  if (op.type === 'unary_expression' && op.parent?.type === 'expression_list' && op.parent.parent?.type === 'receive_statement') comm = op.parent.parent;
  if (comm.field !== 'communication' || comm.parent?.type !== 'communication_case') return null;
  return comm.parent.parent?.type === 'select_statement' ? comm.parent.parent : null;
}

function caseOfOp(op: SNode): SNode | null {
  return op.ancestor('communication_case');
}

/** A select can give up on `ownCase` when it has a default case or another case that receives. */
export function selectCanGiveUp(select: SNode, ownCase: SNode): boolean {
  return select.namedChildren.some((c) => {
    if (c === ownCase) return false;
    if (c.type === 'default_case') return true;
    return c.type === 'communication_case' && c.child('communication')?.type === 'receive_statement';
  });
}

/** `v, ok := <-ch` (also as a select case). */
export function isTwoValueReceive(unary: SNode): boolean {
  let p = unary.parent;
  while (p?.type === 'parenthesized_expression') p = p.parent;
  if (p?.type === 'receive_statement') return (p.child('left')?.namedChildren.length ?? 0) === 2;
  if (p?.type === 'expression_list' && p.field === 'right' && p.namedChildren.length === 1) {
    const stmt = p.parent;
    if (stmt?.type === 'short_var_declaration' || stmt?.type === 'assignment_statement') return (stmt.child('left')?.namedChildren.length ?? 0) === 2;
    if (stmt?.type === 'receive_statement') return (stmt.child('left')?.namedChildren.length ?? 0) === 2;
  }
  if (p?.type === 'expression_list' && p.field === 'value' && p.parent?.type === 'var_spec') return p.parent.childrenOf('name').length === 2;
  return false;
}
