// The questions rules ask the model, in one place: what a call does (its callee's summary seen
// from the call), which goroutines run a function, and names for places in messages.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { summaries, substitute, type Effect, type Summary } from './summaries.js';
import { valueModel, type CallSite, type FuncNode, type OpKind, type ValueModel } from './values.js';
import type { Place } from './places.js';

export { valueModel, summaries };
export type { Effect, Summary, ValueModel, CallSite, FuncNode };

const siteCache = new WeakMap<GoPackage, Map<SNode, CallSite>>();

/** The call site the model recorded for a call expression (resolved or a go statement's), if any. */
export function callSiteAt(pkg: GoPackage, call: SNode): CallSite | null {
  let map = siteCache.get(pkg);
  if (!map) {
    map = new Map();
    for (const c of valueModel(pkg).calls) map.set(c.node, c);
    siteCache.set(pkg, map);
  }
  return map.get(call) ?? null;
}

export interface CallEffects {
  /** The callees' effects in the caller's terms, async ones flagged. */
  effects: Effect[];
  /** A callee whose summary is cut (too many effects, or recursion): the call may do more. */
  partial: boolean;
  /** Every target's summary, for callers that need more. */
  summaries: Summary[];
}

/** What a call does, seen from the caller: each target's effects with receiver and arguments substituted. */
export function callEffects(pkg: GoPackage, site: CallSite): CallEffects {
  const all = summaries(pkg);
  const out: CallEffects = { effects: [], partial: false, summaries: [] };
  for (const t of site.resolved?.targets ?? []) {
    const s = all.get(t.node);
    // A callee whose body the scanner did not copy may still hand the value on.
    if (!s || !s.fn.body || s.fn.body.elided) {
      out.partial = true;
      continue;
    }
    out.summaries.push(s);
    out.partial ||= s.truncated || s.recursive;
    for (const e of s.effects) {
      const place = substitute(e.place, site, t.node);
      if (!place) continue;
      const async = e.async || site.go !== null;
      out.effects.push({ ...e, place, chain: [site.node, ...e.chain], deferred: site.deferred, async, start: site.go ?? e.start });
    }
  }
  return out;
}

/** Whether a call (synchronously, through same-package code) does `kind` to the place its argument `index` names. */
export function callDoesToArg(pkg: GoPackage, call: SNode, index: number, kinds: ReadonlySet<OpKind>, includeAsync = false): boolean {
  const site = callSiteAt(pkg, call);
  if (!site?.resolved) return false;
  const all = summaries(pkg);
  return site.resolved.targets.some((t) => {
    const s = all.get(t.node);
    return !!s?.effects.some((e) => kinds.has(e.kind) && (includeAsync || !e.async) && e.place.path.length === 0 && e.place.root.kind === 'param' && e.place.root.fn === t.node && e.place.root.index === index);
  });
}

/** A place as code names it (`wg`, `s.wg`, `s.worker.jobs`); null for an unknown instance. */
export function placeName(p: Place): string | null {
  let root: string;
  switch (p.root.kind) {
    case 'recv':
    case 'param':
      root = p.root.binding.name;
      break;
    case 'local':
      root = p.root.binding.name;
      break;
    case 'var':
      root = p.root.name;
      break;
    default:
      return null;
  }
  return p.path.length ? `${root}.${p.path.join('.')}` : root;
}

/** The go statements (or `g.Go` calls) whose goroutine runs function node `fn`, through at most `depth` synchronous calls. */
export function goroutinesRunning(model: ValueModel, fn: SNode, depth = 3): SNode[] {
  const out = new Set<SNode>();
  const seen = new Set<SNode>();
  let frontier = [fn];
  for (let d = 0; d <= depth && frontier.length > 0; d++) {
    const next: SNode[] = [];
    for (const f of frontier) {
      if (seen.has(f)) continue;
      seen.add(f);
      const node = model.functions.get(f);
      if (node?.use === 'go' && node.start) {
        out.add(node.start);
        continue;
      }
      if (node && node.parent && (node.use === 'call' || node.use === 'defer' || node.use === 'do')) next.push(node.parent.node);
      for (const site of model.callersOf(f)) {
        if (site.go) out.add(site.go);
        else next.push(site.fn);
      }
    }
    frontier = next;
  }
  return [...out];
}

/** The innermost go statement whose func literal (through any nested literals) holds `node`, or null. */
export function enclosingGoStatement(node: SNode): SNode | null {
  for (let lit = node.ancestor('func_literal'); lit; lit = lit.ancestor('func_literal')) {
    const call = lit.parent;
    if (call?.type === 'call_expression' && lit.field === 'function' && call.parent?.type === 'go_statement') return call.parent;
  }
  return null;
}
