// lock-order: two code paths take the same two locks in opposite orders (A then B, and B then
// A). When two goroutines run them at once, each takes its first lock and waits forever for the
// other's: an AB-BA deadlock.
//
// Built on the summaries' lock-order edges (A held while B is taken, directly or in a function
// called with A held; deeper chains are not compared). Locks
// are compared by identity (`T.mu`), but an edge only counts when both locks hang off the same
// instance (`s.a` then `s.b`, `s.mu` then `s.child.mu`) or are package variables: `a.mu` then
// `b.mu` for two values of one type is a different question (the caller's argument order) and
// is never reported, nor is an edge between two instances of the same field.
import type { SNode } from '../gosrc/ast.js';
import { placeName, summaries, valueModel } from '../model/index.js';
import { rootKey, type Place } from '../model/places.js';
import type { LockEdge } from '../model/summaries.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'lock-order',
    title: 'Two locks taken in opposite orders',
    category: 'sync',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'Finds two locks that one code path takes A then B and another takes B then A (directly or through same-package calls), on the same instance: two goroutines running both paths at once each hold one lock and wait for the other forever. Take the locks in one global order everywhere.',
  },
  run(ctx) {
    const model = valueModel(ctx.pkg);
    const edges = new Map<string, { edge: LockEdge; fn: SNode }>();
    for (const s of summaries(ctx.pkg).values()) {
      for (const e of s.locks?.edges ?? []) {
        // Edges more than one call deep depend on states the model cannot see (a handshake done
        // first, a flag checked): only direct ones and one call deep are compared.
        if (!e.held.id || !e.acquired.id || e.chain.length > 1 || !sameInstance(e.held, e.acquired)) continue;
        const a = model.canon(e.held.id);
        const b = model.canon(e.acquired.id);
        if (a === b) continue;
        const k = `${a}\u0000${b}`;
        // Keep the edge where it is created (the shortest chain), not each caller's copy of it.
        const prior = edges.get(k);
        if (!prior || e.chain.length < prior.edge.chain.length) edges.set(k, { edge: e, fn: s.fn.node });
      }
    }
    const done = new Set<string>();
    for (const [k, { edge, fn }] of edges) {
      const [a, b] = k.split('\u0000') as [string, string];
      const reverse = edges.get(`${b}\u0000${a}`);
      if (!reverse || done.has(`${b}\u0000${a}`)) continue;
      done.add(k);
      const first = edge.site.node.start <= reverse.edge.site.node.start || edge.site.node.file !== reverse.edge.site.node.file ? { edge, fn } : reverse;
      const other = first === reverse ? { edge, fn } : reverse;
      const x = placeName(first.edge.held) ?? first.edge.held.text;
      const y = placeName(first.edge.acquired) ?? first.edge.acquired.text;
      ctx.report({
        node: first.edge.at,
        goroutine: null,
        message: `lock order inversion: this path takes \`${y}\` while holding \`${x}\`, and \`${name(other.fn)}\` takes them the other way round (line ${other.edge.at.pos.line}): two goroutines running both deadlock, each holding one lock`,
        related: [
          { node: other.edge.at, message: `here \`${placeName(other.edge.acquired) ?? other.edge.acquired.text}\` is taken while \`${placeName(other.edge.held) ?? other.edge.held.text}\` is held` },
          ...(first.edge.at !== first.edge.site.node ? [{ node: first.edge.site.node, message: `\`${y}\` is taken here, in the callee` }] : []),
        ],
        fix: `take the two locks in one order everywhere (for example always \`${x}\` before \`${y}\`), or release one before taking the other`,
      });
    }
  },
};

/** Both locks hang off one instance (same root), or both are package variables. */
function sameInstance(a: Place, b: Place): boolean {
  if (a.root.kind === 'var' && b.root.kind === 'var') return true;
  const ra = rootKey(a.root);
  return ra !== null && ra === rootKey(b.root);
}

function name(fn: SNode): string {
  return fn.child('name')?.text ?? 'a function literal';
}
