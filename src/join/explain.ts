// The explanation of a blocking operation from the package model: what the goroutine waits on
// (the channel, lock, WaitGroup or Cond, by identity), every other operation on that identity
// in the package with its location, which of them could release the wait, and which go
// statements start goroutines that reach the operation. `goroscope explain FILE:LINE` prints it;
// `dump --source` attaches it to a leaked group that no scan finding covers.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { goroutinesRunning, placeName, valueModel } from '../model/index.js';
import { identityUses, type IdentityUse } from '../model/uses.js';
import { isTimerChannel } from '../rules/lib/loops.js';
import type { Op, OpKind, ValueModel } from '../model/values.js';

/** Operations a goroutine can be parked on. */
const BLOCKING: ReadonlySet<OpKind> = new Set<OpKind>(['send', 'recv', 'range', 'lock', 'rlock', 'wait', 'cwait']);

/** For each blocking kind, the partner kinds that can end the wait. */
const RELEASES: Record<string, ReadonlySet<OpKind>> = {
  send: new Set<OpKind>(['recv', 'range']),
  recv: new Set<OpKind>(['send', 'close']),
  range: new Set<OpKind>(['send', 'close']),
  lock: new Set<OpKind>(['unlock', 'runlock']),
  rlock: new Set<OpKind>(['unlock']),
  wait: new Set<OpKind>(['done', 'wggo']),
  cwait: new Set<OpKind>(['signal', 'broadcast']),
};

/** Words for operation kinds, as the explanation prints them. */
const KIND_WORDS: Partial<Record<OpKind, string>> = {
  send: 'send',
  recv: 'receive',
  range: 'range (receives until closed)',
  close: 'close',
  len: 'len/cap',
  lock: 'Lock',
  unlock: 'Unlock',
  rlock: 'RLock',
  runlock: 'RUnlock',
  trylock: 'TryLock',
  tryrlock: 'TryRLock',
  add: 'Add',
  done: 'Done',
  wait: 'Wait',
  wggo: 'Go (calls Done)',
  cwait: 'Wait',
  signal: 'Signal',
  broadcast: 'Broadcast',
};

const VALUE_WORDS: Record<string, string> = {
  chan: 'channel',
  mutex: 'sync.Mutex',
  rwmutex: 'sync.RWMutex',
  waitgroup: 'sync.WaitGroup',
  cond: 'sync.Cond',
};

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface CodeRef extends SourceLocation {
  /** The first line of the code there, trimmed. */
  text: string;
}

export interface ExplainedOp extends CodeRef {
  kind: OpKind;
  /** What the kind is called: "send", "receive", "Unlock", "Done"... */
  operation: string;
  /** The function whose code does it: `F`, `T.M`, or `func literal in T.M`. */
  function: string;
}

export interface Partner extends ExplainedOp {
  /** It can end the wait (a receive for a blocked send, an Unlock for a Lock, Done for Wait...). */
  releases: boolean;
  /** For an operation a same-package callee does on the value passed to it: the calls, outermost first. */
  via: CodeRef[];
  /** The go statements whose goroutines do it; empty when the function runs in no goroutine the model knows. */
  goroutines: CodeRef[];
  /** In a func literal handed out as a value (stored in a map, passed as a callback) that no code of the package calls. */
  callback: boolean;
  deferred: boolean;
}

export interface Explanation {
  operation: ExplainedOp;
  identity: {
    /** The model's identity: `F:T.f` (a field every T shares), `V:name`, `L:file:offset` (a local or parameter). */
    id: string;
    /** chan, mutex, rwmutex, waitgroup, cond. */
    kind: string;
    /** The value as the code names it at the operation. */
    name: string;
    /** In words: "field `jobs` of every `Pool`", "package variable `mu`", "local `ch` of `start`". */
    description: string;
  };
  /** Where the value is made (make(chan T, n), a constructor, a composite literal). */
  creations: Array<CodeRef & { capacity: number | null }>;
  /** For a parameter: the same-package calls that pass it (their values' operations are among the partners). */
  passedFrom: CodeRef[];
  /** The go statements whose goroutines reach the operation (empty: it runs in the caller's goroutine, or nothing the model knows). */
  goroutines: CodeRef[];
  /** Every other operation on the identity in the package. */
  partners: Partner[];
  /** Where the value is handed to code the model cannot follow: anything may happen to it there. */
  escapes: CodeRef[];
  /** One sentence: what the partners mean for the wait. */
  summary: string;
}

