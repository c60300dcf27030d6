// stranded-sender, "first response wins" through a struct field: a method starts one goroutine
// per iteration of a loop, each sends once on a channel field (`s.results <- v`), and the
// method takes one value (or a few) and returns. A field is shared by every call and every
// method of the type, so the values left behind could still be taken by other code; the rule
// speaks only when the package gives them no receiver at all:
//   - every receive of the field's identity anywhere in the package is a plain receive (no
//     range) in that one method's own code, outside any loop, after the go statement, on the
//     same instance the goroutines send on: a bounded number R of values per call;
//   - the field is unexported, never closed, never handed on (passed, returned by an accessor,
//     stored elsewhere, named by a body the scanner did not copy), and every make of it agrees
//     on one constant capacity C;
//   - the goroutine sends exactly once, unconditionally (no return before the send), with no
//     way to give up, and the go statement is the only one of the method that sends on it,
//     alone in a single loop that starts it on every iteration (no break, return, or continue
//     before it);
//   - the loop runs N times with N > R + C (N constant), or N is the loop's length, C is 0 and
//     R is 1, as for a local channel.
// Then each call leaves at least N - R - C senders blocked, whatever other sends the package
// makes: sends never unblock sends, and only the method's own receives take values.
import type { SNode } from '../gosrc/ast.js';
import { enclosingFunction } from '../gosrc/scope.js';
import { callEffects, callSiteAt, valueModel } from '../model/index.js';
import { conditionalWithin } from '../model/values.js';
import {
  earlyExits,
  fieldChannels,
  inSelectWithOtherCases,
  isProgramMain,
  loopBound,
  loopCount,
  loopsAround,
  returnsBetween,
  type FieldChannel,
} from './lib/channels.js';
import type { RuleContext } from './types.js';

const SELECT_FIX = 'or send inside a select with `case <-ctx.Done(): return` so the sender can give up';

export function checkFieldFirstResponse(ctx: RuleContext): void {
  const reported = new Set<SNode>();
  for (const fc of fieldChannels(ctx.pkg)) {
    const found = fieldFirstResponse(fc, ctx);
    if (!found || reported.has(found.send)) continue;
    reported.add(found.send);
    const { send, go, count, bound, receives } = found;
    const cap = fc.capacity!;
    const who = count !== null && count > 1 ? `${count} goroutines send` : 'a goroutine started in a loop sends';
    const buffer = cap === 0 ? 'unbuffered' : `buffer ${cap}`;
    const taken = receives.length === 1 ? 'only one value is' : `only ${receives.length} values are`;
    const type = ctx.pkg.structs.get(fc.struct!)?.get(fc.field)?.text ?? 'chan T';
    const size = count !== null ? String(count) : bound![0]!;
    ctx.report({
      node: send,
      goroutine: go,
      message: `${who} on ${fc.label} (${buffer}), but ${taken} received from it in the whole package: every other sender blocks forever (first response wins)`,
      related: receives.map((r, i) => ({
        node: r,
        message: i === receives.length - 1 ? 'the last receive of the field in the package: the remaining senders wait in vain' : 'a receive of the field',
      })),
      fix: `give each call its own channel with room for every sender (\`${fc.field} := make(${type}, ${size})\`, handed to the goroutines) instead of the shared field, ${SELECT_FIX}`,
    });
  }
}

interface FieldFirstResponse {
  /** The goroutine's send. */
  send: SNode;
  /** The go statement in the loop. */
  go: SNode;
  /** The loop's count when constant. */
  count: number | null;
  /** The loop's count as expressions (`len(ids)`), when it is a counting loop. */
  bound: string[] | null;
  /** The method's receives, in source order. */
  receives: SNode[];
}

function fieldFirstResponse(fc: FieldChannel, ctx: RuleContext): FieldFirstResponse | null {
  const pkg = ctx.pkg;
  if (!fc.struct || fc.exported || fc.escape || fc.makes.length === 0 || fc.capacity === null || fc.closes > 0) return null;
  const receives = fc.uses.filter((u) => u.kind === 'recv' || u.kind === 'range');
  if (receives.length === 0) return null;
  const home = receives[0]!.op.fn;
  const key = receives[0]!.op.place.key;
  // Every receive in the package: a plain one, the method's own, outside loops, on one instance.
  for (const r of receives) {
    if (r.kind !== 'recv' || r.chain.length > 0 || r.op.fn !== home || r.op.place.key !== key || loopsAround(r.op.node, home).length > 0) return null;
  }
  if (!key || isProgramMain(home, pkg)) return null;
  // The go statements of the method's own code whose goroutines send on the channel.
  const starts = new Set<SNode>();
  for (const u of fc.uses) if (u.kind === 'send') for (const g of u.starts) if (g.type === 'go_statement' && enclosingFunction(g) === home) starts.add(g);
  if (starts.size !== 1) return null;
  const go = [...starts][0]!;
  const loops = loopsAround(go, home);
  if (loops.length !== 1 || conditionalWithin(go, loops[0]!) || loopMaySkip(loops[0]!, go)) return null;
  if (receives.some((r) => r.op.node.start < go.end)) return null;
  const call = go.namedChildren[0];
  const site = call ? callSiteAt(pkg, call) : null;
  if (!site?.resolved) return null;
  const effects = callEffects(pkg, site);
  if (effects.partial) return null;
  const model = valueModel(pkg);
  const sends = effects.effects.filter((e) => e.kind === 'send' && e.place.id && model.canon(e.place.id) === fc.id);
  // One send per goroutine, on every path, that cannot give up, on the instance received from.
  if (sends.length !== 1) return null;
  const send = sends[0]!;
  if (send.others > 0 || send.conditional || send.site.cancellable || inSelectWithOtherCases(send.site.select) || send.place.key !== key) return null;
  if (mayReturnBefore([...send.chain.slice(1), send.site.node])) return null;
  const fn = model.functions.get(home);
  if (!fn) return null;
  const count = loopCount(loops[0]!, fn.scope, pkg);
  const bound = loopBound(loops[0]!, fn.scope);
  const r = receives.length;
  const stranded = count !== null ? count > r + fc.capacity : bound !== null && fc.capacity === 0 && r === 1;
  if (!stranded) return null;
  return { send: send.site.node, go, count, bound, receives: receives.map((u) => u.op.node).sort((a, b) => a.start - b.start) };
}

/**
 * The loop may start fewer goroutines than it iterates: it can be left early (break, return,
 * goto), or a `continue` before the go statement skips it.
 */
function loopMaySkip(loop: SNode, go: SNode): boolean {
  if (earlyExits(loop).length > 0) return true;
  let skips = false;
  loop.child('body')?.walk((n) => {
    if (skips || n.type === 'func_literal') return false;
    if (n.type === 'continue_statement' && n.start < go.start) skips = true;
    return true;
  });
  return skips;
}

/**
 * A return before the send in the goroutine's function, or before the call leading to it in a
 * function along the way (`if atomic.AddInt32(&s.answered, 1) > 1 { return }`): not every
 * goroutine reaches the send.
 */
function mayReturnBefore(path: SNode[]): boolean {
  return path.some((node) => {
    const fn = enclosingFunction(node);
    return fn !== null && returnsBetween(fn, fn.start, node.start).length > 0;
  });
}
