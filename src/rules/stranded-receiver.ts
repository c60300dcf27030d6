// stranded-receiver: a goroutine ranges over (or waits on) a channel that nothing closes, or
// that is closed only on the success path: when the producer returns early, the range never
// ends and the goroutine blocks forever on a receive.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import type { Rule, RuleContext } from './types.js';
import { calleeSites, fieldChannels, isProgramMain, localChannels, returnsBetween, runsForever, type ChannelOp, type LocalChannel } from './lib/channels.js';

export const rule: Rule = {
  meta: {
    id: 'stranded-receiver',
    title: 'Goroutine receive that is never released',
    category: 'channels',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'A goroutine ranges over or receives from a channel that no code path closes or sends to, or that the producer closes only on its success path (an early error return skips the close). The goroutine blocks forever on the receive. Fix: `defer close(ch)` right after making the channel (or at the top of the producer).',
  },
  run(ctx) {
    for (const ch of localChannels(ctx.pkg)) checkLocal(ch, ctx);
    checkFields(ctx);
  },
};

function checkLocal(ch: LocalChannel, ctx: RuleContext): void {
  if (ch.escape || isProgramMain(ch.home, ctx.pkg) || runsForever(ch.home)) return;
  const pkg = ctx.pkg;
  // The receiving goroutines: a range, or a receive that cannot give up through another case.
  // A deferred receive is a semaphore release or a drain, not a wait for a producer.
  const waits = ch.ops.filter((o) => o.owner !== null && !o.via && !o.deferred && (o.kind === 'range' || (o.kind === 'recv' && !o.cancellable && !inSelectWithOtherCases(o.select))));
  if (waits.length === 0) return;
  const closes = ch.ops.filter((o) => o.kind === 'close').flatMap((o) => calleeSites(o));
  if (closes.some((c) => c.deferred)) return;
  for (const wait of waits) {
    const sendsElsewhere = ch.ops.some((o) => o.kind === 'send' && o.owner !== wait.owner);
    // A single receive is released by any send (even the goroutine's own, as with a
    // semaphore `sema <- token; defer func() { <-sema }()`); only a range needs the close.
    if (wait.kind === 'recv' && ch.ops.some((o) => o.kind === 'send')) continue;
    if (closes.length === 0) {
      reportNeverClosed(ch, wait, sendsElsewhere, ctx);
      return;
    }
    const skip = returnSkippingClose(ch, wait, pkg);
    if (skip) {
      const who = skip.producer ? 'the producer goroutine' : skip.callee ? `\`${skip.callee}\`` : 'the function';
      ctx.report({
        node: wait.site,
        goroutine: wait.owner,
        message: `goroutine ${verb(wait)} \`${ch.name}\`, but ${who} returns early without closing it: on that path the goroutine blocks forever`,
        related: [{ node: skip.ret, message: `returns here without \`close(${ch.name})\`` }],
        fix: skip.producer
          ? `close \`${ch.name}\` on every path: \`defer close(${ch.name})\` at the top of the producer goroutine`
          : skip.callee
            ? `close it on every path: \`defer close(${skip.param})\` at the top of \`${skip.callee}\``
            : `close \`${ch.name}\` on every path: \`defer close(${ch.name})\` right after making it`,
      });
      return;
    }
  }
}

function verb(op: ChannelOp): string {
  return op.kind === 'range' ? 'ranges over' : 'waits to receive from';
}

function reportNeverClosed(ch: LocalChannel, wait: ChannelOp, sends: boolean, ctx: RuleContext): void {
  const message =
    wait.kind === 'range'
      ? `goroutine ranges over \`${ch.name}\`, but nothing closes it: after the last value the goroutine blocks forever`
      : `goroutine waits to receive from \`${ch.name}\`, but nothing sends on or closes it: the goroutine blocks forever`;
  ctx.report({
    node: wait.site,
    goroutine: wait.owner,
    message,
    related: [{ node: ch.make, message: `\`${ch.name}\` is made here and never closed` }],
    fix: sends
      ? `close \`${ch.name}\` once the last value is sent: \`defer close(${ch.name})\` in the sending function`
      : `close \`${ch.name}\` when the goroutine should stop: \`defer close(${ch.name})\` right after making it`,
  });
}

/**
 * A close that is not deferred and a return in the same function before it: the function
 * can leave without closing. For the making function only returns after the receiving
 * goroutine starts count; a return already preceded by a close in its block is fine.
 */
function returnSkippingClose(
  ch: LocalChannel,
  wait: ChannelOp,
  pkg: GoPackage,
): { ret: SNode; producer: boolean; callee: string | null; param: string | null } | null {
  const closeOps = ch.ops.filter((o) => o.kind === 'close');
  const allSites = closeOps.flatMap((o) => calleeSites(o));
  for (const close of closeOps) {
    if (close.owner === wait.owner && !close.via) continue;
    const sites = calleeSites(close);
    const fn = close.via ? close.via.callee.node : close.owner ? close.owner.namedChildren[0]!.child('function')! : ch.home;
    if (fn.type !== 'func_literal' && fn !== ch.home && !close.via) continue;
    const after = !close.via && !close.owner ? wait.owner!.end : fn.start;
    const lastClose = Math.max(...sites.map((s) => s.site.start));
    for (const ret of returnsBetween(fn, after, lastClose)) {
      if (allSites.some((s) => closesBefore(s.site, ret))) continue;
      const via = close.via;
      return { ret, producer: close.owner !== null && !via, callee: via?.callee.name ?? null, param: via ? (via.callee.params[via.param]?.name ?? null) : null };
    }
  }
  return null;
}

/** `close(ch)` as a statement of a block that also holds `ret`, and before it. */
function closesBefore(closeCall: SNode, ret: SNode): boolean {
  const stmt = closeCall.parent;
  const list = stmt?.parent;
  return stmt?.type === 'expression_statement' && !!list && list.contains(ret) && closeCall.start < ret.start;
}

/**
 * Struct fields: a goroutine ranges over `s.jobs` (or waits on `s.done`) and no code anywhere
 * in the package closes that field. Exported fields are skipped: other packages may close them.
 */
function checkFields(ctx: RuleContext): void {
  for (const fc of fieldChannels(ctx.pkg)) {
    if (fc.escape || fc.closes > 0 || fc.makes.length === 0 || /^[A-Z]/.test(fc.field)) continue;
    for (const wait of fc.waits) {
      if (wait.kind === 'recv' && fc.sends > 0) continue;
      const place = `\`.${fc.field}\``;
      ctx.report({
        node: wait.site,
        goroutine: wait.go,
        message:
          wait.kind === 'range'
            ? `goroutine ranges over the ${place} field of \`${fc.struct}\`, but no code in the package closes it: after the last value the goroutine blocks forever`
            : `goroutine waits to receive from the ${place} field of \`${fc.struct}\`, but no code in the package sends on or closes it: the goroutine blocks forever`,
        related: [{ node: fc.makes[0]!, message: `the ${place} channel is made here` }],
        fix: `close it when the owner shuts down: a Close/Stop method of \`${fc.struct}\` that does \`close(x.${fc.field})\`, called by whoever starts the goroutine`,
      });
    }
  }
}

/**
 * A receive that is one case of a select with other cases (a send, say) is released when any
 * other case proceeds; whether one will is beyond what is visible here, so stay silent.
 */
function inSelectWithOtherCases(select: SNode | null): boolean {
  if (!select) return false;
  return select.namedChildren.filter((c) => c.type === 'communication_case' || c.type === 'default_case').length > 1;
}