/** The blocking operations written at `line` of `file` (a select's receive and send cases on its `select` line too). */
export function blockingOpsAt(pkg: GoPackage, file: string, line: number): Op[] {
  const model = valueModel(pkg);
  return model.ops.filter((op) => {
    if (!BLOCKING.has(op.kind) || op.node.file.path !== file) return false;
    return op.node.pos.line === line || (op.select !== null && op.select.pos.line === line);
  });
}

/** Explanations of every blocking operation at file:line (empty when there is none). */
export function explainLine(pkg: GoPackage, file: string, line: number): Explanation[] {
  return blockingOpsAt(pkg, file, line).map((op) => explainOp(pkg, op));
}

export function explainOp(pkg: GoPackage, op: Op): Explanation {
  const model = valueModel(pkg);
  const id = op.place.id ? model.canon(op.place.id) : null;
  const releasing = RELEASES[op.kind] ?? new Set<OpKind>();
  const all = id ? identityUses(pkg, id) : { uses: [], escapes: [] };
  const uses = [...all.uses];
  const escapeNodes = [...all.escapes];
  // A parameter is whatever its callers pass: their values' operations are partners too.
  const passedFrom: CodeRef[] = [];
  const root = op.place.root;
  if (root.kind === 'param' && op.place.path.length === 0) {
    for (const site of model.callersOf(root.fn)) {
      passedFrom.push(codeRef(site.node));
      const arg = site.arg(root.index);
      if (!arg?.id || model.canon(arg.id) === id) continue;
      const outer = identityUses(pkg, arg.id);
      uses.push(...outer.uses);
      escapeNodes.push(...outer.escapes);
    }
  }
  const partners = dedupe(uses.filter((u) => u.op !== op).map((u) => partnerOf(model, u, releasing)));
  partners.sort((a, b) => Number(b.releases) - Number(a.releases) || cmp(a.file, b.file) || a.line - b.line || a.column - b.column);
  const creations = id
    ? model.creationsOf(id).filter((c) => c.kind === 'make' || c.kind === 'ctor').map((c) => ({ ...codeRef(c.value), capacity: c.capacity?.value ?? null }))
    : [];
  const escapes = dedupe(escapeNodes.map(codeRef));
  const goroutines = dedupe(goroutinesRunning(model, op.fn).map(codeRef));
  const kind = op.place.type.kind === 'other' && op.kind === 'lock' ? 'mutex' : op.place.type.kind;
  const outside = root.kind === 'param' && op.place.path.length === 0 && passedFrom.length === 0;
  return {
    operation: explainedOp(model, op),
    identity: { id: id ?? '', kind, name: placeName(op.place) ?? op.place.text, description: describeIdentity(op, id, kind) },
    creations,
    passedFrom,
    goroutines,
    partners,
    escapes,
    summary: timerChannel(model, op)
      ? "a timer's or ticker's channel: the runtime sends on it when it fires (a ticker until it is stopped, a timer once)"
      : !id
        ? `\`${op.place.text}\` is not a value the model follows (another package's field, an element, a call's result): its partners are out of its view`
        : summarize(op, partners, escapes, creations, outside ? functionName(model, op.fn) : null),
  };
}

function timerChannel(model: ValueModel, op: Op): boolean {
  const scope = model.funcAround(op.node)?.scope;
  return (op.kind === 'recv' || op.kind === 'range') && !!scope && isTimerChannel(op.ref, scope);
}

