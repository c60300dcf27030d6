// Channel facts for the channel rules (stranded-sender, stranded-receiver, nil-channel), read
// from the package model: every use of one channel identity anywhere in the package (direct
// operations, and operations of same-package callees it is passed to, through their summaries),
// with the goroutine that performs each one; channels a function makes and keeps local; channel
// fields of the package's structs; channels a function returns and feeds from a goroutine.
import type { SNode } from '../../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../../gosrc/package.js';
import { scopeFor, type Binding, type FuncScope } from '../../gosrc/scope.js';
import { callEffects, valueModel } from '../../model/index.js';
import { foldInt } from '../../model/consts.js';
import { loopExits } from '../../model/paths.js';
import { placeOf, returnedPlace, type Place } from '../../model/places.js';
import { identityUses } from '../../model/uses.js';
import { capacityAt, isMakeChan, type Capacity, type ChanOpKind, type FuncNode, type Op, type OpKind, type ValueModel } from '../../model/values.js';
import { fieldDeclaration, selectCaseCount } from './loops.js';

export { isMakeChan, type Capacity };

export type ChannelOpKind = ChanOpKind;

export interface ChannelOp {
  kind: ChannelOpKind;
  /** The identifier naming the channel at this use (in the callee, for an operation through a call). */
  ref: SNode;
  /**
   * Where the use is, in the code that names the channel: the send_statement, `<-ch`, range
   * for_statement, or `close(ch)`/`len(ch)` call; for an operation a same-package callee does,
   * the call that hands the channel over.
   */
  site: SNode;
  /** The operation itself, in whichever function does it. */
  op: Op;
  /** Calls from `site` down to the operation (empty when `site` is the operation). */
  chain: SNode[];
  /** The go statement of the goroutine performing it; null when the making function itself does. */
  owner: SNode | null;
  /** Runs in a deferred call (`defer close(ch)`, `defer func() { close(ch) }()`). */
  deferred: boolean;
  /** For send/recv used as a select case: the select_statement. */
  select: SNode | null;
  /** A select case with another receive or a default case: the operation can give up. */
  cancellable: boolean;
  /** `v, ok := <-ch`: the receiver tells a closed channel apart. */
  twoValue: boolean;
  /** Under a branch or loop somewhere along the chain (for an operation through a call). */
  conditional: boolean;
  /** More than one operation of this kind in the callee (through a call): a count of one is not sure. */
  several: boolean;
  /** Set when the operation happens in a same-package function the channel is passed to. */
  via: { callee: FuncInfo; param: number } | null;
}

export interface LocalChannel {
  name: string;
  binding: Binding;
  scope: FuncScope;
  /** The function (declaration or literal) whose body declares the channel. */
  home: SNode;
  /** The `make(chan T, ...)` call. */
  make: SNode;
  capacity: Capacity;
  ops: ChannelOp[];
  /** The first use the analysis cannot follow (stored, passed to unknown code, returned...), or null. */
  escape: SNode | null;
}

const FUNC_TYPES = ['func_literal', 'function_declaration', 'method_declaration'];
const CHAN_KINDS: ReadonlySet<OpKind> = new Set<OpKind>(['send', 'recv', 'range', 'close', 'len']);
const cache = new WeakMap<GoPackage, LocalChannel[]>();

/** Every channel made by a function of the package and held in a local variable. */
export function localChannels(pkg: GoPackage): LocalChannel[] {
  let list = cache.get(pkg);
  if (list) return list;
  list = [];
  const model = valueModel(pkg);
  for (const c of model.creations) {
    const root = c.place.root;
    if (c.kind !== 'make' || root.kind !== 'local' || c.place.path.length > 0 || !c.place.id || c.fn === null) continue;
    const b = root.binding;
    // The declaration itself: `ch := make(...)` / `var ch = make(...)`, not a later assignment.
    if (b.init !== c.value || b.initIndex !== -1) continue;
    // A local stored into a field is that field: the field analysis judges it.
    if (model.canon(c.place.id) !== c.place.id) continue;
    const home = b.node.ancestor(...FUNC_TYPES);
    const fn = home ? model.functions.get(home) : undefined;
    if (!home || !fn) continue;
    list.push(analyseLocal(c.place, b, c.value, fn, model, pkg));
  }
  cache.set(pkg, list);
  return list;
}

