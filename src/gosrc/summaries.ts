// Per-function summaries, so a call site understands what a same-package callee does: closes a
// channel passed to it, calls wg.Done or a cancel func it was given, closes or stops fields of
// its receiver (a Close/Stop method), or returns a channel that a goroutine it starts feeds.
// Effects flow up the call graph (f calls g(ch), g closes ch, so f closes its ch) until nothing
// changes, with a small bound on rounds.
import type { SNode } from './ast.js';
import type { FuncInfo, GoPackage } from './package.js';
import { placeKey, scopeOfFunc, type FuncScope } from './scope.js';

export interface ReturnedChannel {
  /** Result position. */
  index: number;
  /** The `make(chan ...)` expression of the returned channel. */
  make: SNode;
  /** The go statement whose goroutine sends on it, if any. */
  goStmt: SNode | null;
  /** Whether that goroutine closes the channel when done. */
  closedByGoroutine: boolean;
  /** Whether every send of that goroutine sits in a select with another case (ctx.Done, done...). */
  sendsCancellable: boolean;
}

export interface FuncSummary {
  closesParams: Set<number>;
  sendsParams: Set<number>;
  receivesParams: Set<number>;
  /** wg.Done() on a WaitGroup parameter. */
  doneParams: Set<number>;
  /** p() on a func parameter (a cancel func passed in). */
  callsParams: Set<number>;
  /** Receiver fields closed: close(s.done) gives "done". */
  closesFields: Set<string>;
  /** Receiver fields called as funcs: s.cancel() gives "cancel". */
  callsFields: Set<string>;
  /** Receiver fields stopped: s.ticker.Stop() gives "ticker". */
  stopsFields: Set<string>;
  /** Receiver WaitGroup fields marked done: s.wg.Done() gives "wg". */
  doneFields: Set<string>;
  /** Receiver fields that are sent on. */
  sendsFields: Set<string>;
  startsGoroutine: boolean;
  returnedChannels: ReturnedChannel[];
}

function emptySummary(): FuncSummary {
  return {
    closesParams: new Set(),
    sendsParams: new Set(),
    receivesParams: new Set(),
    doneParams: new Set(),
    callsParams: new Set(),
    closesFields: new Set(),
    callsFields: new Set(),
    stopsFields: new Set(),
    doneFields: new Set(),
    sendsFields: new Set(),
    startsGoroutine: false,
    returnedChannels: [],
  };
}

interface CallEdge {
  callee: FuncInfo;
  /** Caller param index of each argument, or -1. */
  argParams: number[];
  /** The call is a method call on the caller's own receiver. */
  onReceiver: boolean;
}

export function summarizeFunctions(pkg: GoPackage): void {
  const edges = new Map<FuncInfo, CallEdge[]>();
  for (const fn of pkg.funcs.values()) {
    const summary = emptySummary();
    pkg.summaries.set(fn, summary);
    if (!fn.body || fn.body.elided) continue;
    const scope = scopeOfFunc(fn, pkg);
    edges.set(fn, directEffects(fn, scope, summary, pkg));
    summary.returnedChannels = returnedChannels(fn, scope);
  }
  // Propagate callee effects to callers; bounded rounds keep recursion cheap.
  for (let round = 0; round < 4; round++) {
    let changed = false;
    for (const [fn, list] of edges) {
      const s = pkg.summaries.get(fn)!;
      for (const e of list) {
        const c = pkg.summaries.get(e.callee);
        if (!c) continue;
        e.argParams.forEach((p, i) => {
          if (p < 0) return;
          changed = addIf(s.closesParams, c.closesParams.has(i), p) || changed;
          changed = addIf(s.sendsParams, c.sendsParams.has(i), p) || changed;
          changed = addIf(s.doneParams, c.doneParams.has(i), p) || changed;
          changed = addIf(s.callsParams, c.callsParams.has(i), p) || changed;
        });
        if (e.onReceiver) {
          changed = union(s.closesFields, c.closesFields) || changed;
          changed = union(s.callsFields, c.callsFields) || changed;
          changed = union(s.stopsFields, c.stopsFields) || changed;
          changed = union(s.doneFields, c.doneFields) || changed;
          changed = union(s.sendsFields, c.sendsFields) || changed;
        }
      }
    }
    if (!changed) break;
  }
}

function addIf(set: Set<number>, cond: boolean, value: number): boolean {
  if (!cond || set.has(value)) return false;
  set.add(value);
  return true;
}

function union(into: Set<string>, from: Set<string>): boolean {
  let changed = false;
  for (const v of from) {
    if (!into.has(v)) {
      into.add(v);
      changed = true;
    }
  }
  return changed;
}

