// Function summaries over the package's call graph, computed bottom-up (callees first, Tarjan's
// strongly connected components), so a call site knows what its callee does:
//   - effects: every operation the function performs on a place, directly or through the
//     same-package functions it calls (mapped from the callee's receiver and parameters to the
//     call's receiver and arguments), and in the goroutines it starts (flagged async);
//   - locks: which locks it leaves held at its normal exit (a lock helper), which it releases
//     though it did not take them (an unlock helper, a function entered locked), which it would
//     take again if entered holding them (a double lock through calls), the lock-order edges it
//     creates (holding A while taking B), and the lock state at each of its own operations.
//
// Bounds (no analysis is quadratic in package size): a summary keeps at most MAX_EFFECTS
// effects and MAX_EDGES lock edges; past that it is marked truncated and rules treat a call to
// it as unknown. A recursive component (mutual or self recursion) is summarised in two passes
// and marked recursive: its summaries may miss effects, so path rules treat calls into it as
// unknown too. Each function is traced once per lock it touches, twice (entered unlocked and
// locked), and a trace is linear in the function's size.
import type { SNode } from '../gosrc/ast.js';
import { makePlace, type Place } from './places.js';
import { deferHas, tracePaths, type Effect as PathEffect, type Held } from './paths.js';
import { conditionalWithin, valueModel, type CallSite, type FuncNode, type Op, type OpKind, type ValueModel } from './values.js';
import type { GoPackage } from '../gosrc/package.js';

export const MAX_EFFECTS = 160;
export const MAX_EDGES = 32;

export interface Effect {
  kind: OpKind;
  /** The place, in the summarised function's terms. */
  place: Place;
  /** The operation at the end of the chain. */
  site: Op;
  /** Call nodes from the summarised function down to the operation's function. */
  chain: SNode[];
  /** Runs in a defer of the summarised function itself. */
  deferred: boolean;
  /** Under a branch or loop somewhere along the chain: it may not happen on every call. */
  conditional: boolean;
  /** Runs in a goroutine started (transitively) by the function. */
  async: boolean;
  /** For async effects: the go statement (or `g.Go` call) of the summarised function's own code that leads to it. */
  start: SNode | null;
  /** How many more operations of this kind on this place the summary merged into this effect. */
  others: number;
}

export type LockMode = 'w' | 'r';

/** A lock taken while another is held: `held` → `acquired`. */
export interface LockEdge {
  held: Place;
  heldMode: LockMode;
  /** Where `held` was taken, when in this function. */
  acquired: Place;
  acquiredMode: LockMode;
  /** The lock operation (or the call leading to it) that takes `acquired`. */
  at: SNode;
  /** The operation deep in the chain that takes `acquired`. */
  site: Op;
  chain: SNode[];
}

/** Entered holding `place` in `heldMode`, the function takes it again in `mode` at `site`. */
export interface Reacquire {
  place: Place;
  heldMode: LockMode;
  mode: LockMode;
  site: Op;
  chain: SNode[];
}

export interface LockFacts {
  /** Locks held at every normal exit that were not held at entry. */
  heldAtExit: Array<{ place: Place; mode: LockMode; site: Op }>;
  /** Locks released on every exit that the function was entered holding (and never took itself first). */
  releasedAtExit: Array<{ place: Place; mode: LockMode }>;
  reacquires: Reacquire[];
  edges: LockEdge[];
  /** Per lock (`key#mode`), the state before each call, send, receive and range of the function's own code. */
  states: Map<string, Map<SNode, Held>>;
  /** The place of each traced lock, by `key#mode`. */
  places: Map<string, Place>;
}

export interface Summary {
  fn: FuncNode;
  effects: Effect[];
  locks: LockFacts | null;
  truncated: boolean;
  recursive: boolean;
}

const cache = new WeakMap<GoPackage, Map<SNode, Summary>>();

/** Every function node's summary (computed on first use for the whole package). */
export function summaries(pkg: GoPackage): Map<SNode, Summary> {
  let s = cache.get(pkg);
  if (!s) cache.set(pkg, (s = summarize(valueModel(pkg))));
  return s;
}

export function summaryOf(pkg: GoPackage, fn: SNode): Summary | null {
  return summaries(pkg).get(fn) ?? null;
}

/** Operations that callers never ask about. */
const UNCARRIED = new Set<OpKind>(['len', 'read']);

const BLOCKING_OR_PARTNER = new Set<OpKind>(['send', 'recv', 'range', 'wait', 'close', 'done']);

const LOCK_KINDS = new Set<OpKind>(['lock', 'unlock', 'rlock', 'runlock', 'trylock', 'tryrlock']);