function analyseLocal(place: Place, b: Binding, make: SNode, home: FuncNode, model: ValueModel, pkg: GoPackage): LocalChannel {
  const scope = home.scope;
  const ch: LocalChannel = { name: b.name, binding: b, scope, home: home.node, make, capacity: capacityAt(make, scope, pkg), ops: [], escape: null };
  const id = place.id!;
  for (const op of model.opsOf(id)) {
    if (!home.node.contains(op.node)) {
      ch.escape ??= op.ref;
      continue;
    }
    const where = ownerWithin(op.fn, home, model);
    if (op.kind === 'escape' || !where) {
      ch.escape ??= op.ref;
      continue;
    }
    if (!CHAN_KINDS.has(op.kind)) continue;
    ch.ops.push(direct(op, where.owner, op.deferred || where.deferred));
  }
  // Operations of same-package callees the channel is handed to.
  for (const { site, index } of model.sitesPassing(id)) {
    if (!home.node.contains(site.node)) continue;
    const where = ownerWithin(site.fn, home, model);
    const effects = callEffects(pkg, site);
    if (!where || effects.partial || effects.summaries.length === 0) {
      ch.escape ??= site.node;
      continue;
    }
    const target = site.resolved!.targets[0]!;
    for (const e of effects.effects) {
      if (!e.place.id || model.canon(e.place.id) !== id || e.place.path.length > 0) continue;
      if (e.kind === 'escape') {
        ch.escape ??= site.node;
        continue;
      }
      if (!CHAN_KINDS.has(e.kind)) continue;
      const owner = site.go ?? where.owner ?? (e.async ? e.start : null);
      ch.ops.push({
        kind: e.kind as ChannelOpKind,
        ref: e.site.ref,
        site: site.node,
        op: e.site,
        chain: e.chain,
        owner,
        deferred: where.deferred || (site.deferred && !site.go),
        select: e.site.select,
        cancellable: e.site.cancellable,
        twoValue: e.site.twoValue,
        conditional: e.conditional,
        several: e.others > 0,
        via: target.info && index >= 0 ? { callee: target.info, param: index } : null,
      });
    }
  }
  return ch;
}

function direct(op: Op, owner: SNode | null, deferred: boolean): ChannelOp {
  return {
    kind: op.kind as ChannelOpKind,
    ref: op.ref,
    site: op.node,
    op,
    chain: [],
    owner,
    deferred,
    select: op.select,
    cancellable: op.cancellable,
    twoValue: op.twoValue,
    conditional: false,
    several: false,
    via: null,
  };
}

/**
 * Who runs code of function `fn` (nested in `home`): the home function itself (owner null) or
 * a goroutine it starts, and whether it runs deferred. Null when a func literal that is neither
 * started, deferred nor called on the spot lies in between: a callback or stored closure may run
 * any time, or never.
 */
function ownerWithin(fn: SNode, home: FuncNode, model: ValueModel): { owner: SNode | null; deferred: boolean } | null {
  let owner: SNode | null = null;
  let deferred = false;
  for (let f = model.functions.get(fn); f && f !== home; f = f.parent ?? undefined) {
    if (f.use === 'go') owner ??= f.start;
    else if (f.use === 'defer') deferred ||= owner === null;
    else if (f.use !== 'call' && f.use !== 'do') return null;
  }
  return { owner, deferred };
}

/** The capacity of a `make(chan T, n)` (folded through constants). */
export function capacityOf(make: SNode, pkg: GoPackage): Capacity {
  return capacityAt(make, scopeFor(make, pkg), pkg);
}

/** For an operation done through a call: the operation itself, at its own site. */
export function calleeSites(op: ChannelOp): ChannelOp[] {
  if (op.chain.length === 0) return [op];
  return [{ ...op, site: op.op.node, ref: op.op.ref, deferred: op.deferred || op.op.deferred }];
}

/**
 * Statements that leave `loop` early: returns, gotos, breaks out of it and continues of an outer
 * loop (model/paths loopExits), but not calls that end the program: a receiver that exits the
 * process strands nobody.
 */
