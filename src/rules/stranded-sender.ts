// stranded-sender: a goroutine sends on a channel whose receiver can stop receiving first (it
// took the first answer, timed out, or left its receive loop early), and the channel has no
// room for the values nobody will take. The send blocks forever and the goroutine leaks with
// everything it references.
import type { SNode } from '../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../gosrc/package.js';
import { scopeOfFunc, type FuncScope } from '../gosrc/scope.js';
import type { Rule, RuleContext } from './types.js';
import { lineIndent, ownStatement, replaceNode, stableAt, type SourceEdit } from './lib/edits.js';
import { enclosingFunction } from '../gosrc/scope.js';
import { statementsOf } from '../model/paths.js';
import { canFallThrough } from './lib/paths.js';
import { checkFieldFirstResponse } from './stranded-sender-field.js';
import { checkDiscardedChannels, checkOrphanLocal, checkSelfBlock, checkSharedSends } from './stranded-sender-shapes.js';
import { callSiteAt } from '../model/index.js';
import { isNoReturnCall } from '../model/paths.js';
import {
  calleeSites,
  capacityOf,
  caseOf,
  describeCase,
  earlyExits,
  localChannels,
  loopBound,
  loopCount,
  loopsAround,
  makeWithCapacity,
  squash,
  type ChannelOp,
  type LocalChannel,
  returnedChannel,
  isProgramMain,
} from './lib/channels.js';

/** How many values the sending goroutines send in all. */
interface SendCount {
  /** A constant count (k go statements sending once each). */
  count: number | null;
  /** Capacity expressions that equal the count (a go in a loop sending once per iteration). */
  bound: string[] | null;
  /** False when a go statement or a send sits under an if/switch: the count is only an upper bound. */
  exact: boolean;
  /** The loop that starts one sending goroutine per iteration, when that is the shape. */
  loop: SNode | null;
}

const SELECT_FIX = 'or send inside a select with `case <-ctx.Done(): return` so the sender can give up';

export const rule: Rule = {
  meta: {
    id: 'stranded-sender',
    title: 'Goroutine send that nobody will receive',
    category: 'channels',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'A goroutine sends on an unbuffered (or too small) channel, but the receiver can stop before taking every value: it returns on the first result, on a timeout or ctx.Done(), or leaves its receive loop early. The remaining sends block forever and their goroutines leak. Fix: size the buffer to the number of sends, or send inside a select with a cancellation case.',
  },
  run(ctx) {
    for (const ch of localChannels(ctx.pkg)) {
      checkLocal(ch, ctx);
      checkOrphanLocal(ch, ctx);
      checkSelfBlock(ch, ctx);
    }
    checkReturnedChannels(ctx);
    checkDiscardedChannels(ctx);
    checkSharedSends(ctx);
    checkFieldFirstResponse(ctx);
  },
};