function summarize(model: ValueModel): Map<SNode, Summary> {
  const out = new Map<SNode, Summary>();
  // Literals a function starts with errgroup-style `g.Go(f)` or runs with once.Do(f), and
  // literals it hands out (callbacks, handlers) that no call site of the package runs: edges
  // without a call site of their own.
  const implicit = new Map<SNode, FuncNode[]>();
  for (const f of model.functions.values()) {
    const handedOut = (f.use === 'value' || f.use === 'local') && model.callersOf(f.node).length === 0;
    if (!f.parent || !(handedOut || f.use === 'do' || (f.use === 'go' && f.start?.type !== 'go_statement'))) continue;
    const list = implicit.get(f.parent.node) ?? [];
    list.push(f);
    implicit.set(f.parent.node, list);
  }
  const successors = (f: FuncNode): SNode[] => {
    const next: SNode[] = [];
    for (const c of f.calls) for (const t of c.resolved?.targets ?? []) if (model.functions.has(t.node)) next.push(t.node);
    for (const lit of implicit.get(f.node) ?? []) next.push(lit.node);
    return next;
  };
  for (const component of stronglyConnected(model, successors)) {
    const recursive = component.length > 1 || successors(component[0]!).includes(component[0]!.node);
    const passes = recursive ? 2 : 1;
    for (let pass = 0; pass < passes; pass++) {
      for (const f of component) out.set(f.node, summarizeOne(f, model, out, implicit.get(f.node) ?? [], recursive));
    }
  }
  return out;
}