export function earlyExits(loop: SNode): SNode[] {
  return loopExits(loop)
    .filter((e) => e.kind !== 'call')
    .map((e) => e.node);
}

/** The for statements around `node`, innermost first, up to (not past) `stop` or a function boundary. */
export function loopsAround(node: SNode, stop: SNode): SNode[] {
  const out: SNode[] = [];
  for (let p = node.parent; p && p !== stop; p = p.parent) {
    if (FUNC_TYPES.includes(p.type)) break;
    if (p.type === 'for_statement') out.push(p);
  }
  return out;
}

/**
 * How many times a loop runs, as expressions a capacity could be written as: `for _, u := range
 * urls` gives ["len(urls)"], `for i := range n` gives ["n"], `for i := 0; i < n; i++` gives ["n"].
 * Null when the count is not an expression of the code (an endless or condition loop).
 */
export function loopBound(loop: SNode, scope?: FuncScope): string[] | null {
  const range = loop.childOfType('range_clause');
  if (range) {
    const right = range.child('right');
    if (!right) return null;
    const t = squash(right.text);
    if (right.type === 'int_literal') return [t];
    if (right.type === 'identifier' && scope && isIntegerLocal(right, scope)) return [t];
    if (right.type === 'call_expression' && right.child('function')?.text === 'len') return null;
    // Ranging over an integer (Go 1.22) gives the value itself; over a slice or map, its len.
    return [`len(${t})`, t];
  }
  const clause = loop.childOfType('for_clause');
  const cond = clause?.child('condition');
  const init = clause?.child('initializer');
  if (!cond || cond.type !== 'binary_expression' || cond.child('operator')?.type !== '<') return null;
  const v = cond.child('left')?.text;
  if (!init || init.type !== 'short_var_declaration' || init.child('left')?.text !== v || init.child('right')?.text !== '0') return null;
  return [squash(cond.child('right')!.text)];
}

/** How many times a counting loop runs, when that folds to a constant (`for i := 0; i < workers; i++`). */
export function loopCount(loop: SNode, scope: FuncScope, pkg: GoPackage): number | null {
  const range = loop.childOfType('range_clause');
  if (range) return foldInt(range.child('right'), scope, pkg);
  const clause = loop.childOfType('for_clause');
  const cond = clause?.child('condition');
  const init = clause?.child('initializer');
  if (!cond || cond.type !== 'binary_expression' || cond.child('operator')?.type !== '<') return null;
  if (init?.type !== 'short_var_declaration' || init.child('left')?.text !== cond.child('left')?.text || foldInt(init.child('right')?.namedChildren[0] ?? null, scope, pkg) !== 0) return null;
  return foldInt(cond.child('right'), scope, pkg);
}

/** A local or parameter declared with an integer type (`n int`), for Go 1.22 `range n`. */
function isIntegerLocal(ident: SNode, scope: FuncScope): boolean {
  const b = scope.resolve(ident);
  if (!b) return false;
  if (b.typeNode) return /^u?int(8|16|32|64)?$/.test(b.typeNode.text);
  return b.init?.type === 'int_literal' || (b.init?.type === 'call_expression' && b.init.child('function')?.text === 'len');
}

export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Return statements of function `fn`'s own body (not of nested literals) that start before
 * `before` and after `after`.
 */
export function returnsBetween(fn: SNode, after: number, before: number): SNode[] {
  const body = fn.child('body');
  if (!body) return [];
  const out: SNode[] = [];
  body.walk((n) => {
    if (n.type === 'func_literal') return false;
    if (n.start >= before) return false;
    if (n.type === 'return_statement' && n.start > after) out.push(n);
    return true;
  });
  return out;
}

/**
 * The channel's make rewritten with a capacity, for fix texts: "make(chan result, len(urls))",
 * or the whole statement when it is a short declaration: "ch := make(chan result, len(urls))".
 */
export function makeWithCapacity(ch: LocalChannel, capacity: string): string {
  const type = ch.make.child('arguments')?.namedChildren[0]?.text ?? 'chan T';
  const expr = `make(${type}, ${capacity})`;
  return ch.binding.declKind === 'short' ? `${ch.name} := ${expr}` : expr;
}

