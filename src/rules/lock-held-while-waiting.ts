// lock-held-while-waiting: a goroutine blocks on a channel operation (or wg.Wait) while holding
// a lock, and every partner operation that could release it (the receive for a send, the send
// or close for a receive, the Done for a Wait) runs only after taking that same lock. The
// waiter holds what the partner needs first: both block forever.
//
// Read from the model's lock facts: the lock state before each send, receive, range and Wait
// of a function, and the same for the partner operations in other functions. Locks are matched
// by identity (`T.mu`), since the partner usually runs in another method on the same object.
// Only unbuffered channels are judged (a buffer lets a send proceed), and only when every
// partner is seen and every one of them holds the lock.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { placeName, summaries, valueModel, type Summary } from '../model/index.js';
import type { Held } from '../model/paths.js';
import type { Op, OpKind } from '../model/values.js';
import { channelUses, fieldChannels, inSelectWithOtherCases } from './lib/channels.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'lock-held-while-waiting',
    title: 'Lock held while waiting for a partner that needs the lock',
    category: 'sync',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'Finds a channel send, receive or wg.Wait done while holding a mutex, when every operation that could complete it (the matching receive, send or close, or Done) runs only while holding that same mutex: the waiter never lets go of what its partner needs, so both block forever. Release the lock before waiting, or have the partner not take it.',
  },
  run(ctx) {
    const pkg = ctx.pkg;
    const all = summaries(pkg);
    const byFn = new Map<SNode, Summary>();
    for (const s of all.values()) byFn.set(s.fn.node, s);
    const unbuffered = new Map<string, boolean>();
    for (const fc of fieldChannels(pkg)) unbuffered.set(fc.id, fc.capacity === 0 && !fc.escape && !fc.exported);
    const model = valueModel(pkg);
    // In source order, so that of two waiters that are each other's partners the first is reported.
    const candidates: Array<{ s: Summary; op: Op }> = [];
    for (const s of all.values()) if (s.locks) for (const op of s.fn.ops) if (partnerKinds(op)) candidates.push({ s, op });
    candidates.sort((a, b) => (a.op.node.file === b.op.node.file ? a.op.node.start - b.op.node.start : a.op.node.file.path < b.op.node.file.path ? -1 : 1));
    const covered = new Set<SNode>();
    for (const { s, op } of candidates) {
      const facts = s.locks!;
      if (covered.has(op.node)) continue;
      const partners = partnerKinds(op);
      if (!partners || !op.place.id) continue;
      const id = model.canon(op.place.id);
      if (op.kind !== 'wait' && !unbuffered.get(id)) continue;
      if ((op.kind === 'send' || op.kind === 'recv') && (op.cancellable || inSelectWithOtherCases(op.select))) continue;
      for (const [rk, states] of facts.states) {
        if (states.get(op.node) !== 'yes') continue;
        const lock = facts.places.get(rk)!;
        if (!lock.id) continue;
        const lockId = model.canon(lock.id);
        const found = partnerOps(pkg, id, partners).filter((p) => p.fn !== op.fn);
        if (found.length === 0 || !found.every((p) => heldAt(byFn.get(p.fn), p.node, lockId, model.canon))) continue;
        const lockName = placeName(lock) ?? lock.text;
        const what = op.kind === 'wait' ? `\`${op.ref.text}.Wait()\`` : op.kind === 'send' ? `the send on \`${op.ref.text}\`` : `the receive from \`${op.ref.text}\``;
        const partner = found[0]!;
        for (const p of found) covered.add(p.node);
        ctx.report({
          node: op.node,
          goroutine: null,
          message: `${what} waits while holding \`${lockName}\`, but ${describePartner(op.kind)} (\`${fnName(partner.fn)}\`, line ${partner.node.pos.line}) runs only with that lock held: neither can proceed, so both block forever`,
          related: found.slice(0, 3).map((p) => ({ node: p.node, message: `the partner operation, reached only while holding the lock` })),
          fix: `release \`${lockName}\` before waiting (copy what you need under the lock, unlock, then ${op.kind === 'send' ? 'send' : 'wait'}), or do the partner operation without the lock`,
        });
        break;
      }
    }
  },
};

/** The operations that complete `op`: receives for a send, sends and closes for a receive, Done for a Wait. */
function partnerKinds(op: Op): ReadonlySet<OpKind> | null {
  switch (op.kind) {
    case 'send':
      return new Set<OpKind>(['recv', 'range']);
    case 'recv':
    case 'range':
      return new Set<OpKind>(['send', 'close']);
    case 'wait':
      return op.place.type.kind === 'waitgroup' ? new Set<OpKind>(['done']) : null;
    default:
      return null;
  }
}

function describePartner(kind: OpKind): string {
  return kind === 'send' ? 'every receive from it' : kind === 'wait' ? 'every Done' : 'every send on it and close of it';
}

/** The partner operations of a channel or WaitGroup identity, direct ones only (their lock state is known). */
function partnerOps(pkg: GoPackage, id: string, kinds: ReadonlySet<OpKind>): Op[] {
  const model = valueModel(pkg);
  if (model.opsOf(id).some((o) => o.kind === 'escape')) return [];
  const { uses, escapes } = channelUses(pkg, id);
  if (escapes.length > 0) return [];
  const chanOps = uses.filter((u) => kinds.has(u.kind));
  // Through a call, the lock state of the operation is the caller's business: not judged.
  if (chanOps.some((u) => u.chain.length > 0)) return [];
  const direct = model.opsOf(id).filter((o) => kinds.has(o.kind));
  // A partner done by a helper on its parameter (`finish(&wg)`): its lock state is the
  // helper's caller's business, not judged.
  const known = new Set(direct);
  for (const s of summaries(pkg).values()) {
    if (s.effects.some((e) => kinds.has(e.kind) && !known.has(e.site) && e.place.id && model.canon(e.place.id) === id)) return [];
  }
  return direct;
}

/** Whether the function holding `node` definitely holds a lock of identity `lockId` there. */
function heldAt(s: Summary | undefined, node: SNode, lockId: string, canon: (id: string) => string): boolean {
  if (!s?.locks) return false;
  for (const [rk, states] of s.locks.states) {
    const p = s.locks.places.get(rk);
    if (p?.id && canon(p.id) === lockId && (states.get(node) as Held | undefined) === 'yes') return true;
  }
  return false;
}

function fnName(fn: SNode): string {
  return fn.child('name')?.text ?? 'a function literal';
}
