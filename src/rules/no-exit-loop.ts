// no-exit-loop: a goroutine's endless loop (`for {`, `for range ticker.C`, `for range
// time.Tick(...)`) that has no way out — no return, no break that leaves the loop, no goto or
// labeled jump outside it, no panic/os.Exit/log.Fatal — in one of three situations that show
// the goroutine was meant to end:
//
//  1. break leaves only the select: the loop's stop case (`case <-ctx.Done():`, `case <-done:`)
//     says `break`, which leaves the select, not the loop.
//  2. spins after close: the loop receives without `, ok` from a channel the package closes
//     (or from ctx.Done()); once closed, the receive returns at once forever and the loop spins.
//  3. stop signal ignored: a cancellation mechanism is in the goroutine's reach — a context
//     parameter or variable, or a done/quit/stop channel that the package closes (a variable
//     or a field of the receiver) — and the loop never mentions it.
//  4. event loop without exit: the loop waits on channels (receives from a channel that is not
//     a timer's) but no case ever leaves it, so the goroutine outlives the call that started it.
//
// A loop that waits on nothing but timers and has no stop mechanism in reach is the opt-in
// style rule bare-go's business. Daemon goroutines that live as long as the program are common
// and fine, so cases 3 and 4 skip goroutines started directly from main() of package main or
// from init().
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { scopeFor, type Binding, type FuncScope } from '../gosrc/scope.js';
import { importPathOf } from '../gosrc/types.js';
import {
  breakTarget,
  closeOf,
  closeOfField,
  directlyInLoop,
  endlessLoops,
  fieldDeclaration,
  forKeyword,
  goroutineTargets,
  isReceive,
  isSignalChannel,
  isTimerChannel,
  rangeExpression,
  receiveTakesOk,
  startedForProgramLifetime,
  type GoroutineTarget,
} from './lib/loops.js';
import { loopExits } from '../model/paths.js';
import type { Rule, RuleContext, RuleReport } from './types.js';

/** Names people give channels whose closing tells a goroutine to stop. */
const STOP_NAME = /^(done|quit|stop|stopped|stopping|closing|closed|close|shutdown|exit|die|dying|cancel|canceled|cancelled|term|terminate|kill|abort)(_?(ch|chan|c))?$/i;

/** A way to tell the goroutine to stop: a context or a stop channel it could watch. */
interface StopSignal {
  /** How the loop would name it: `ctx`, `done`, `s.quit`. */
  name: string;
  kind: 'context' | 'channel';
  /** A local binding (variable or parameter), or null for a receiver field. */
  binding: Binding | null;
  /** For a receiver field: the receiver's name (the loop mentions `recv.field` or calls recv's methods). */
  receiver: string | null;
  /** Where it is declared, for the related location. */
  node: SNode;
}

export const rule: Rule = {
  meta: {
    id: 'no-exit-loop',
    title: 'Goroutine loop with no way out',
    category: 'channels',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      "Reports a goroutine's endless loop (for {}, for range ticker.C, for range time.Tick) that has no return, no break out of the loop and no exit call, when the goroutine was clearly meant to stop: its stop case only breaks out of the select, it receives without `, ok` from a channel that gets closed (the loop then spins), a context or done/quit/stop channel is in reach but the loop never checks it, or it waits on channels with no case that leaves (it outlives the call that started it). Daemons started from main() or init() are exempt. Leave the loop with `case <-ctx.Done(): return` (or return when the done channel closes).",
  },
  run(ctx: RuleContext): void {
    const { pkg } = ctx;
    const reported: SNode[] = [];
    for (const target of goroutineTargets(pkg)) {
      if (target.body.elided) continue;
      for (const loop of endlessLoops(target.body, target.scope)) {
        if (reported.some((r) => r.contains(loop))) continue;
        if (loopExits(loop, { scope: target.scope }).length > 0) continue;
        const finding =
          breakLeavesOnlySelect(loop, target) ??
          spinsAfterClose(loop, target, pkg) ??
          (startedForProgramLifetime(target.goStmt, pkg) || handlesSignals(loop, target) ? null : (ignoredStopSignal(loop, target, pkg) ?? eventLoopWithoutExit(loop, target)));
        if (!finding) continue;
        reported.push(loop);
        ctx.report({ ...finding, node: forKeyword(loop), goroutine: target.goStmt });
      }
    }
  },
};

/** A finding before its location and goroutine are filled in. */
type FindingText = Omit<RuleReport, 'node' | 'goroutine'>;

/** How the message names the loop: "`for {`" or "`for range ticker.C`". */
function loopText(loop: SNode): string {
  const range = rangeExpression(loop);
  return range ? `\`for range ${range.text}\`` : '`for {`';
}