/** A short description of a select case for messages: "`<-ctx.Done()`", "the default case". */
export function describeCase(c: SNode): string {
  if (c.type === 'default_case') return 'the default case';
  const comm = c.child('communication');
  if (!comm) return 'another case';
  const text = comm.type === 'receive_statement' ? (comm.child('right')?.text ?? comm.text) : comm.text;
  const short = squash(text).length > 40 ? squash(text).slice(0, 39) + '…' : text.replace(/\s+/g, ' ');
  return `\`${short}\``;
}

/** The select case (communication_case / default_case) holding an operation of a select. */
export function caseOf(op: ChannelOp): SNode | null {
  return op.site.ancestor('communication_case', 'default_case');
}

/** `func main` of package main: goroutines it leaves behind end with the program. */
export function isProgramMain(fn: SNode, pkg: GoPackage): boolean {
  return fn.type === 'function_declaration' && fn.child('name')?.text === 'main' && pkg.name === 'main';
}

/** One use of a channel identity anywhere in the package, with the goroutines that perform it. */
export interface ChannelUse {
  kind: ChannelOpKind;
  /** The operation, in whichever function does it. */
  op: Op;
  /** For an operation a callee does on the channel passed to it: the calls down to it. */
  chain: SNode[];
  /** The go statements (or `g.Go` calls) whose goroutines run it; empty when none is known. */
  starts: SNode[];
}

const usesCache = new WeakMap<GoPackage, Map<string, { uses: ChannelUse[]; escapes: SNode[]; receiveOnly: Set<SNode> }>>();

/**
 * Every use of channel identity `id` (canonical) in the package: operations on it, and the
 * operations same-package functions do on it when it is passed to them as an argument; plus
 * the places where it is handed to code the model cannot follow.
 */
export function channelUses(pkg: GoPackage, id: string): { uses: ChannelUse[]; escapes: SNode[]; receiveOnly: Set<SNode> } {
  let byId = usesCache.get(pkg);
  if (!byId) usesCache.set(pkg, (byId = new Map()));
  const canon = valueModel(pkg).canon(id);
  const cached = byId.get(canon);
  if (cached) return cached;
  const all = identityUses(pkg, canon, { kinds: CHAN_KINDS, callbacksEscape: true });
  // A channel returned by an accessor whose result type is receive-only: callers can only receive.
  const receiveOnly = new Set<SNode>();
  for (const op of valueModel(pkg).opsOf(canon)) if (op.kind === 'escape' && op.escape === 'returned' && returnsReceiveOnly(op.fn)) receiveOnly.add(op.node);
  const out = { uses: all.uses.map((u) => ({ kind: u.kind as ChannelOpKind, op: u.op, chain: u.chain, starts: u.starts })), escapes: all.escapes, receiveOnly };
  byId.set(canon, out);
  return out;
}

/**
 * A channel every instance of a struct type shares by identity (field `T.f`), or a package
 * variable, with all its uses across the package.
 */
export interface FieldChannel {
  id: string;
  /** The struct type, or null for a package variable. */
  struct: string | null;
  /** The field's (or variable's) name. */
  field: string;
  /** How messages name it: "the `.events` field of `dispatcher`", "package variable `jobs`". */
  label: string;
  /** Other packages can reach it: an exported field or variable. */
  exported: boolean;
  /** The declaring name node. */
  decl: SNode | null;
  /** `s.f = make(chan T)` or `T{f: make(chan T)}` value expressions. */
  makes: SNode[];
  /** The capacity every make agrees on (0: unbuffered); null when unknown or they differ. */
  capacity: number | null;
  /** Ranges and receives that cannot give up, done by a goroutine: the op and its go statement. */
  waits: Array<{ site: SNode; kind: 'range' | 'recv'; go: SNode; use: ChannelUse }>;
  closes: number;
  sends: number;
  uses: ChannelUse[];
  /** A use the analysis cannot follow (handed on, returned, assigned from elsewhere), or null. */
  escape: SNode | null;
  /**
   * An escape through which other code could close or send on the channel, or null: the same as
   * `escape` without the returns of an accessor typed `<-chan T` (`func (j *Job) Done() <-chan
   * struct{}`), whose callers can only receive.
   */
  closeEscape: SNode | null;
}