function checkLocal(ch: LocalChannel, ctx: RuleContext): void {
  if (ch.escape) return;
  const sends = ch.ops.filter((o) => o.kind === 'send');
  const recvs = ch.ops.filter((o) => o.kind === 'recv' || o.kind === 'range');
  if (sends.length === 0 || recvs.length === 0) return;
  // Only the shape "goroutines send, the making function receives" is modelled; a deferred
  // drain or a close by the receiver means the author manages the senders some other way.
  if (sends.some((s) => s.owner === null) || recvs.some((r) => r.owner !== null || r.deferred)) return;
  if (ch.ops.some((o) => o.kind === 'close' && o.owner === null)) return;
  const sites = sends.flatMap((s) => calleeSites(s));
  if (sites.length === 0 || sites.some((s) => s.cancellable)) return;

  const total = countSends(ch, sends, ctx.pkg);
  const exit = firstStrandingExit(ch, recvs, total, ctx.pkg);
  const unbufferedSingle = total.count === null && total.bound !== null && ch.capacity.value === 0;
  let kind: 'exit' | 'first' | null = exit && !bufferSuffices(ch, total, recvs) ? 'exit' : null;
  if (!kind && total.exact && recvs.every((r) => r.kind === 'recv' && channelLoops(r.site, ch).length === 0)) {
    const r = recvs.length;
    if ((total.count !== null && ch.capacity.value !== null && total.count > r + ch.capacity.value) || (unbufferedSingle && r === 1)) kind = 'first';
  }
  if (!kind) return;
  // The process ends right after the receiving (main returns, os.Exit): nothing is left to leak.
  if (isProgramMain(ch.home, ctx.pkg) || recvs.every((r) => exitsProcessAfter(r.site, ch))) return;

  const first = [...sends].sort((a, b) => a.site.start - b.site.start)[0]!;
  // A send done by a callee (`go fetch(u, ch)`) is reported at the go statement's call.
  const at = first.site;
  const size = total.count !== null ? String(total.count) : (total.bound?.[0] ?? null);
  const bufferFix = size ? `make \`${ch.name}\` buffered with capacity ${size}: \`${makeWithCapacity(ch, size)}\`, ${SELECT_FIX}` : null;
  const edits = bufferEdits(ch, total);
  const what = describeChannel(ch);
  if (kind === 'first') {
    const recv = recvs[recvs.length - 1]!;
    ctx.report({
      node: at,
      goroutine: first.owner,
      message: `${senders(total)} on ${what}, but only ${recvs.length === 1 ? 'one value is' : `${recvs.length} values are`} received: every other sender blocks forever (first response wins)`,
      related: [{ node: recv.site, message: recvs.length === 1 ? 'the only receive: the other senders wait in vain' : 'the last receive: the remaining senders wait in vain' }],
      fix: bufferFix ?? `make \`${ch.name}\` buffered with room for every sender, ${SELECT_FIX}`,
      edits,
    });
    return;
  }
  const { node, why, related } = exit!;
  const exitEdits = edits ?? selectOnDoneEdits(sends, node, ch);
  ctx.report({
    node: at,
    goroutine: first.owner,
    message: `${senders(total)} on ${what}, but the receiver ${why} ${total.count === 1 ? 'without receiving' : 'before receiving every value'}: the sender blocks forever`,
    related: [{ node, message: related }],
    fix:
      bufferFix ??
      `send inside a select with \`case <-ctx.Done(): return\` (or a done channel) and cancel it when the receiver stops, or keep draining \`${ch.name}\` after the early exit`,
    edits: exitEdits,
  });
}

/**
 * The make given the capacity the senders need: a constant count, or the loop's bound when it
 * is sure to be the same value at the make (a slice's len or an integer that is declared before
 * the make and never assigned again). A larger buffer changes nothing but the blocking.
 */
function bufferEdits(ch: LocalChannel, total: SendCount): SourceEdit[] | null {
  let size: string | null = total.count !== null ? String(total.count) : null;
  if (size === null && total.loop) size = loopCapacity(total.loop, ch);
  if (size === null) return null;
  const args = ch.make.child('arguments');
  const list = args?.namedChildren ?? [];
  if (!args || list.length === 0 || list.length > 2) return null;
  if (list.length === 2) return [replaceNode(list[1]!, size)];
  // Insert after the element type, inside the parentheses, keeping a trailing newline or comma out.
  if (!/^\(\s*[^]*[^,\s]\s*\)$/.test(args.text) || args.text.includes('\n')) return null;
  const at = list[0]!.end;
  return [{ file: ch.make.file, start: at, end: at, newText: `, ${size}` }];
}

/**
 * When the receiver leaves on `case <-ctx.Done():` of a context the senders can see, each send
 * `ch <- v` becomes `select { case ch <- v: case <-ctx.Done(): }`: the sender gives up exactly
 * when the receiver does. Only for sends written in the goroutine's own literal, as statements of
 * their own on one line; a send in a loop of the goroutine also returns from it, and only when
 * that loop is the goroutine's last statement (so the return skips nothing else).
 */