/** Case 2: a receive without `, ok` from a channel that gets closed. */
function spinsAfterClose(loop: SNode, target: GoroutineTarget, pkg: GoPackage): FindingText | null {
  let found: FindingText | null = null;
  loop.child('body')?.walk((n) => {
    if (found || n.type === 'func_literal') return false;
    if (!isReceive(n) || !directlyInLoop(n, loop) || receiveTakesOk(n)) return undefined;
    const chan = unparen(n.child('operand'));
    if (!chan) return undefined;
    const cancelled = cancellableContextOfDone(chan, target.scope);
    if (cancelled) {
      found = {
        message: `goroutine loop spins after close: ${loopText(loop)} receives from \`${chan.text}\` but never leaves the loop, so once \`${cancelled}\` is cancelled the receive returns at once on every iteration and the loop spins forever, burning CPU`,
        related: [{ node: n, message: `never blocks again once \`${cancelled}\` is cancelled` }],
        fix: `return when the context is cancelled: \`case <-${chan.text}: return\``,
      };
      return false;
    }
    const close = closingCall(chan, target, pkg);
    if (!close) return undefined;
    found = {
      message: `goroutine loop spins after close: ${loopText(loop)} receives from \`${chan.text}\` without \`, ok\` and has no way out, but \`${chan.text}\` is closed; after that the receive returns the zero value at once on every iteration and the loop spins forever, burning CPU`,
      related: [
        { node: close, message: `\`${chan.text}\` is closed here` },
        { node: n, message: 'this receive never blocks again once the channel is closed' },
      ],
      fix: `check for close and leave: \`v, ok := <-${chan.text}; if !ok { return }\`, or loop with \`for v := range ${chan.text}\``,
    };
    return false;
  });
  return found;
}

/** `ctx.Done()` of a context that can be cancelled: the context's name, else null. */
function cancellableContextOfDone(expr: SNode, scope: FuncScope): string | null {
  if (expr.type !== 'call_expression') return null;
  const fn = expr.child('function');
  if (fn?.type !== 'selector_expression' || fn.child('field')?.text !== 'Done') return null;
  const operand = fn.child('operand');
  if (!operand || scope.typeOf(operand).kind !== 'context') return null;
  if (operand.type === 'identifier') {
    const b = scope.resolve(operand);
    if (b && isBackgroundContext(b.init, scope)) return null;
  }
  return operand.text;
}

/** The close call of a received channel: closed where it is declared, or (for a parameter) where the go statement's argument is. */
function closingCall(chan: SNode, target: GoroutineTarget, pkg: GoPackage): SNode | null {
  const direct = closeOf(chan, target.scope, pkg);
  if (direct || chan.type !== 'identifier') return direct;
  const b = target.scope.resolve(chan);
  const arg = b ? goArgumentFor(b, target) : null;
  return arg ? closedWhereStarted(arg, pkg) : null;
}

/** The close of a go statement's argument, resolved where the go statement is. */
function closedWhereStarted(arg: SNode, pkg: GoPackage): SNode | null {
  const scope = scopeFor(arg, pkg);
  return scope ? closeOf(arg, scope, pkg) : null;
}

/** The parameter name identifiers of a function, in order. */
function paramNames(fn: SNode): SNode[] {
  return fn.child('parameters')?.namedChildren.flatMap((d) => d.childrenOf('name')) ?? [];
}

/** Case 1: the loop's stop case says `break`, which only leaves the select. */
function breakLeavesOnlySelect(loop: SNode, target: GoroutineTarget): FindingText | null {
  let found: FindingText | null = null;
  loop.child('body')?.walk((n) => {
    if (found || n.type === 'func_literal') return false;
    if (n.type !== 'break_statement' || n.namedChildren.some((c) => c.type === 'label_name')) return undefined;
    const select = breakTarget(n);
    if (select?.type !== 'select_statement' || !loop.contains(select)) return undefined;
    const kase = n.ancestor('communication_case');
    if (!kase || !select.contains(kase)) return undefined;
    const recv = kase.child('communication')?.findAll('unary_expression').find(isReceive);
    const chan = unparen(recv?.child('operand') ?? null);
    if (!chan || !isStopSignalExpr(chan, target.scope)) return undefined;
    found = {
      message: `goroutine loop never ends: the \`break\` in \`case <-${chan.text}:\` leaves only the select, not ${loopText(loop)}, so the stop signal is ignored (and once it fires, the loop spins)`,
      related: [{ node: n, message: 'this break leaves the select statement only' }],
      fix: 'replace `break` with `return`, or label the loop (`loop: for {`) and write `break loop`',
    };
    return false;
  });
  return found;
}