const fieldCache = new WeakMap<GoPackage, FieldChannel[]>();

/**
 * Channel fields of the package's structs and channel package variables, with all their uses.
 * A function body the scanner did not copy that names one counts as an escape: the analysis
 * only speaks when it has seen every use.
 */
export function fieldChannels(pkg: GoPackage): FieldChannel[] {
  const cached = fieldCache.get(pkg);
  if (cached) return cached;
  const out: FieldChannel[] = [];
  fieldCache.set(pkg, out);
  const model = valueModel(pkg);
  const mentions = elidedMentions(pkg);
  const add = (id: string, struct: string | null, field: string, decl: SNode | null, hidden: SNode | null) => {
    const canon = model.canon(id);
    const { uses, escapes, receiveOnly } = channelUses(pkg, canon);
    const label = struct ? `the \`.${field}\` field of \`${struct}\`` : `package variable \`${field}\``;
    const closeEscape = escapes.find((e) => !receiveOnly.has(e)) ?? null;
    const fc: FieldChannel = { id: canon, struct, field, label, exported: /^[A-Z]/.test(field), decl, makes: [], capacity: null, waits: [], closes: 0, sends: 0, uses, escape: escapes[0] ?? null, closeEscape };
    const caps = new Set<number | null>();
    for (const c of model.creationsOf(canon)) {
      if (c.kind === 'make') {
        fc.makes.push(c.value);
        caps.add(c.capacity?.value ?? null);
      } else if (c.kind !== 'nil' && !(c.kind === 'copy' && sameIdentity(c.value, canon, model))) {
        fc.escape ??= c.value;
        fc.closeEscape ??= c.value;
      }
    }
    fc.capacity = caps.size === 1 ? [...caps][0]! : null;
    if (hidden) {
      fc.escape ??= hidden;
      fc.closeEscape ??= hidden;
    }
    for (const u of uses) {
      if (u.kind === 'close') fc.closes++;
      else if (u.kind === 'send') fc.sends++;
      else if ((u.kind === 'range' || (u.kind === 'recv' && !u.op.cancellable && !inSelectWithOtherCases(u.op.select))) && u.starts[0]) fc.waits.push({ site: u.op.node, kind: u.kind, go: u.starts[0], use: u });
    }
    out.push(fc);
  };
  for (const [struct, fields] of pkg.structs) {
    for (const [field, type] of fields) {
      if (type.kind !== 'chan' || type.embedded) continue;
      add(`F:${struct}.${field}`, struct, field, fieldDeclaration(pkg, struct, field), mentions.dotted(field));
    }
  }
  for (const v of pkg.vars.values()) {
    if (v.type?.kind !== 'chan' && !(v.init && isMakeChan(v.init))) continue;
    add(`V:${v.name}`, null, v.name, v.node, mentions.bare(v.name));
  }
  return out;
}

/** A select with other cases (or a default): a receive there is released when another case proceeds. */
export function inSelectWithOtherCases(select: SNode | null): boolean {
  return select !== null && selectCaseCount(select) > 1;
}

function sameIdentity(value: SNode, id: string, model: ValueModel): boolean {
  const scope = scopeFor(value, model.pkg);
  const p = scope ? placeOfValue(value, scope, model) : null;
  return !!p?.id && model.canon(p.id) === id;
}

function placeOfValue(value: SNode, scope: FuncScope, model: ValueModel): Place | null {
  return placeOf(value, scope, model.placeContext);
}

const elidedCache = new WeakMap<GoPackage, SNode[]>();

/** Function bodies and var literals the scanner did not copy (their text can still be searched). */
export function elidedTexts(pkg: GoPackage): SNode[] {
  let list = elidedCache.get(pkg);
  if (!list) {
    list = [];
    for (const f of pkg.files) {
      for (const decl of f.root.children) {
        if (decl.type === 'function_declaration' || decl.type === 'method_declaration') {
          const body = decl.child('body');
          if (body?.elided) list.push(body);
        } else if (decl.type === 'var_declaration') {
          decl.walk((n) => {
            if (n.elided) list!.push(n);
            return n.elided ? false : undefined;
          });
        }
      }
    }
    elidedCache.set(pkg, list);
  }
  return list;
}