/** Tarjan's algorithm, iterative; components come out callees first. */
function stronglyConnected(model: ValueModel, successors: (f: FuncNode) => SNode[]): FuncNode[][] {
  const index = new Map<SNode, number>();
  const low = new Map<SNode, number>();
  const onStack = new Set<SNode>();
  const stack: FuncNode[] = [];
  const out: FuncNode[][] = [];
  let counter = 0;
  for (const root of model.functions.values()) {
    if (index.has(root.node)) continue;
    const work: Array<{ f: FuncNode; next: SNode[]; i: number }> = [];
    const enter = (f: FuncNode) => {
      index.set(f.node, counter);
      low.set(f.node, counter);
      counter++;
      stack.push(f);
      onStack.add(f.node);
      work.push({ f, next: successors(f), i: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.i < top.next.length) {
        const w = top.next[top.i++]!;
        if (!index.has(w)) enter(model.functions.get(w)!);
        else if (onStack.has(w)) low.set(top.f.node, Math.min(low.get(top.f.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.f.node, Math.min(low.get(parent.f.node)!, low.get(top.f.node)!));
      if (low.get(top.f.node) === index.get(top.f.node)) {
        const component: FuncNode[] = [];
        for (;;) {
          const x = stack.pop()!;
          onStack.delete(x.node);
          component.push(x);
          if (x === top.f) break;
        }
        out.push(component);
      }
    }
  }
  return out;
}

/**
 * A callee's place seen from a call site: the callee's receiver and parameters become the call's
 * receiver and arguments; its own locals become an unknown instance of the same identity.
 */
export function substitute(p: Place, site: CallSite, callee: SNode): Place | null {
  const r = p.root;
  if ((r.kind === 'recv' || r.kind === 'param') && r.fn === callee) {
    const base = r.kind === 'recv' ? site.recv() : site.arg(r.index);
    if (r.kind === 'param' && isVariadicParam(callee, r.index)) return null;
    if (!base) return p.path.length && p.id ? makePlace({ kind: 'unknown' }, p.path, p.id, p.type, p.text) : null;
    if (p.path.length === 0) return base;
    return makePlace(base.root, [...base.path, ...p.path], p.id, p.type, `${base.text}.${p.path.join('.')}`);
  }
  const owner = r.kind === 'local' ? r.binding.node : r.kind === 'recv' || r.kind === 'param' ? r.fn : null;
  if (owner && callee.contains(owner)) return p.id ? makePlace({ kind: 'unknown' }, p.path, p.id, p.type, p.text) : null;
  return p;
}

function isVariadicParam(fn: SNode, index: number): boolean {
  let i = 0;
  for (const decl of fn.child('parameters')?.namedChildren ?? []) {
    if (decl.type !== 'parameter_declaration' && decl.type !== 'variadic_parameter_declaration') continue;
    const n = Math.max(1, decl.childrenOf('name').length);
    if (index < i + n) return decl.type === 'variadic_parameter_declaration';
    i += n;
  }
  return false;
}

function summarizeOne(f: FuncNode, model: ValueModel, done: Map<SNode, Summary>, implicit: FuncNode[], recursive: boolean): Summary {
  const effects: Effect[] = [];
  const seen = new Map<string, Effect>();
  let truncated = false;
  /** Adds an effect unless one of the same kind on the same place is there (then counts it); builds it only when new. */
  const push = (kind: OpKind, place: Place, async: boolean, site: Op, others: number, build: () => Effect) => {
    if (!place.key && !place.id) return;
    const k = `${kind}|${place.key ?? ''}|${place.id ?? ''}|${async ? 'a' : ''}`;
    const prior = seen.get(k);
    if (prior) {
      if (prior.site !== site) prior.others += 1 + others;
      return;
    }
    if (effects.length >= MAX_EFFECTS) {
      truncated = true;
      return;
    }
    const e = build();
    seen.set(k, e);
    effects.push(e);
  };
  for (const op of f.ops) {
    push(op.kind, op.place, false, op, 0, () => ({ kind: op.kind, place: op.place, site: op, chain: [], deferred: op.deferred, conditional: conditionalWithin(op.node, f.node), async: false, start: null, others: 0 }));
  }
  for (const site of f.calls) {
    const async = site.go !== null;
    let cond: boolean | null = null;
    for (const t of site.resolved?.targets ?? []) {
      const s = done.get(t.node);
      if (!s) continue;
      truncated ||= s.truncated;
      for (const e of s.effects) {
        // What callers never carry: the callee's own locals, and uses that tell them nothing.
        if (UNCARRIED.has(e.kind) || (e.place.root.kind === 'unknown' && e.place.id?.startsWith('L:'))) continue;
        if (e.place.root.kind === 'local' && t.node.contains(e.place.root.binding.node) && !e.place.id?.startsWith('F:')) continue;
        const place = substitute(e.place, site, t.node);
        if (!place || (place.root.kind === 'unknown' && place.id?.startsWith('L:'))) continue;
        const isAsync = e.async || async;
        push(e.kind, place, isAsync, e.site, e.others, () => {
          cond ??= conditionalWithin(site.node, f.node);
          return { ...e, place, chain: [site.node, ...e.chain], deferred: site.deferred, conditional: e.conditional || cond, async: isAsync, start: async ? site.go : e.async ? e.start : null };
        });
      }
    }
  }
  for (const lit of implicit) {
    const s = done.get(lit.node);
    if (!s) continue;
    if (lit.use === 'value' || lit.use === 'local') {
      // Run by code out of view, at times the model cannot tell: whatever it touches escapes.
      for (const e of s.effects) push('escape', e.place, true, e.site, e.others, () => ({ ...e, kind: 'escape', conditional: true, async: true, start: null }));
      continue;
    }
    const async = lit.use === 'go';
    for (const e of s.effects) push(e.kind, e.place, e.async || async, e.site, e.others, () => ({ ...e, conditional: true, async: e.async || async, start: async ? lit.start : e.start }));
  }
  const summary: Summary = { fn: f, effects, locks: null, truncated, recursive };
  summary.locks = lockFacts(f, summary, done);
  return summary;
}

const modeOf = (kind: OpKind): LockMode | null => (kind === 'lock' ? 'w' : kind === 'rlock' ? 'r' : null);
const releaseModeOf = (kind: OpKind): LockMode | null => (kind === 'unlock' ? 'w' : kind === 'runlock' ? 'r' : null);

/**
 * Traces each lock the function's own code or its callees touch (by instance key), entered
 * unlocked and entered locked, to derive the lock facts.
 */
function lockFacts(f: FuncNode, summary: Summary, done: Map<SNode, Summary>): LockFacts | null {
  const body = f.body;
  if (!body || body.elided) return null;
  const places = new Map<string, Place>();
  const trying = new Set<string>();
  for (const op of f.ops) {
    if (!LOCK_KINDS.has(op.kind) || !op.place.key) continue;
    if (op.kind === 'trylock' || op.kind === 'tryrlock') trying.add(op.place.key);
    else places.set(op.place.key, op.place);
  }
  // Locks callees take or release, seen from here.
  const calleeLocks = new Map<SNode, Array<{ s: Summary; site: CallSite; target: SNode }>>();
  for (const site of f.calls) {
    if (site.go) continue;
    for (const t of site.resolved?.targets ?? []) {
      const s = done.get(t.node);
      if (!s?.locks) continue;
      const list = calleeLocks.get(site.node) ?? [];
      list.push({ s, site, target: t.node });
      calleeLocks.set(site.node, list);
      for (const h of [...s.locks.heldAtExit, ...s.locks.releasedAtExit, ...s.locks.reacquires]) {
        const p = substitute(h.place, site, t.node);
        if (p?.key) places.set(p.key, p);
      }
      for (const e of s.effects) {
        if (e.async || (e.kind !== 'lock' && e.kind !== 'rlock')) continue;
        const p = substitute(e.place, site, t.node);
        if (p?.key) places.set(p.key, p);
      }
    }
  }
  for (const k of trying) places.delete(k);
  if (places.size === 0) return null;

  const opAt = new Map<SNode, Op>();
  for (const op of f.ops) if (LOCK_KINDS.has(op.kind) && op.node.type === 'call_expression') opAt.set(op.node, op);

  /** The callees' view of a call: for each callee, mapped places of what it does to locks. */
  const viaCall = (node: SNode) => calleeLocks.get(node) ?? [];
  /**
   * What a call does to locks for certain, in this function's terms (`key#mode`): taken and
   * still held at its return, or released. Every target must agree (an interface call), and
   * none may be cut or recursive. Computed once per call.
   */
  const netCache = new Map<SNode, { held: Set<string>; released: Set<string> } | null>();
  const netOf = (node: SNode): { held: Set<string>; released: Set<string> } | null => {
    if (netCache.has(node)) return netCache.get(node)!;
    const list = viaCall(node);
    let out: { held: Set<string>; released: Set<string> } | null = null;
    if (list.length > 0 && list.every((x) => !x.s.truncated && !x.s.recursive)) {
      const keysOf = (x: { s: Summary; site: CallSite; target: SNode }, items: Array<{ place: Place; mode: LockMode }>) => {
        const keys = new Set<string>();
        for (const h of items) {
          const p = substitute(h.place, x.site, x.target);
          if (p?.key) keys.add(`${p.key}#${h.mode}`);
        }
        return keys;
      };
      const intersect = (sets: Array<Set<string>>) => new Set([...sets[0]!].filter((k) => sets.every((x) => x.has(k))));
      out = {
        held: intersect(list.map((x) => keysOf(x, x.s.locks!.heldAtExit))),
        released: intersect(list.map((x) => keysOf(x, x.s.locks!.releasedAtExit))),
      };
    }
    netCache.set(node, out);
    return out;
  };

  const facts: LockFacts = { heldAtExit: [], releasedAtExit: [], reacquires: [], edges: [], states: new Map(), places: new Map() };
  /** What taking locks a call or operation does, for the observers: [place, mode, op, chain]. */
  const acquired = new Map<SNode, Array<{ place: Place; mode: LockMode; site: Op; chain: SNode[] }>>();
  const acquisitions = (node: SNode): Array<{ place: Place; mode: LockMode; site: Op; chain: SNode[] }> => {
    let list = acquired.get(node);
    if (!list) acquired.set(node, (list = computeAcquisitions(node)));
    return list;
  };
  const computeAcquisitions = (node: SNode): Array<{ place: Place; mode: LockMode; site: Op; chain: SNode[] }> => {
    const own = opAt.get(node);
    if (own) {
      const m = modeOf(own.kind);
      return m && own.place.key ? [{ place: own.place, mode: m, site: own, chain: [] }] : [];
    }
    const out: Array<{ place: Place; mode: LockMode; site: Op; chain: SNode[] }> = [];
    for (const { s, site, target } of viaCall(node)) {
      for (const e of s.effects) {
        const m = modeOf(e.kind);
        if (!m || e.async) continue;
        const p = substitute(e.place, site, target);
        if (p) out.push({ place: p, mode: m, site: e.site, chain: [node, ...e.chain] });
      }
    }
    return out;
  };

  // The nodes whose lock state rules ask about: lock operations, calls that do something to a
  // lock, the operations that can block (sends, receives, ranges, Waits) and their partners
  // (closes, Dones).
  const interesting = new Set<SNode>([...opAt.keys(), ...calleeLocks.keys()]);
  for (const op of f.ops) if (BLOCKING_OR_PARTNER.has(op.kind)) interesting.add(op.node);
  // The modes each lock is used in: a mutex only written is not traced as a read lock.
  const modes = new Map<string, Set<LockMode>>();
  const addMode = (key: string | null, m: LockMode | null) => {
    if (!key || !m) return;
    const set = modes.get(key) ?? new Set<LockMode>();
    set.add(m);
    modes.set(key, set);
  };
  for (const op of f.ops) addMode(op.place.key, modeOf(op.kind) ?? releaseModeOf(op.kind));
  for (const list of calleeLocks.values()) {
    for (const { s, site, target } of list) {
      for (const h of [...s.locks!.heldAtExit, ...s.locks!.releasedAtExit]) addMode(substitute(h.place, site, target)?.key ?? null, h.mode);
      for (const r of s.locks!.reacquires) addMode(substitute(r.place, site, target)?.key ?? null, r.heldMode);
      for (const e of s.effects) if (!e.async) addMode(substitute(e.place, site, target)?.key ?? null, modeOf(e.kind));
    }
  }
  for (const [key, place] of places) {
    for (const mode of modes.get(key) ?? []) {
      const effectOf = (call: SNode): PathEffect => {
        const own = opAt.get(call);
        if (own) {
          if (own.place.key !== key) return null;
          if (modeOf(own.kind) === mode) return 'acquire';
          if (releaseModeOf(own.kind) === mode) return 'release';
          return null;
        }
        const net = netOf(call);
        if (net?.held.has(`${key}#${mode}`)) return 'acquire';
        if (net?.released.has(`${key}#${mode}`)) return 'release';
        return null;
      };
      const states = new Map<SNode, Held>();
      const fromUnlocked = tracePaths(body, 'no', effectOf, (node, before) => {
        if (interesting.has(node)) states.set(node, before);
      });
      const rk = `${key}#${mode}`;
      facts.states.set(rk, states);
      facts.places.set(rk, place);
      const deferRelease = deferHas(body, effectOf, 'release');
      const exits = [...fromUnlocked.returns.map((r) => r.state), ...(fromUnlocked.fallOff ? [fromUnlocked.fallOff] : [])];
      if (!deferRelease && exits.length > 0 && exits.every((s) => s === 'yes')) {
        const taking = [...states.keys()].find((n) => effectOf(n) === 'acquire');
        const site = taking ? acquisitions(taking).find((a) => a.place.key === key)?.site : undefined;
        if (site) facts.heldAtExit.push({ place, mode, site });
      }
      // Entered holding the lock: does it give it back, or take it again while held?
      const reacquired: Reacquire[] = [];
      const fromLocked = tracePaths(body, 'yes', effectOf, (node, before) => {
        if (before !== 'yes') return;
        const own = opAt.get(node);
        const ownMode = own ? modeOf(own.kind) : null;
        if (own && ownMode && own.place.key === key) reacquired.push({ place, heldMode: mode, mode: ownMode, site: own, chain: [] });
        for (const { s, site, target } of viaCall(node)) {
          for (const r of s.locks!.reacquires) {
            if (r.heldMode !== mode || substitute(r.place, site, target)?.key !== key) continue;
            reacquired.push({ place, heldMode: mode, mode: r.mode, site: r.site, chain: [node, ...r.chain] });
          }
        }
      });
      if (!summary.truncated && !summary.recursive) facts.reacquires.push(...dedupeReacquires(reacquired));
      const lockedExits = [...fromLocked.returns.map((r) => r.state), ...(fromLocked.fallOff ? [fromLocked.fallOff] : [])];
      if (reacquired.length === 0 && (deferRelease || (lockedExits.length > 0 && lockedExits.every((s) => s === 'no')))) {
        if ([...states.keys()].some((n) => effectOf(n) === 'release') || deferRelease) facts.releasedAtExit.push({ place, mode });
      }
      // Lock order: another lock taken while this one is held.
      for (const [node, before] of states) {
        if (before !== 'yes' || facts.edges.length >= MAX_EDGES) continue;
        for (const a of acquisitions(node)) {
          if (a.place.key === key || !a.place.key) continue;
          facts.edges.push({ held: place, heldMode: mode, acquired: a.place, acquiredMode: a.mode, at: node, site: a.site, chain: a.chain });
        }
      }
    }
  }
  // Edges the callees create, seen from here.
  for (const site of f.calls) {
    if (site.go) continue;
    for (const t of site.resolved?.targets ?? []) {
      const s = done.get(t.node);
      for (const e of s?.locks?.edges ?? []) {
        if (facts.edges.length >= MAX_EDGES) break;
        const held = substitute(e.held, site, t.node);
        const acquired = substitute(e.acquired, site, t.node);
        if (held?.key && acquired?.key) facts.edges.push({ ...e, held, acquired, at: site.node, chain: [site.node, ...e.chain] });
      }
    }
  }
  return facts.states.size > 0 || facts.edges.length > 0 ? facts : null;
}

function dedupeReacquires(list: Reacquire[]): Reacquire[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const k = `${r.heldMode}${r.mode}${r.site.node.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
