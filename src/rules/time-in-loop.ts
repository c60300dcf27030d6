// time-in-loop: `time.Tick(d)`, whose ticker can never be stopped, and `time.After(d)` as a
// select case inside a loop that goes round again when another case wins.
//
// Before Go 1.23 the runtime holds a started timer until it fires: every losing time.After
// stays in memory for d, and a time.Tick ticker forever. From Go 1.23 unreferenced timers are
// collected, so both shrink to a needless allocation: severity info.
import type { SNode } from '../gosrc/ast.js';
import { atLeast } from '../gosrc/gomod.js';
import { outermostFunction, scopeFor, type FuncScope } from '../gosrc/scope.js';
import type { Severity } from '../scan/finding.js';
import { canFallThrough, reachesBackEdge, stdlibCall } from './lib/paths.js';
import { localChannels, loopsAround } from './lib/channels.js';
import { isEndless, loopExits } from '../model/paths.js';
import type { Rule, RuleContext, RuleReport } from './types.js';
import { nodesOfType } from '../gosrc/nodes.js';
import type { GoFile } from '../gosrc/package.js';

export const rule: Rule = {
  meta: {
    id: 'time-in-loop',
    title: 'time.Tick, or time.After in a loop',
    category: 'timers',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      'time.Tick returns the channel of a ticker nobody can stop, and time.After inside a looping select starts a new timer every ' +
      'iteration. Before Go 1.23 neither is garbage-collected until it fires (a Tick ticker: never), so long durations pile up ' +
      'timers; from Go 1.23 they are collected and the finding is informational. Create one time.NewTimer (Reset it) or ' +
      'time.NewTicker outside the loop and stop it.',
  },
  run(ctx) {
    // A test binary's timers die with it; and most files use neither call.
    const usesTimers = (f: GoFile) => !f.isTest && /\b(Tick|After)\(/.test(f.file.source);
    for (const n of nodesOfType(ctx.pkg, 'call_expression', usesTimers)) {
      const name = n.child('function')?.child('field')?.text;
      if (name !== 'Tick' && name !== 'After') continue;
      const scope = scopeFor(n, ctx.pkg);
      // Package-level `var tick = time.Tick(d)` lives as long as the program: fine.
      if (!scope || stdlibCall(n, scope)?.path !== 'time') continue;
      if (name === 'Tick') checkTick(n, ctx);
      else checkAfter(n, scope, ctx);
    }
  },
};

/** `for range x` where x is this expression, in a loop with no way out. */
function rangedForever(expr: SNode): boolean {
  const loop = expr.parent?.type === 'range_clause' && expr.field === 'right' ? expr.parent.parent : null;
  return loop?.type === 'for_statement' && loopExits(loop).length === 0;
}

/** A report that may lower its severity (RuleReport gains `severity` in the engine; see report). */
type ReportWithSeverity = RuleReport & { severity?: Severity };

function checkTick(call: SNode, ctx: RuleContext): void {
  if (ctx.pkg.name === 'main') {
    // A program's own long-lived ticker: in main or init, or ranged over for good.
    const top = outermostFunction(call)?.child('name')?.text;
    if (top === 'main' || top === 'init') return;
    if (call.parent?.type === 'range_clause' && call.field === 'right') return;
  }
  // `for range time.Tick(d)` with no way out of the loop: the ticker is in use for exactly as
  // long as the loop runs (a function meant to run forever on its own goroutine), not leaked.
  if (rangedForever(call)) return;
  const list = call.parent;
  if (list?.type === 'expression_list' && list.parent?.type === 'short_var_declaration' && list.namedChildren.length === 1) {
    // `ticker := time.Tick(d)` read only by such a loop.
    const id = list.parent.child('left')?.namedChildren[0];
    const scope = scopeFor(call, ctx.pkg);
    const b = id?.type === 'identifier' && scope ? scope.resolve(id) : null;
    const refs = b && scope ? scope.references(b).filter((r) => r !== b.node) : [];
    if (refs.length > 0 && refs.every(rangedForever)) return;
  }
  const modern = atLeast(ctx.pkg.goVersion, 1, 23);
  const finding: ReportWithSeverity = {
    node: call,
    message: modern
      ? 'time.Tick starts a ticker that can never be stopped: since Go 1.23 it is collected once unreferenced, but it keeps ticking until then'
      : 'time.Tick starts a ticker that can never be stopped: before Go 1.23 it is never garbage-collected, so each call leaks a ticker that fires forever',
    fix: 'use `t := time.NewTicker(d)` with `defer t.Stop()` and read `t.C`',
    severity: modern ? 'info' : 'warning',
  };
  ctx.report(finding);
}

function checkAfter(call: SNode, scope: FuncScope, ctx: RuleContext): void {
  const recv = call.parent;
  if (recv?.type !== 'unary_expression' || recv.child('operator')?.type !== '<-') return;
  const comm = recv.parent?.type === 'receive_statement' ? recv.parent : recv;
  const ownCase = comm.parent;
  if (ownCase?.type !== 'communication_case' || comm.field !== 'communication') return;
  const select = ownCase.parent!;
  const loop = select.ancestor('for_statement', 'func_literal');
  if (loop?.type !== 'for_statement' || !repeatsLongTerm(loop, scope)) return;
  // Only a loop that goes round again after another case wins leaves the timer behind.
  const repeating = select.namedChildren.find((c) => c !== ownCase && (c.type === 'communication_case' || c.type === 'default_case') && canFallThrough(c) && !oneShot(c, loop, ctx));
  // A select followed in the loop body by an unconditional return: the loop does not go round.
  if (!repeating || !reachesBackEdge(select, loop)) return;
  const modern = atLeast(ctx.pkg.goVersion, 1, 23);
  const finding: ReportWithSeverity = {
    node: call,
    message: modern
      ? 'time.After in a loop starts a new timer on every iteration; since Go 1.23 the timers of losing iterations are collected, so this only costs an allocation each time round'
      : 'time.After in a loop starts a new timer on every iteration: when another case wins, that timer is not collected until it fires (before Go 1.23), so a busy loop piles up pending timers',
    related: [{ node: repeating, message: 'this case goes round the loop again, leaving the timer pending' }],
    fix: 'create one `timer := time.NewTimer(d)` before the loop with `defer timer.Stop()`, call `timer.Reset(d)` at the top of each iteration and select on `<-timer.C`',
    severity: modern ? 'info' : 'warning',
  };
  ctx.report(finding);
}

/**
 * A case receiving from a local channel that goroutines started before the loop send on once
 * each (the result of `go run(cmd, done)`): it can win only that many times, so the loop goes
 * round a bounded number of times, not for long.
 */
function oneShot(kase: SNode, loop: SNode, ctx: RuleContext): boolean {
  const recv = kase.child('communication')?.findAll('unary_expression').find((u) => u.child('operator')?.type === '<-');
  const operand = recv?.child('operand');
  if (operand?.type !== 'identifier') return false;
  const scope = scopeFor(operand, ctx.pkg);
  const b = scope?.resolve(operand);
  const ch = b ? localChannels(ctx.pkg).find((c) => c.binding === b) : undefined;
  if (!ch || ch.escape) return false;
  const sends = ch.ops.filter((o) => o.kind === 'send');
  return sends.length > 0 && sends.every((o) => o.owner !== null && o.owner.end < loop.start && !o.several && loopsAround(o.op.node, o.owner).length === 0);
}

/**
 * Loops that can run for a long time: `for {`, `for cond {`, and ranging over a channel. A
 * counted `for i := 0; i < n; i++` retry loop leaves at most n timers: not reported.
 */
function repeatsLongTerm(loop: SNode, scope: FuncScope): boolean {
  if (isEndless(loop)) return true;
  const header = loop.namedChildren.filter((c) => c.field !== 'body' && c.type !== 'comment');
  if (header.length !== 1) return false;
  const h = header[0]!;
  if (h.type === 'for_clause') return false;
  if (h.type === 'range_clause') return scope.typeOf(h.child('right')).kind === 'chan';
  return true;
}