/** How the names in uncopied code are written: after a dot, as a key, bare, before a brace. */
export interface ElidedMentions {
  /** The first uncopied body or literal with `.name` (a field or method named so), or null. */
  dotted(name: string): SNode | null;
  /** The first with `name` not after a dot (a variable of that name), or null. */
  bare(name: string): SNode | null;
  /** Whether `name:` (a key of a literal) appears in one. */
  keyed(name: string): boolean;
  /** Whether `name` appears anywhere in one, however written. */
  any(name: string): boolean;
  /** Whether `name {` (a composite literal of a type of that name) appears in one. */
  braced(name: string): boolean;
}

const mentionsCache = new WeakMap<GoPackage, ElidedMentions>();
const IDENT = /^[A-Za-z_]\w*$/;

/**
 * An index of the names in the package's uncopied code, built in one pass over its text, so
 * asking about every field and variable of a package costs one lookup each instead of a search
 * of every uncopied body (which grew with fields × bodies). Matches what `\.name\b`,
 * `(?<![\w.])name\b`, `\bname\s*:`, `\bname\b` and `\bname\s*\{` find in each text (a literal
 * is searched with its type, as `T{...}`).
 */
export function elidedMentions(pkg: GoPackage): ElidedMentions {
  const cached = mentionsCache.get(pkg);
  if (cached) return cached;
  const nodes = elidedTexts(pkg);
  const texts = nodes.map(elidedText);
  const dotted = new Map<string, SNode>();
  const bare = new Map<string, SNode>();
  const keyed = new Set<string>();
  const braced = new Set<string>();
  // Only the names rules ask about are indexed: the package's struct types, their fields and
  // the package variables. A word whose first letter and length match none of them is skipped
  // without making a string of it (most words of a body: err, nil, if, return...).
  const indexed = new Set<string>();
  for (const [struct, fields] of pkg.structs) {
    indexed.add(struct);
    for (const field of fields.keys()) indexed.add(field);
  }
  for (const name of pkg.vars.keys()) indexed.add(name);
  const shapes = new Uint8Array(128 * 64);
  const shape = (first: number, length: number) => (first & 127) * 64 + Math.min(length, 63);
  for (const name of indexed) shapes[shape(name.charCodeAt(0), name.length)] = 1;
  texts.forEach((text, i) => {
    const node = nodes[i]!;
    forEachIdentifier(text, (start, end) => {
      if (shapes[shape(text.charCodeAt(start), end - start)] === 0) return;
      const name = text.slice(start, end);
      if (!indexed.has(name)) return;
      if (start > 0 && text.charCodeAt(start - 1) === DOT) {
        if (!dotted.has(name)) dotted.set(name, node);
      } else if (!bare.has(name)) bare.set(name, node);
      const after = charAfterSpaces(text, end, 64);
      if (after === COLON) keyed.add(name);
      else if (after === LBRACE) braced.add(name);
    });
  });
  // Other names, and names that are not plain ASCII identifiers (\w is ASCII), are searched in
  // the text itself.
  const search = (re: RegExp) => nodes.find((_, i) => re.test(texts[i]!)) ?? null;
  const esc = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const fromIndex = (name: string) => indexed.has(name) && IDENT.test(name);
  const index: ElidedMentions = {
    dotted: (name) => (fromIndex(name) ? (dotted.get(name) ?? null) : search(new RegExp(`\\.${esc(name)}\\b`))),
    bare: (name) => (fromIndex(name) ? (bare.get(name) ?? null) : search(new RegExp(`(?<![\\w.])${esc(name)}\\b`))),
    keyed: (name) => (fromIndex(name) ? keyed.has(name) : search(new RegExp(`\\b${esc(name)}\\s*:`)) !== null),
    any: (name) => (fromIndex(name) ? dotted.has(name) || bare.has(name) : search(new RegExp(`\\b${esc(name)}\\b`)) !== null),
    braced: (name) => (fromIndex(name) ? braced.has(name) : search(new RegExp(`\\b${esc(name)}\\s*\\{`)) !== null),
  };
  mentionsCache.set(pkg, index);
  return index;
}