function partnerOf(model: ValueModel, u: IdentityUse, releasing: ReadonlySet<OpKind>): Partner {
  return {
    ...explainedOp(model, u.op, u.kind),
    releases: releasing.has(u.kind),
    via: u.chain.map(codeRef),
    goroutines: dedupe(u.starts.map(codeRef)),
    callback: u.callback,
    deferred: u.op.deferred,
  };
}

function explainedOp(model: ValueModel, op: Op, kind: OpKind = op.kind): ExplainedOp {
  return { ...codeRef(op.node), kind, operation: KIND_WORDS[kind] ?? kind, function: functionName(model, op.fn) };
}

function codeRef(node: SNode): CodeRef {
  const { line, column } = node.pos;
  const first = node.text.split('\n', 1)[0]!.trim();
  return { file: node.file.path, line, column, text: first.length > 100 ? `${first.slice(0, 97)}...` : first };
}

function dedupe<T extends SourceLocation & { kind?: string }>(refs: T[]): T[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.kind ?? ''}:${r.file}:${r.line}:${r.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `F`, `T.M`, or `func literal in T.M` (nested literals name their outermost declaration). */
export function functionName(model: ValueModel, fn: SNode): string {
  const node = model.functions.get(fn);
  if (node?.info) return node.info.key;
  let outer = node?.parent ?? null;
  while (outer && !outer.info) outer = outer.parent;
  if (outer?.info) return `func literal in ${outer.info.key}`;
  return fn.type === 'func_literal' ? 'func literal at package level' : fn.child('name')?.text ?? '?';
}

function describeIdentity(op: Op, id: string | null, kind: string): string {
  const what = VALUE_WORDS[kind] ?? kind;
  if (id?.startsWith('F:')) {
    const [type, field] = id.slice(2).split('.');
    return `${what} in field \`${field}\` of \`${type}\` (every \`${type}\` value has its own; the model follows them all as one)`;
  }
  if (id?.startsWith('V:')) return `${what} in package variable \`${id.slice(2)}\``;
  if (id?.startsWith('R:')) return `${what}: the receiver (\`${id.slice(2)}\`)`;
  const name = placeName(op.place) ?? op.place.text;
  const root = op.place.root;
  if (op.place.path.length > 0 && (root.kind === 'param' || root.kind === 'local')) return `${what} \`${name}\`, reached through ${root.kind === 'param' ? 'parameter' : 'local'} \`${root.binding.name}\``;
  if (root.kind === 'param') return `${what} passed in as parameter \`${name}\``;
  if (root.kind === 'local') return `${what} in local \`${name}\` (declared at line ${root.binding.node.pos.line})`;
  return `${what} \`${name}\``;
}

function summarize(op: Op, partners: Partner[], escapes: CodeRef[], creations: Explanation['creations'], outsideCallee: string | null): string {
  if (outsideCallee && partners.length === 0) return `it is a parameter of ${outsideCallee}, which no code of the package calls: the value and its partners are in the callers, outside the package`;
  const releasers = partners.filter((p) => p.releases);
  const reachable = releasers.filter((p) => !p.callback);
  const escaped = escapes.length > 0 ? `; it is also handed to code the model cannot follow (${escapes.length} place${escapes.length === 1 ? '' : 's'}), which may release it` : '';
  if (op.kind === 'send' && creations.some((c) => c.capacity !== null && c.capacity > 0) && releasers.length === 0)
    return `nothing in the package receives from this channel: the send blocks once its buffer is full${escaped}`;
  if (releasers.length === 0) return `nothing in the package can release this ${KIND_WORDS[op.kind] ?? op.kind}${escaped}`;
  if (reachable.length === 0)
    return `only code in func values handed out (${releasers.length} operation${releasers.length === 1 ? '' : 's'}) could release it, and no code of the package calls them${escaped}`;
  return `${reachable.length} operation${reachable.length === 1 ? '' : 's'} could release it; the goroutine stays blocked if none of them runs (check the paths that skip them)${escaped}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
