// double-lock: a goroutine takes a lock it already holds. sync.Mutex is not reentrant, so a
// second Lock (or an RLock under Lock, or a Lock under RLock) on the same instance blocks
// forever, taking every goroutine that needs the lock with it. The second acquisition is often
// hidden in a call: `s.mu.Lock(); defer s.mu.Unlock(); ...; s.size()` where size locks s.mu.
//
// Read from the model's lock facts: for each function, the state of each lock (by instance: the
// receiver's `s.mu`, not any `T.mu`) before each of its own operations and calls, and for each
// callee, the locks it would take again if entered holding them. RLock under RLock deadlocks
// only when a writer queues between them, so it is reported only where the package also
// write-locks that mutex somewhere.
import type { SNode } from '../gosrc/ast.js';
import { placeName, summaries, valueModel } from '../model/index.js';
import { substitute, type LockMode } from '../model/summaries.js';
import type { Op } from '../model/values.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'double-lock',
    title: 'Lock taken again while held',
    category: 'sync',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'Finds a Lock (or RLock) of a mutex the goroutine already holds, directly or in a same-package function it calls with the lock held: Go mutexes are not reentrant, so the second acquisition blocks forever. RLock under RLock is reported only when the mutex is also write-locked somewhere (a queued writer makes the second RLock wait). Release the lock before the call, or call a variant that expects the lock held.',
  },
  run(ctx) {
    const pkg = ctx.pkg;
    const model = valueModel(pkg);
    const all = summaries(pkg);
    const writers = new Set<string>();
    for (const op of model.ops) if (op.kind === 'lock' && op.place.id) writers.add(model.canon(op.place.id));
    const reported = new Set<SNode>();
    for (const s of all.values()) {
      const facts = s.locks;
      if (!facts || s.truncated) continue;
      const ownLocks = new Map<SNode, Op>();
      for (const op of s.fn.ops) if (op.kind === 'lock' || op.kind === 'rlock') ownLocks.set(op.node, op);
      const siteAt = new Map(s.fn.calls.map((c) => [c.node, c] as const));
      for (const [rk, states] of facts.states) {
        const place = facts.places.get(rk)!;
        // A lock another goroutine of this function releases (a mutex used as a semaphore: lock,
        // start the goroutine that unlocks, lock again to wait for it), or whose Unlock is
        // handed on (`s.onReady = mu.Unlock`), is not held for good.
        if (s.effects.some((e) => e.place.key === place.key && (e.kind === 'escape' || (e.async && (e.kind === 'unlock' || e.kind === 'runlock'))))) continue;
        const held: LockMode = rk.endsWith('#r') ? 'r' : 'w';
        const shown = placeName(place) ?? place.text;
        for (const [node, before] of states) {
          if (before !== 'yes' || reported.has(node)) continue;
          // A second acquisition in the function's own code.
          const own = ownLocks.get(node);
          if (own && own.place.key === place.key) {
            const mode: LockMode = own.kind === 'rlock' ? 'r' : 'w';
            if (held === 'r' && mode === 'r' && !(place.id && writers.has(model.canon(place.id)))) continue;
            reported.add(node);
            ctx.report({
              node,
              goroutine: null,
              message: `\`${shown}\` is ${describe(mode)} while this goroutine already holds it (${describe(held)} earlier on this path): Go mutexes are not reentrant, so this blocks forever`,
              related: takenAt(node, ownLocks, place.key),
              fix: `release \`${shown}\` before taking it again, or restructure so the lock is taken once`,
            });
            continue;
          }
          // A call that takes it again.
          const site = siteAt.get(node);
          if (!site || site.go) continue;
          for (const t of site.resolved?.targets ?? []) {
            const callee = all.get(t.node);
            if (!callee?.locks || callee.truncated || callee.recursive) continue;
            const again = callee.locks.reacquires.find((r) => r.heldMode === held && substitute(r.place, site, t.node)?.key === place.key);
            if (!again || (held === 'r' && again.mode === 'r' && !(place.id && writers.has(model.canon(place.id))))) continue;
            reported.add(node);
            const name = callee.fn.info?.name ?? 'the function literal';
            ctx.report({
              node,
              goroutine: null,
              message: `\`${name}\` is called with \`${shown}\` ${describe(held)}, and it takes \`${shown}\` again (${again.mode === 'r' ? 'RLock' : 'Lock'} at line ${again.site.node.pos.line}): Go mutexes are not reentrant, so the call blocks forever`,
              related: [{ node: again.site.node, message: `\`${name}\` takes the lock here` }, ...takenAt(node, ownLocks, place.key)],
              fix: `release \`${shown}\` before calling \`${name}\`, or give \`${name}\` a variant that expects the lock held (e.g. \`${name}Locked\`)`,
            });
            break;
          }
        }
      }
    }
  },
};

function describe(mode: LockMode): string {
  return mode === 'r' ? 'read-locked' : 'locked';
}

/** The nearest acquisition of the lock before `node` in the function's own code, for the related location. */
function takenAt(node: SNode, ownLocks: Map<SNode, Op>, key: string | null): Array<{ node: SNode; message: string }> {
  let best: SNode | null = null;
  for (const [n, op] of ownLocks) if (op.place.key === key && n.start < node.start && (!best || n.start > best.start)) best = n;
  return best ? [{ node: best, message: 'the lock is taken here' }] : [];
}