const DOT = 0x2e;
const COLON = 0x3a;
const LBRACE = 0x7b;

function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * Calls `visit` with the offsets of every match of `\b[A-Za-z_]\w*\b` in `text`, in order: the
 * same words the regular expression finds, without allocating a match per word (the index
 * reads every uncopied body of a package, most of its text).
 */
function forEachIdentifier(text: string, visit: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    // A word that starts with a digit (`1e9`, `0x1f`) holds no identifier: \b needs a non-word before.
    if (c < 0x30 || c > 0x39) visit(start, i);
  }
}

const SPACE_RE = /\s/;

/** The first character at or after `from` that is not white space (as \s), within `limit` characters; -1 if none. */
function charAfterSpaces(text: string, from: number, limit: number): number {
  const end = Math.min(text.length, from + limit);
  for (let j = from; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    if (c > 0x7f && SPACE_RE.test(text[j]!)) continue;
    return c;
  }
  return -1;
}

/** The text an uncopied node is searched as: a var's literal together with its type. */
export function elidedText(n: SNode): string {
  return n.type === 'literal_value' && n.parent ? n.parent.text : n.text;
}

/**
 * True when a function's own body holds an endless `for { ... }` it never leaves: it runs until
 * the process ends, so goroutines tied to its lifetime are not leaks.
 */
export function runsForever(fn: SNode): boolean {
  const body = fn.child('body');
  if (!body) return false;
  let forever = false;
  body.walk((n) => {
    if (forever || n.type === 'func_literal') return false;
    if (n.type === 'for_statement' && n.namedChildren.length === 1 && n.child('body') && earlyExits(n).length === 0) forever = true;
    return true;
  });
  return forever;
}

/** A channel a function makes, returns, and feeds from a goroutine it starts. */
export interface ReturnedChannel {
  /** The `make(chan ...)` of the returned channel. */
  make: SNode;
  /** The go statement whose goroutine sends on it, if any. */
  goStmt: SNode | null;
  /** That goroutine's sends on it, in source order. */
  sends: SNode[];
  /** Whether that goroutine closes the channel when done. */
  closedByGoroutine: boolean;
  /** Whether every send of that goroutine sits in a select with another case (ctx.Done, done...). */
  sendsCancellable: boolean;
}

/** Result `index` of `fn` when it is a channel `fn` makes and returns, with its feeding goroutine. */
export function returnedChannel(pkg: GoPackage, fn: FuncInfo, index: number): ReturnedChannel | null {
  const model = valueModel(pkg);
  const p = returnedPlace(fn, index, model.placeContext);
  if (!p?.id || p.root.kind !== 'local' || !p.root.binding.init || !isMakeChan(p.root.binding.init) || p.type.kind !== 'chan') return null;
  const make = p.root.binding.init;
  const inFn = model.opsOf(p.id).filter((o) => fn.node.contains(o.node));
  let goStmt: SNode | null = null;
  const sends: Op[] = [];
  for (const op of inFn) {
    if (op.kind !== 'send') continue;
    const g = op.node.ancestor('go_statement');
    if (!g || !fn.node.contains(g) || (goStmt && g !== goStmt)) continue;
    goStmt = g;
    sends.push(op);
  }
  const closedByGoroutine = goStmt !== null && inFn.some((o) => o.kind === 'close' && goStmt!.contains(o.node));
  const sendsCancellable = sends.every((o) => o.select !== null && selectCaseCount(o.select) > 1);
  return { make, goStmt, sends: sends.map((o) => o.node).sort((a, b) => a.start - b.start), closedByGoroutine, sendsCancellable };
}

/** A function whose only result is a receive-only channel (`<-chan T`): its callers cannot close or send on what it returns. */
function returnsReceiveOnly(fn: SNode): boolean {
  const result = fn.child('result');
  const type = result?.type === 'parameter_list' && result.namedChildren.length === 1 ? result.namedChildren[0]!.child('type') : result;
  return type?.type === 'channel_type' && type.text.replace(/\s+/g, '').startsWith('<-chan');
}