function selectOnDoneEdits(sends: ChannelOp[], exit: SNode, ch: LocalChannel): SourceEdit[] | null {
  const kase = exit.type === 'communication_case' ? exit : exit.ancestor('communication_case');
  const comm = kase?.child('communication');
  const recv = comm?.type === 'receive_statement' ? comm.child('right') : comm;
  const operand = recv?.type === 'unary_expression' ? recv.child('operand') : null;
  const fn = operand?.type === 'call_expression' ? operand.child('function') : null;
  const ctxName = fn?.type === 'selector_expression' && fn.child('field')?.text === 'Done' ? fn.child('operand') : null;
  if (!ctxName || ctxName.type !== 'identifier' || (operand!.child('arguments')?.namedChildren.length ?? 0) > 0) return null;
  const ctxBinding = ch.scope.resolve(ctxName);
  if (!ctxBinding || ctxBinding.declKind === 'receiver' || !stableAt(ctxName, ch.make, ch.scope)) return null;
  const edits: SourceEdit[] = [];
  for (const send of sends) {
    const site = send.site;
    const literal = send.owner?.namedChildren[0]?.child('function');
    if (send.via || site.type !== 'send_statement' || !ownStatement(site) || site.text.includes('\n') || literal?.type !== 'func_literal') return null;
    if (enclosingFunction(site) !== literal || literal.child('result')) return null;
    // The context must be the same variable inside the goroutine (not shadowed there).
    if (!ctxBinding.scope.contains(site) || ch.scope.bindings.some((b) => b.name === ctxBinding.name && b !== ctxBinding && literal.contains(b.node))) return null;
    const indent = lineIndent(site);
    if (indent === null) return null;
    const loops = loopsAround(site, literal);
    let leave = '';
    if (loops.length > 0) {
      const body = statementsOf(literal.child('body'));
      if (body[body.length - 1] !== loops[loops.length - 1]) return null;
      leave = `\n${indent}\treturn`;
    }
    edits.push(replaceNode(site, `select {\n${indent}case ${site.text}:\n${indent}case <-${ctxName.text}.Done():${leave}\n${indent}}`));
  }
  return edits.length > 0 ? edits : null;
}

