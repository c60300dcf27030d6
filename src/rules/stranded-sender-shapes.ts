// The stranded-sender shapes beyond "the making function stops receiving" (stranded-sender.ts):
//   - orphan sends: a send on a channel nothing in the package ever receives from;
//   - a discarded channel: a function returns a channel its goroutine sends on, and the caller
//     drops it;
//   - a send whose only receivers are loops that can exit (a stop case, an error return) with
//     nothing draining after them: once the loop has exited, the send blocks forever;
//   - self-block: a function sends on an unbuffered channel before it starts the goroutine that
//     receives from it.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { valueModel } from '../model/values.js';
import { loopExits } from '../model/paths.js';
import { fieldChannels, inSelectWithOtherCases, loopsAround, returnedChannel, type ChannelOp, type ChannelUse, type FieldChannel, type LocalChannel } from './lib/channels.js';
import type { RuleContext } from './types.js';

const SELECT_FIX = 'or send inside a select with `case <-ctx.Done(): return` so the sender can give up';

/** A send that can block: not a select case with a way out. */
function blocking(op: { cancellable: boolean; select: SNode | null }): boolean {
  return !op.cancellable && !inSelectWithOtherCases(op.select);
}

/** A local channel that something sends on and nothing ever receives from. */
export function checkOrphanLocal(ch: LocalChannel, ctx: RuleContext): void {
  if (ch.escape || ch.capacity.value !== 0) return;
  if (ch.ops.some((o) => o.kind === 'recv' || o.kind === 'range' || o.kind === 'close')) return;
  const send = ch.ops.find((o) => o.kind === 'send' && !o.deferred && blocking(o));
  if (!send) return;
  ctx.report({
    node: send.site,
    goroutine: send.owner,
    message: `${send.owner ? 'goroutine sends' : 'function sends'} on unbuffered channel \`${ch.name}\`, but nothing ever receives from it: the ${send.owner ? 'sender' : 'function'} blocks forever`,
    related: [{ node: ch.make, message: `\`${ch.name}\` is made here and never received from` }],
    fix: `receive the value where it is needed (\`<-${ch.name}\`), make \`${ch.name}\` buffered with room for every send, ${SELECT_FIX}`,
  });
}

/** Shared channels (fields, package variables): orphan sends and sends to receiver loops that exit. */
export function checkSharedSends(ctx: RuleContext): void {
  for (const fc of fieldChannels(ctx.pkg)) {
    if (fc.escape || fc.exported || fc.makes.length === 0 || fc.capacity !== 0) continue;
    const sends = fc.uses.filter((u) => u.kind === 'send' && !u.op.external && blocking(u.op));
    if (sends.length === 0) continue;
    const receivers = fc.uses.filter((u) => u.kind === 'recv' || u.kind === 'range');
    if (receivers.length === 0) {
      if (fc.closes > 0) continue;
      const send = sends[0]!;
      ctx.report({
        node: send.op.node,
        goroutine: send.starts[0] ?? null,
        message: `sends on ${fc.label}, an unbuffered channel nothing in the package ever receives from: the sender blocks forever`,
        related: [{ node: fc.makes[0]!, message: 'the channel is made here' }],
        fix: `receive from it where the values are meant to go, or drop the send, ${SELECT_FIX}`,
      });
      continue;
    }
    checkExitingReceivers(fc, sends, receivers, ctx);
  }
}

/**
 * Every receive of the channel sits in a loop that can be left (a stop case, an error return),
 * and nothing receives after that: from then on every send blocks forever. Sends in the
 * receiving function itself, and sends that can give up, are not at risk.
 */
function checkExitingReceivers(fc: FieldChannel, sends: ChannelUse[], receivers: ChannelUse[], ctx: RuleContext): void {
  let exit: { node: SNode; fn: SNode } | null = null;
  for (const r of receivers) {
    // A range ends when the channel is closed: then sends panic rather than block.
    if (r.kind === 'range' || r.op.twoValue) return;
    // The receive competes, as a select case in a loop, with a case that leaves the loop
    // unconditionally (`case <-s.quit: return`): once that case wins, nothing receives again.
    const loop = loopsAround(r.op.node, r.op.fn)[0];
    const select = r.op.select;
    if (!loop || !select || !loop.contains(select)) return;
    const own = r.op.node.ancestor('communication_case');
    const leaving = loopExits(loop).find((e) => e.kind !== 'call' && !own?.contains(e.node) && siblingCaseOf(e.node, select) !== null && !guarded(e.node, siblingCaseOf(e.node, select)!));
    if (!leaving) return;
    // Something receives again after the loop (a drain): not stranded.
    if (receivers.some((o) => o !== r && o.op.fn === r.op.fn && o.op.node.start > loop.end)) return;
    exit ??= { node: leaving.node, fn: r.op.fn };
  }
  if (!exit) return;
  const reported = new Set<SNode>();
  for (const s of sends) {
    if (receivers.some((r) => r.op.fn === s.op.fn) || reported.has(s.op.fn)) continue;
    reported.add(s.op.fn);
    ctx.report({
      node: s.op.node,
      goroutine: s.starts[0] ?? null,
      message: `sends on ${fc.label}, but its only receiver is a loop that can exit (and nothing drains the channel after it): once the receiver has stopped, this send blocks forever`,
      related: [{ node: exit.node, message: 'the receiving loop exits here' }],
      fix: `send inside \`select { case ch <- v: case <-done: return }\` with the channel or context that stops the receiver, or keep receiving until every sender is done`,
    });
  }
}