/** `ctx.Done()` or a channel named like a stop signal (`done`, `s.quit`, `stopCh`). */
function isStopSignalExpr(chan: SNode, scope: FuncScope): boolean {
  if (chan.type === 'call_expression') {
    const fn = chan.child('function');
    return fn?.type === 'selector_expression' && fn.child('field')?.text === 'Done' && scope.typeOf(fn.child('operand')).kind === 'context';
  }
  const name = chan.type === 'selector_expression' ? chan.child('field')?.text : chan.type === 'identifier' ? chan.text : undefined;
  return name !== undefined && STOP_NAME.test(name);
}

/** Case 3: a context or stop channel is in reach and the loop never mentions it. */
function ignoredStopSignal(loop: SNode, target: GoroutineTarget, pkg: GoPackage): FindingText | null {
  const signals = stopSignals(target, pkg);
  if (signals.length === 0) return null;
  if (signals.some((s) => loopConsults(loop, s, target.scope))) return null;
  const s = signals[0]!;
  const what = s.kind === 'context' ? `never checks \`${s.name}\`, so it keeps running after \`${s.name}\` is cancelled` : `never receives from \`${s.name}\`, so closing \`${s.name}\` does not stop it`;
  const stopCase = s.kind === 'context' ? `${s.name}.Done()` : s.name;
  const range = rangeExpression(loop);
  const fix = range
    ? `replace ${loopText(loop)} with \`for { select { case <-${stopCase}: return; case <-${range.text}: ... } }\`${range.type === 'call_expression' ? ' (and use a time.NewTicker with `defer ticker.Stop()` instead of time.Tick)' : ''}`
    : `leave the loop when told to: \`select { case <-${stopCase}: return; ... }\` in the loop`;
  return {
    message: `goroutine loops forever in ${loopText(loop)} (no return or break) and ${what}`,
    related: [{ node: s.node, message: `\`${s.name}\` is in reach of the goroutine but the loop never consults it` }],
    fix,
  };
}

/** A loop whose every wait is for an OS signal (`signal.Notify`): a handler for the process's life. */
function handlesSignals(loop: SNode, target: GoroutineTarget): boolean {
  let waits = 0;
  let signals = 0;
  loop.child('body')?.walk((n) => {
    if (n.type === 'func_literal') return false;
    if (!isReceive(n) || !directlyInLoop(n, loop)) return undefined;
    waits++;
    if (isSignalChannel(unparen(n.child('operand')), target.scope)) signals++;
    return undefined;
  });
  return waits > 0 && waits === signals;
}

/** Case 4: the loop waits on a (non-timer) channel, but nothing ever leaves it. */
function eventLoopWithoutExit(loop: SNode, target: GoroutineTarget): FindingText | null {
  let recv: SNode | null = null;
  loop.child('body')?.walk((n) => {
    if (recv || n.type === 'func_literal') return false;
    if (isReceive(n) && directlyInLoop(n, loop) && ownedChannel(unparen(n.child('operand')), target.scope)) recv = n;
    return undefined;
  });
  if (!recv) return null;
  const chan = (recv as SNode).child('operand')!.text;
  return {
    message: `goroutine loops forever in ${loopText(loop)} with no way out: no return, no break out of the loop and no stop case, so it outlives the call that started it, waiting on \`${chan}\` for good`,
    related: [{ node: recv, message: 'the loop waits here, but no case leaves it' }],
    fix: 'give the goroutine a way to stop: pass a `ctx context.Context` and add `case <-ctx.Done(): return` to the select (or return when a done channel is closed, or when the input channel is closed: `v, ok := <-ch; if !ok { return }`)',
  };
}

/**
 * A channel whose lifetime is tied to a call or an object: a local, a parameter, a field. Timer
 * channels never close, and package-level channels (`<-sigChan`, `<-pkg.Events`) belong to
 * process-wide singletons whose goroutines are meant to live as long as the program.
 */
function ownedChannel(chan: SNode | null, scope: FuncScope): boolean {
  if (!chan || isTimerChannel(chan, scope)) return false;
  if (chan.type === 'identifier') return scope.resolve(chan) !== null;
  if (chan.type === 'selector_expression') {
    const operand = chan.child('operand');
    // `pkg.Events` or a field of a package-level variable: a singleton.
    return !(operand?.type === 'identifier' && scope.resolve(operand) === null);
  }
  return true;
}

