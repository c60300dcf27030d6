// stranded-receiver: a goroutine ranges over (or waits on) a channel that nothing closes, or
// that is closed only on the success path: when the producer returns early, the range never
// ends and the goroutine blocks forever on a receive.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import type { Rule, RuleContext } from './types.js';
import { calleeSites, fieldChannels, inSelectWithOtherCases, isProgramMain, localChannels, returnsBetween, runsForever, type ChannelOp, type FieldChannel, type LocalChannel } from './lib/channels.js';
import { tracePaths, type Effect as PathEffect } from '../model/paths.js';
import { valueModel } from '../model/values.js';

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
    for (const ch of localChannels(ctx.pkg)) {
      checkLocal(ch, ctx);
      checkUnreachableWait(ch, ctx);
    }
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

/**
 * The making function itself waits on a channel it never hands to anyone, with no send or close
 * anywhere: nothing can ever release it. (A program's main blocking forever on purpose is left
 * alone.)
 */
function checkUnreachableWait(ch: LocalChannel, ctx: RuleContext): void {
  if (ch.escape || isProgramMain(ch.home, ctx.pkg) || ch.ops.some((o) => o.kind === 'send' || o.kind === 'close')) return;
  const name = ch.home.child('name')?.text;
  if (name === 'init') return;
  const wait = ch.ops.find((o) => o.owner === null && !o.deferred && (o.kind === 'range' || (o.kind === 'recv' && !o.cancellable && !inSelectWithOtherCases(o.select))));
  if (!wait) return;
  ctx.report({
    node: wait.site,
    goroutine: null,
    message: `function ${verb(wait)} \`${ch.name}\`, which it made and never hands to anyone: nothing can send on or close it, so the goroutine running this function blocks here forever`,
    related: [{ node: ch.make, message: `\`${ch.name}\` is made here` }],
    fix: `send on or close \`${ch.name}\` where the awaited work finishes (hand it to that code), or remove the wait`,
  });
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
 * Struct fields and package variables: a goroutine ranges over `s.jobs` (or waits on `s.done`)
 * and no code anywhere in the package closes it (or, for a receive, sends on it), or every
 * close sits after an error return that skips it. Exported ones are skipped: other packages may
 * close them.
 */
function checkFields(ctx: RuleContext): void {
  for (const fc of fieldChannels(ctx.pkg)) {
    // Who closes or sends is the question: a receive-only handle returned by an accessor is no escape.
    if (fc.closeEscape || fc.makes.length === 0 || fc.exported) continue;
    const what = fc.struct ? `the \`.${fc.field}\` channel` : `\`${fc.field}\``;
    const closer = fc.struct ? `a Close/Stop method of \`${fc.struct}\` that does \`close(x.${fc.field})\`, called by whoever starts the goroutine` : `\`close(${fc.field})\` where its producer finishes`;
    if (fc.closes === 0) {
      for (const wait of fc.waits) {
        if (wait.kind === 'recv' && fc.sends > 0) continue;
        ctx.report({
          node: wait.site,
          goroutine: wait.go,
          message:
            wait.kind === 'range'
              ? `goroutine ranges over ${fc.label}, but no code in the package closes it: after the last value the goroutine blocks forever`
              : `goroutine waits to receive from ${fc.label}, but no code in the package sends on or closes it: the goroutine blocks forever`,
          related: [{ node: fc.makes[0]!, message: `${what} is made here` }],
          fix: `close it when the owner shuts down: ${closer}`,
        });
      }
      continue;
    }
    // Every close is skipped by an error return of the function that does it.
    const ranges = fc.waits.filter((w) => w.kind === 'range' || fc.sends === 0);
    if (ranges.length === 0) continue;
    const skip = closeSkippedOnError(ctx.pkg, fc);
    if (!skip) continue;
    for (const wait of ranges) {
      ctx.report({
        node: wait.site,
        goroutine: wait.go,
        message: `goroutine ${wait.kind === 'range' ? 'ranges over' : 'waits to receive from'} ${fc.label}, which is closed only on the success path: \`${skip.name}\` returns an error before \`close\`, and on that path the goroutine blocks forever`,
        related: [
          { node: skip.ret, message: 'this error return skips the close' },
          { node: skip.close, message: 'the only close' },
        ],
        fix: `close it on every path: \`defer close(...)\` at the top of \`${skip.name}\` (or close it in a Close method that always runs)`,
      });
    }
  }
}

/**
 * When every close of a shared channel is a plain (not deferred) close in a function that has
 * an error return before it, the first such return; null when some close happens on every path
 * of its function, is deferred, or is out of view.
 */
function closeSkippedOnError(pkg: GoPackage, fc: FieldChannel): { ret: SNode; close: SNode; name: string } | null {
  const model = valueModel(pkg);
  const closes = fc.uses.filter((u) => u.kind === 'close');
  let found: { ret: SNode; close: SNode; name: string } | null = null;
  for (const c of closes) {
    if (c.chain.length > 0 || c.op.deferred) return null;
    const fn = model.functions.get(c.op.fn);
    if (!fn?.body || fn.use === 'defer') return null;
    const effectOf = (call: SNode): PathEffect => (call === c.op.node ? 'release' : null);
    const result = tracePaths(fn.body, 'yes', effectOf);
    if (result.mainExit !== 'no') return null;
    const skipping = result.returns.filter((r) => r.state === 'yes' && isErrorReturn(r.node));
    // A return that leaves without closing for another reason (a guard against closing twice) is
    // not a skipped close; only error returns are.
    if (result.returns.some((r) => r.state === 'yes' && !isErrorReturn(r.node))) return null;
    if (skipping.length === 0) return null;
    found ??= { ret: skipping[0]!.node, close: c.op.node, name: fn.info?.name ?? 'the goroutine' };
  }
  return found;
}

/** A return that reports an error: it returns `err` or a new error, or sits under `if err != nil`. */
function isErrorReturn(ret: SNode): boolean {
  const values = ret.namedChildren[0]?.type === 'expression_list' ? ret.namedChildren[0].namedChildren : ret.namedChildren;
  if (values.some((v) => /^(err\w*|\w*Err)$/.test(v.text) || /^(errors\.New|fmt\.Errorf)\(/.test(v.text))) return true;
  for (let p = ret.parent; p && !/^(func_literal|function_declaration|method_declaration)$/.test(p.type); p = p.parent) {
    if (p.type === 'if_statement' && /\berr\w*\s*!=\s*nil\b/.test(p.child('condition')?.text ?? '')) return true;
  }
  return false;
}