/** The number of iterations of a sender loop as an expression valid at the channel's make. */
function loopCapacity(loop: SNode, ch: LocalChannel): string | null {
  const range = loop.childOfType('range_clause');
  if (range) {
    const right = range.child('right');
    if (!right) return null;
    if (right.type === 'int_literal') return right.text;
    if (right.type !== 'identifier' || !stableAt(right, ch.make, ch.scope)) return null;
    const b = ch.scope.resolve(right);
    const type = b?.typeNode?.text ?? '';
    if (b?.node.parent?.type === 'variadic_parameter_declaration' || /^(\[|map\[)/.test(type) || /^(\[|map\[)/.test(typeOfInit(b))) return `len(${right.text})`;
    if (/^u?int(8|16|32|64)?$/.test(type)) return right.text;
    return null;
  }
  const cond = loop.childOfType('for_clause')?.child('condition');
  const bound = cond?.child('right');
  return bound && stableAt(bound, ch.make, ch.scope) ? squash(bound.text) : null;
}

/** `[]T{...}` or `make([]T, n)` that initialises a local: the slice or map type it has. */
function typeOfInit(b: { init: SNode | null; initIndex: number } | null): string {
  const init = b && b.initIndex === -1 ? b.init : null;
  if (init?.type === 'composite_literal') return init.child('type')?.text ?? '';
  if (init?.type === 'call_expression' && init.child('function')?.text === 'make') return init.child('arguments')?.namedChildren[0]?.text ?? '';
  return '';
}

/** The subject of a message: who sends. */
function senders(total: SendCount): string {
  if (total.count !== null && total.count > 1) return `${total.count} goroutines send`;
  if (total.count === null && total.bound) return 'a goroutine started in a loop sends';
  return 'goroutine sends';
}

function describeChannel(ch: LocalChannel): string {
  if (ch.capacity.value === 0) return `unbuffered channel \`${ch.name}\``;
  return `channel \`${ch.name}\` (buffer ${ch.capacity.text})`;
}

/** Counts the values sent, when the shape makes it countable. */
function countSends(ch: LocalChannel, sends: ChannelOp[], pkg: GoPackage): SendCount {
  const unknown: SendCount = { count: null, bound: null, exact: false, loop: null };
  const byGoroutine = new Map<SNode, ChannelOp[]>();
  for (const s of sends) {
    const list = byGoroutine.get(s.owner!) ?? [];
    list.push(...calleeSites(s));
    byGoroutine.set(s.owner!, list);
  }
  let count = 0;
  let exact = true;
  for (const [g, list] of byGoroutine) {
    // One send, not in a loop of the goroutine, sends one value per goroutine; so do sends that
    // each end the goroutine (`errc <- err; return`).
    const send = list[0]!;
    const once = list.length === 1 && !send.several && loopsAround(send.site, g).length === 0;
    if (!once && !list.every((x) => endsGoroutine(x.site, g))) return unknown;
    const loops = channelLoops(g, ch);
    exact &&= !send.conditional && !underCondition(send.site, send.via ? send.via.callee.node : g) && !underCondition(g, loops[0] ?? ch.home);
    if (loops.length === 0) {
      count++;
      continue;
    }
    // A single go statement in a single loop: one value per iteration.
    if (byGoroutine.size > 1 || loops.length > 1) return unknown;
    const bound = loopBound(loops[0]!, ch.scope);
    return { count: loopCount(loops[0]!, ch.scope, pkg), bound, exact, loop: loops[0]! };
  }
  return { count, bound: null, exact, loop: null };
}

/** A send after which its goroutine returns: the next statement is a return, or nothing follows in the goroutine's body. */
function endsGoroutine(send: SNode, g: SNode): boolean {
  if (send.type !== 'send_statement' || !g.contains(send)) return false;
  const list = send.parent;
  if (list?.type !== 'statement_list') return false;
  const stmts = list.namedChildren;
  const next = stmts[stmts.indexOf(send) + 1];
  if (next) return next.type === 'return_statement';
  // The last statement of the goroutine literal's own body.
  const body = list.parent;
  return body?.type === 'block' && body.parent?.type === 'func_literal' && body.parent.parent?.parent === g;
}

/**
 * The loops around `node` in the channel's home function that run with this channel: a loop
 * that also holds the make gets a new channel on every iteration, so it does not repeat uses.
 */
function channelLoops(node: SNode, ch: LocalChannel): SNode[] {
  return loopsAround(node, ch.home).filter((l) => !l.contains(ch.make));
}

/**
 * Whether the home function ends the process (os.Exit, log.Fatal) on the straight path after
 * `node`: a statement of one of the blocks around it, later than it.
 */
function exitsProcessAfter(node: SNode, ch: LocalChannel): boolean {
  for (let stmt: SNode | null = node; stmt && stmt !== ch.home; stmt = stmt.parent) {
    const list = stmt.parent;
    if (list?.type !== 'statement_list') continue;
    for (const next of list.namedChildren) {
      if (next.start <= stmt.start || next.type !== 'expression_statement') continue;
      const call = next.namedChildren[0] ?? null;
      if (isNoReturnCall(call, ch.scope) && call?.child('function')?.type === 'selector_expression' && ch.scope.isPackageName(call.child('function')!.child('operand')!)) return true;
    }
  }
  return false;
}

/** True when an if, switch or select lies between `node` and `stop`. */
function underCondition(node: SNode, stop: SNode): boolean {
  for (let p = node.parent; p && p !== stop; p = p.parent) {
    if (/^(if_statement|expression_switch_statement|type_switch_statement|select_statement)$/.test(p.type)) return true;
  }
  return false;
}

function bufferSuffices(ch: LocalChannel, total: SendCount, recvs: ChannelOp[]): boolean {
  const cap = ch.capacity;
  if (cap.value === 0) return false;
  if (cap.value !== null && total.count !== null) return cap.value >= total.count;
  if (cap.text && total.bound?.includes(squash(cap.text))) return true;
  // A constant buffer for one goroutine per iteration of a loop whose length the data decides,
  // received by another loop (first error wins): it holds only that many of the values left
  // behind. Received in the starting loop itself, each iteration takes its own value.
  if (cap.value !== null && total.loop && !recvs.some((r) => total.loop!.contains(r.site))) return false;
  // A buffer whose size cannot be compared with the sends: assume the author sized it.
  return true;
}

interface Exit {
  node: SNode;
  why: string;
  related: string;
}

/**
 * A way the making function stops receiving while senders may remain: a select case other
 * than the receive that returns (or falls out of a select outside any loop with no receive
 * after it), or a return/break out of the receive loop.
 */
function firstStrandingExit(ch: LocalChannel, recvs: ChannelOp[], total: SendCount, pkg: GoPackage): Exit | null {
  const lastRecvEnd = Math.max(...recvs.map((r) => r.site.end));
  for (const r of recvs) {
    if (!r.select) continue;
    const own = caseOf(r);
    for (const c of r.select.namedChildren) {
      if (c === own || (c.type !== 'communication_case' && c.type !== 'default_case')) continue;
      // A case that still receives from the channel (a last wait after a kill) strands nobody.
      if (recvs.some((o) => c.contains(o.site))) continue;
      // `case err := <-errc` where our own senders send either a result or an error: the
      // goroutine that sent on errc sends nothing on this channel.
      if (fedBySameGoroutines(c, ch, pkg)) continue;
      const ret = ownReturn(c);
      if (ret) return { node: ret, why: `returns on ${describeCase(c)}`, related: 'the receiver returns here without receiving' };
      const outsideLoops = channelLoops(r.select, ch).length === 0;
      if (outsideLoops && r.select.end >= lastRecvEnd && !r.twoValue) {
        // A case that ends the goroutine (t.Fatalf, runtime.Goexit) gives up as surely.
        const why = canFallThrough(c) ? `moves on after ${describeCase(c)}` : `gives up on ${describeCase(c)}`;
        return { node: c, why, related: 'after this case nothing receives from the channel again' };
      }
    }
  }
  for (const r of recvs) {
    if (r.twoValue) continue;
    const loop = r.kind === 'range' ? r.site : channelLoops(r.site, ch)[0];
    if (!loop) continue;
    for (const e of earlyExits(loop)) {
      // A select case other than the receive is handled above; a break followed by a later
      // receive (a drain) strands nobody.
      if (r.select && r.select.contains(e) && !caseOf(r)?.contains(e)) continue;
      if (e.type === 'break_statement' && recvs.some((o) => o.site.start > loop.end)) continue;
      // Leaving after the receive has taken one value: the rest must fit in the buffer (with a
      // single value to take, nobody is left at all).
      if (e.start > r.site.start && total.count !== null && ch.capacity.value !== null && total.count - 1 <= ch.capacity.value) continue;
      // Each iteration starts its sender and then receives its value (a retry loop): leaving
      // after the receive strands nobody.
      if (e.start > r.site.end && sendersStartedBefore(r, loop, ch)) continue;
      // An endless loop may count its senders down (`if active == 0 { return }`): only an
      // unconditional exit is sure to leave senders behind.
      if (r.kind !== 'range' && !loopBound(loop) && guardedWithin(e, loop)) continue;
      const verb = e.type === 'return_statement' ? 'returns from its receive loop' : 'breaks out of its receive loop';
      return { node: e, why: `${verb} early`, related: 'the receive loop exits here while senders may still be waiting' };
    }
  }
  return null;
}

/** Every sending goroutine is started in `loop` before the receive `r`, in the same iteration. */
function sendersStartedBefore(r: ChannelOp, loop: SNode, ch: LocalChannel): boolean {
  const owners = ch.ops.filter((o) => o.kind === 'send').map((o) => o.owner);
  return owners.length > 0 && owners.every((g) => g !== null && loop.contains(g) && g.end < r.site.start && channelLoops(g, ch)[0] === loop);
}

/** True when select case `c` receives from another local channel sent on (or closed) by the goroutines that send on `ch`. */
function fedBySameGoroutines(c: SNode, ch: LocalChannel, pkg: GoPackage): boolean {
  const operand = c.child('communication')?.child('right')?.child('operand');
  if (operand?.type !== 'identifier') return false;
  const b = ch.scope.resolve(operand);
  const other = b && localChannels(pkg).find((o) => o.binding === b);
  if (!other) return false;
  // Every goroutine that sends on or closes the other channel also sends on `ch`: when that
  // case fires, one of our senders took its other way out (`close(success)` instead of
  // `errc <- err`). Another goroutine firing it says nothing about ours.
  const ours = new Set(ch.ops.filter((o) => o.kind === 'send').map((o) => o.owner));
  const theirs = other.ops.filter((o) => o.kind === 'send' || o.kind === 'close');
  return theirs.length > 0 && theirs.every((o) => ours.has(o.owner));
}

/** True when `exit` sits under an if or switch inside `loop`. */
function guardedWithin(exit: SNode, loop: SNode): boolean {
  for (let p = exit.parent; p && p !== loop; p = p.parent) {
    if (p.type === 'if_statement' || p.type === 'expression_switch_statement' || p.type === 'type_switch_statement') return true;
  }
  return false;
}

/** The first return statement of a select case's own code (not in nested literals). */
function ownReturn(c: SNode): SNode | null {
  let found: SNode | null = null;
  c.walk((n) => {
    if (found || n.type === 'func_literal') return false;
    if (n.type === 'return_statement') found = n;
    return true;
  });
  return found;
}

/**
 * `for v := range gen()` (or `ch := gen(); for v := range ch`) over a channel a same-package
 * function returns and feeds from a goroutine whose sends cannot give up: breaking or returning
 * out of the loop leaves that goroutine blocked on its next send.
 */
/**
 * The same-package function a generator call runs: `numbers(n)`, or a method `ix.walk()` when
 * the model resolves the call to exactly one method.
 */
function generatorCallee(call: SNode, callee: SNode, scope: FuncScope, pkg: GoPackage): FuncInfo | null {
  if (callee.type === 'identifier') return scope.resolve(callee) ? null : (pkg.funcs.get(callee.text) ?? null);
  if (callee.type !== 'selector_expression') return null;
  const resolved = callSiteAt(pkg, call)?.resolved;
  return resolved?.kind === 'method' && resolved.targets.length === 1 ? resolved.targets[0]!.info : null;
}

function checkReturnedChannels(ctx: RuleContext): void {
  const pkg = ctx.pkg;
  const found = new Map<SNode, { go: SNode; callee: string; exits: SNode[] }>();
  for (const fn of pkg.funcs.values()) {
    if (!fn.body || fn.body.elided) continue;
    const scope = scopeOfFunc(fn, pkg);
    for (const loop of fn.body.findAll('for_statement')) {
      const right = loop.childOfType('range_clause')?.child('right');
      if (!right) continue;
      let call: SNode | null = null;
      let index = 0;
      if (right.type === 'call_expression') call = right;
      else if (right.type === 'identifier') {
        const b = scope.resolve(right);
        // The local must be used only by this loop: a later drain or a hand-off changes the story.
        if (!b || b.declKind !== 'short' || b.init?.type !== 'call_expression' || scope.references(b).length !== 2) continue;
        call = b.init;
        index = Math.max(0, b.initIndex);
      }
      const callee = call?.child('function');
      const target = call && callee ? generatorCallee(call, callee, scope, pkg) : null;
      const returned = target ? returnedChannel(pkg, target, index) : null;
      if (!target || !returned?.goStmt || returned.sendsCancellable || capacityOf(returned.make, pkg).value !== 0) continue;
      const exits = earlyExits(loop);
      if (exits.length === 0) continue;
      for (const send of returned.sends.slice(0, 1)) {
        const entry = found.get(send) ?? { go: returned.goStmt, callee: callee!.text, exits: [] };
        entry.exits.push(exits[0]!);
        found.set(send, entry);
      }
    }
  }
  for (const [send, { go, callee, exits }] of found) {
    ctx.report({
      node: send,
      goroutine: go,
      message: `goroutine sends on the unbuffered channel returned by \`${callee}\` without a cancellation case, but a range loop over it can stop early: the sender blocks forever on its next send`,
      related: exits.slice(0, 3).map((node) => ({ node, message: 'the range loop exits here without draining the channel' })),
      fix: `give \`${callee}\` a context (or done channel) and send inside \`select { case ch <- v: case <-ctx.Done(): return }\`, cancelling it when the loop exits`,
    });
  }
}