/** Stop signals in reach of the goroutine's code. */
function stopSignals(target: GoroutineTarget, pkg: GoPackage): StopSignal[] {
  const out: StopSignal[] = [];
  const { scope, goStmt, literal } = target;
  const consider = (b: Binding): void => {
    const t = scope.bindingType(b);
    if (t.kind === 'context' && !isBackgroundContext(b.init, scope) && !backgroundArgument(b, target)) {
      out.push({ name: b.name, kind: 'context', binding: b, receiver: null, node: b.node });
    } else if (t.kind === 'chan' && t.dir !== 'send' && STOP_NAME.test(b.name) && (closeOf(b.node, scope, pkg) || closedArgument(b, target, pkg))) {
      out.push({ name: b.name, kind: 'channel', binding: b, receiver: null, node: b.node });
    }
  };
  if (literal) {
    // The literal's own parameters, and every variable of the enclosing function visible at the go statement.
    for (const b of scope.bindings) {
      const ownParam = b.declKind === 'param' && b.scope === literal;
      const visible = !literal.contains(b.node) && b.scope.contains(goStmt) && b.node.start < goStmt.start;
      if (ownParam || visible) consider(b);
    }
    const outer = scope.root;
    if (outer.type === 'method_declaration') addReceiverFields(outer, pkg, out);
  } else if (target.fn) {
    for (const b of scope.bindings) if (b.declKind === 'param' && b.scope === target.fn.node) consider(b);
    if (target.fn.node.type === 'method_declaration') addReceiverFields(target.fn.node, pkg, out);
  }
  return out;
}

/** Context fields, and closed stop-named channel fields, of a method's receiver struct. */
function addReceiverFields(method: SNode, pkg: GoPackage, out: StopSignal[]): void {
  const decl = method.child('receiver')?.namedChildren.find((c) => c.type === 'parameter_declaration');
  const recv = decl?.child('name')?.text;
  const typeName = decl?.child('type')?.text.replace(/^\*/, '').replace(/\[.*$/s, '').trim();
  if (!recv || recv === '_' || !typeName) return;
  const fields = pkg.structs.get(typeName);
  if (!fields) return;
  for (const [field, t] of fields) {
    if (t.embedded) continue;
    const isSignal =
      t.kind === 'context' || (t.kind === 'chan' && t.dir !== 'send' && STOP_NAME.test(field) && closeOfField(pkg, typeName, field) !== null);
    if (!isSignal) continue;
    out.push({ name: `${recv}.${field}`, kind: t.kind === 'context' ? 'context' : 'channel', binding: null, receiver: recv, node: fieldDeclaration(pkg, typeName, field) ?? method });
  }
}

/** Whether the loop mentions a stop signal (or, for a receiver field, calls a method of the receiver, which may check it). */
function loopConsults(loop: SNode, s: StopSignal, scope: FuncScope): boolean {
  let seen = false;
  loop.walk((n) => {
    if (seen) return false;
    if (s.binding && n.type === 'identifier' && n.text === s.binding.name && scope.resolve(n) === s.binding) seen = true;
    if (s.receiver && n.type === 'identifier' && n.text === s.receiver && n.parent?.type === 'selector_expression' && n.field === 'operand') {
      const sel = n.parent;
      if (`${s.receiver}.${sel.child('field')?.text}` === s.name) seen = true;
      if (sel.field === 'function' && sel.parent?.type === 'call_expression') seen = true;
    }
    return undefined;
  });
  return seen;
}

/** `context.Background()` / `context.TODO()`: a context nobody can cancel. */
function isBackgroundContext(init: SNode | null, scope: FuncScope): boolean {
  if (init?.type !== 'call_expression') return false;
  const fn = init.child('function');
  const operand = fn?.type === 'selector_expression' ? fn.child('operand') : null;
  if (!operand || operand.type !== 'identifier' || !scope.isPackageName(operand)) return false;
  return importPathOf(operand.text, scope.file) === 'context' && /^(Background|TODO)$/.test(fn!.child('field')?.text ?? '');
}

/** A parameter of the started function whose go-statement argument is context.Background()/TODO(). */
function backgroundArgument(b: Binding, target: GoroutineTarget): boolean {
  const arg = goArgumentFor(b, target);
  return arg !== null && isBackgroundContext(arg, target.scope);
}

/** A stop-named channel parameter whose go-statement argument is closed by the caller. */
function closedArgument(b: Binding, target: GoroutineTarget, pkg: GoPackage): boolean {
  const arg = goArgumentFor(b, target);
  return arg !== null && closedWhereStarted(arg, pkg) !== null;
}

/** The go statement's argument that a parameter of the started function receives. */
function goArgumentFor(b: Binding, target: GoroutineTarget): SNode | null {
  const fnNode = target.literal ?? target.fn?.node;
  if (!fnNode || b.declKind !== 'param' || b.scope !== fnNode) return null;
  const index = paramNames(fnNode).indexOf(b.node);
  if (index < 0) return null;
  return target.goStmt.namedChildren[0]?.child('arguments')?.namedChildren[index] ?? null;
}

function unparen(n: SNode | null): SNode | null {
  while (n?.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
  return n;
}
