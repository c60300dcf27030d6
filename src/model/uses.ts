// Every use of one identity (a channel, lock, WaitGroup, Cond...) across the package: the
// operations written on it, and the operations same-package functions do on it when it is passed
// to them as an argument (through their summaries), each with the go statements whose goroutines
// perform it; plus where it is handed to code the model cannot follow. The channel rules read the
// channel operations of it (rules/lib/channels.ts); `goroscope explain` reads all of it.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { callEffects, goroutinesRunning } from './index.js';
import { valueModel, type CallSite, type Op, type OpKind } from './values.js';

export interface IdentityUse {
  kind: OpKind;
  /** The operation, in whichever function does it. */
  op: Op;
  /** For an operation a callee does on the value passed to it: the calls down to it. */
  chain: SNode[];
  /** The go statements (or `g.Go` calls) whose goroutines run it; empty when none is known. */
  starts: SNode[];
  /**
   * The operation sits in a func literal handed out as a value or kept in a local, and no
   * same-package code calls it: it runs whenever its holder calls it, which the model cannot see.
   */
  callback: boolean;
}

export interface IdentityUses {
  uses: IdentityUse[];
  /** Where the value is handed to code the model cannot follow (or a callee whose summary is cut). */
  escapes: SNode[];
}

export interface UsesOptions {
  /** Only uses of these kinds (escapes are always kept); every kind when omitted. */
  kinds?: ReadonlySet<OpKind>;
  /** Count an operation in an uncalled callback as an escape instead of a use (what the channel rules need). */
  callbacksEscape?: boolean;
}

/** The uses of identity `id` (canonicalised here). */
export function identityUses(pkg: GoPackage, id: string, options: UsesOptions = {}): IdentityUses {
  const kinds = options.kinds;
  const model = valueModel(pkg);
  const canon = model.canon(id);
  const out: IdentityUses = { uses: [], escapes: [] };
  const wanted = (k: OpKind) => !kinds || kinds.has(k);
  for (const op of model.opsOf(canon)) {
    if (op.kind === 'escape') {
      if (!(op.into && model.canon(op.into) === canon)) out.escapes.push(op.node);
      continue;
    }
    const f = model.functions.get(op.fn);
    const callback = !!f && (f.use === 'value' || f.use === 'local') && model.callersOf(op.fn).length === 0;
    if (callback && options.callbacksEscape) {
      out.escapes.push(op.node);
      continue;
    }
    if (!wanted(op.kind)) continue;
    out.uses.push({ kind: op.kind, op, chain: [], starts: callback ? [] : goroutinesRunning(model, op.fn), callback });
  }
  const seenSites = new Set<CallSite>();
  for (const { site } of model.sitesPassing(canon)) {
    if (seenSites.has(site)) continue;
    seenSites.add(site);
    const effects = callEffects(pkg, site);
    if (effects.partial) out.escapes.push(site.node);
    for (const e of effects.effects) {
      // Only what the callee does to its parameter: its own field operations are direct uses.
      if (!e.place.id || model.canon(e.place.id) !== canon || e.site.place.id === e.place.id) continue;
      if (e.kind === 'escape') {
        out.escapes.push(site.node);
        continue;
      }
      if (!wanted(e.kind)) continue;
      const starts = site.go ? [site.go] : e.async && e.start ? [e.start] : goroutinesRunning(model, site.fn);
      out.uses.push({ kind: e.kind, op: e.site, chain: e.chain, starts, callback: false });
    }
  }
  return out;
}