/** The case of `select` that holds `node` directly (not in a nested select). */
function siblingCaseOf(node: SNode, select: SNode): SNode | null {
  const c = node.ancestor('communication_case', 'default_case');
  return c && c.parent === select ? c : null;
}

/** Whether `node` sits under an if or switch inside the case. */
function guarded(node: SNode, kase: SNode): boolean {
  for (let p = node.parent; p && p !== kase; p = p.parent) if (/^(if_statement|expression_switch_statement|type_switch_statement)$/.test(p.type)) return true;
  return false;
}

/**
 * `gen()` called for its side effects (or assigned to `_`) where gen returns a channel its
 * goroutine sends on: nobody will ever receive, so that goroutine blocks on its first send.
 */
export function checkDiscardedChannels(ctx: RuleContext): void {
  const pkg = ctx.pkg;
  const model = valueModel(pkg);
  for (const site of model.calls) {
    const t = site.resolved?.targets.length === 1 ? site.resolved.targets[0]! : null;
    if (!t?.info || site.go || !discarded(site.node)) continue;
    const returned = t.info.results.findIndex((r) => r.kind === 'chan');
    if (returned < 0) continue;
    const rc = returnedChannel(pkg, t.info, returned);
    if (!rc?.goStmt || rc.sendsCancellable || rc.sends.length === 0 || capacityValue(rc.make, pkg) !== 0) continue;
    ctx.report({
      node: site.node,
      goroutine: rc.goStmt,
      message: `the channel \`${t.info.name}\` returns is dropped here, but its goroutine sends on it: nothing will ever receive, so that goroutine blocks forever on its first send`,
      related: [{ node: rc.sends[0]!, message: 'the goroutine blocks on this send' }],
      fix: `receive from the returned channel (or drain it), or do not start the work when its result is not wanted`,
    });
  }
}

function discarded(call: SNode): boolean {
  const p = call.parent;
  if (p?.type === 'expression_statement') return true;
  if (p?.type === 'expression_list' && p.field === 'right' && p.namedChildren.length === 1) {
    const left = p.parent?.child('left')?.namedChildren ?? [];
    return left.length > 0 && left.every((l) => l.text === '_');
  }
  return false;
}

function capacityValue(make: SNode, pkg: GoPackage): number | null {
  const model = valueModel(pkg);
  return model.creations.find((c) => c.value === make)?.capacity?.value ?? null;
}

/**
 * The making function sends on its unbuffered channel before it starts the goroutines that
 * receive from it: no receiver exists yet, so the send blocks forever.
 */
export function checkSelfBlock(ch: LocalChannel, ctx: RuleContext): void {
  if (ch.escape || ch.capacity.value !== 0) return;
  const recvs = ch.ops.filter((o) => o.kind === 'recv' || o.kind === 'range');
  if (recvs.length === 0 || recvs.some((r) => r.owner === null)) return;
  const first = ch.ops
    .filter((o): o is ChannelOp => o.kind === 'send' && o.owner === null && !o.deferred && o.chain.length === 0 && blocking(o))
    .sort((a, b) => a.site.start - b.site.start)[0];
  if (!first) return;
  // Every receiving goroutine starts later in the function, and not in a loop around the send.
  const starts = recvs.map((r) => r.owner!);
  if (!starts.every((g) => g.start > first.site.end && g.file === first.site.file)) return;
  if (loopsAround(first.site, ch.home).some((l) => starts.some((g) => l.contains(g)))) return;
  ctx.report({
    node: first.site,
    goroutine: null,
    message: `function sends on unbuffered channel \`${ch.name}\` before it starts the goroutine that receives from it: no receiver exists yet, so the send blocks forever`,
    related: [{ node: starts[0]!, message: 'the receiving goroutine is started only here' }],
    fix: `start the receiving goroutine before the first send, or make \`${ch.name}\` buffered with room for the values sent before it starts`,
  });
}