function directEffects(fn: FuncInfo, scope: FuncScope, s: FuncSummary, pkg: GoPackage): CallEdge[] {
  const paramIndex = new Map<string, number>();
  fn.params.forEach((p, i) => {
    if (p.name) paramIndex.set(p.name, i);
  });
  const recvName = fn.receiver?.name ?? null;
  /** Param index of an expression that is a bare parameter name (not shadowed), or -1. */
  const paramOf = (expr: SNode | null): number => {
    if (!expr || expr.type !== 'identifier') return -1;
    const b = scope.resolve(expr);
    return b && b.declKind === 'param' && b.scope === fn.node ? (paramIndex.get(expr.text) ?? -1) : -1;
  };
  /** "field" for `recv.field` (or `recv.field.sub` gives "field.sub"), else null. */
  const recvField = (expr: SNode | null): string | null => {
    const key = placeKey(expr);
    if (!recvName || !key || !key.startsWith(recvName + '.')) return null;
    return key.slice(recvName.length + 1);
  };
  const edges: CallEdge[] = [];
  fn.body!.walk((n) => {
    switch (n.type) {
      case 'go_statement':
        s.startsGoroutine = true;
        break;
      case 'send_statement': {
        const ch = n.child('channel');
        const p = paramOf(ch);
        if (p >= 0) s.sendsParams.add(p);
        const f = recvField(ch);
        if (f) s.sendsFields.add(f);
        break;
      }
      case 'unary_expression':
        if (n.child('operator')?.type === '<-') {
          const p = paramOf(n.child('operand'));
          if (p >= 0) s.receivesParams.add(p);
        }
        break;
      case 'call_expression': {
        const callee = n.child('function');
        const args = n.child('arguments')?.namedChildren ?? [];
        if (!callee) break;
        if (callee.type === 'identifier') {
          if (callee.text === 'close' && !scope.resolve(callee)) {
            const p = paramOf(args[0] ?? null);
            if (p >= 0) s.closesParams.add(p);
            const f = recvField(args[0] ?? null);
            if (f) s.closesFields.add(f);
            break;
          }
          const p = paramOf(callee);
          if (p >= 0) {
            s.callsParams.add(p);
            break;
          }
          const target = !scope.resolve(callee) ? pkg.funcs.get(callee.text) : undefined;
          if (target) edges.push({ callee: target, argParams: args.map(paramOf), onReceiver: false });
          break;
        }
        if (callee.type === 'selector_expression') {
          const operand = callee.child('operand');
          const method = callee.child('field')?.text ?? '';
          if (method === 'Done' && args.length === 0) {
            const p = paramOf(operand);
            if (p >= 0 && fn.params[p]!.type.kind === 'waitgroup') s.doneParams.add(p);
            const f = recvField(operand);
            if (f) s.doneFields.add(f);
          }
          if (method === 'Stop' || method === 'Close' || method === 'Shutdown') {
            const f = recvField(operand);
            if (f) s.stopsFields.add(f);
          }
          const calledField = recvField(callee);
          if (calledField && scope.fieldType(fn.receiver!.typeName, calledField)?.kind === 'cancel') s.callsFields.add(calledField);
          else if (calledField && fn.receiver && !pkg.funcs.has(`${fn.receiver.typeName}.${calledField}`)) {
            // s.stop() where stop is a func-typed field (a stored cancel func of any type).
            const t = scope.fieldType(fn.receiver.typeName, calledField);
            if (t && (t.kind === 'func' || t.kind === 'cancel')) s.callsFields.add(calledField);
          }
          if (recvName && operand?.type === 'identifier' && operand.text === recvName && fn.receiver) {
            const target = pkg.funcs.get(`${fn.receiver.typeName}.${method}`);
            if (target) edges.push({ callee: target, argParams: args.map(paramOf), onReceiver: true });
          }
        }
        break;
      }
    }
  });
  return edges;
}

function returnedChannels(fn: FuncInfo, scope: FuncScope): ReturnedChannel[] {
  const out: ReturnedChannel[] = [];
  const seen = new Set<string>();
  for (const ret of fn.body!.findAll('return_statement')) {
    if (ret.ancestor('func_literal') && fn.body!.contains(ret.ancestor('func_literal')!)) continue;
    const values = ret.namedChildren[0]?.type === 'expression_list' ? ret.namedChildren[0].namedChildren : ret.namedChildren;
    values.forEach((v, index) => {
      if (v.type !== 'identifier' || seen.has(`${index}:${v.text}`)) return;
      const b = scope.resolve(v);
      if (!b || !b.init || b.init.type !== 'call_expression' || b.init.child('function')?.text !== 'make') return;
      if (scope.bindingType(b).kind !== 'chan') return;
      seen.add(`${index}:${v.text}`);
      let goStmt: SNode | null = null;
      let closed = false;
      let cancellable = true;
      for (const g of fn.body!.findAll('go_statement')) {
        const refs = scope.references(b).filter((r) => g.contains(r));
        const sends = refs.filter((r) => r.parent?.type === 'send_statement' && r.field === 'channel');
        if (sends.length === 0) continue;
        goStmt = g;
        closed = refs.some((r) => r.parent?.parent?.type === 'call_expression' && r.parent.parent.child('function')?.text === 'close');
        cancellable = sends.every((r) => {
          const cc = r.parent!.parent;
          return cc?.type === 'communication_case' && (cc.parent?.findAll('communication_case', 'default_case').length ?? 0) > 1;
        });
        break;
      }
      out.push({ index, make: b.init, goStmt, closedByGoroutine: closed, sendsCancellable: cancellable });
    });
  }
  return out;
}
