// What grouping needs to know about a goroutine (its group signature, block kind, benign reason,
// location) depends only on its state, leaked flag, labels, frames and creator: never on its ID,
// arguments or wait time. A dump of 300,000 goroutines has a few hundred such identities, so each
// is classified once and looked up afterwards.
import type { CreatedBy, Goroutine } from '../model.js';
import { benignReason, type IgnoreRules, NO_IGNORES } from './benign.js';
import { classifyKind, normalizeState, type BlockKind } from './kinds.js';
import { createdByRef, frameKey, toRef, type FrameRef } from './packages.js';
import { CodeFacts, type ToolchainStd } from './user-code.js';

export type GroupBy = 'stack' | 'location';

export interface GroupOptions {
  groupBy?: GroupBy;
  /** The program's module path (go.mod or --module): its frames are user code and win as location. */
  modulePath?: string | null;
  /** `go list std` of the toolchain that built the program, when one is at hand. */
  toolchainStd?: ToolchainStd | null;
  ignore?: IgnoreRules;
}

/** Everything about a goroutine that is the same for every member of its group. */
export interface GroupIdentity {
  /** Stable identity of the group across dumps (used by diff). */
  signature: string;
  /** Normalized state ("" when the input has none). */
  state: string;
  kind: BlockKind;
  benign: string | null;
  location: FrameRef | null;
}

export function labelsKey(labels: Record<string, string>): string {
  for (const _k in labels) return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
  return '[]';
}

function signatureOf(
  g: Goroutine,
  state: string,
  kind: BlockKind,
  benign: string | null,
  location: FrameRef | null,
  groupBy: GroupBy,
): string {
  // Labels are part of the identity because pprof debug=1 and debug=0 already split by them;
  // text input grouped the same way gives the same groups as the pprof formats.
  const parts = [state, g.leaked ? 'leaked' : '', labelsKey(g.labels), benign ?? ''];
  if (groupBy === 'location') return [...parts, kind, frameKey(location)].join('\u0001');
  return [...parts, g.frames.map(frameKey).join('\u0002'), frameKey(createdByRef(g.createdBy))].join('\u0001');
}

const NO_CREATOR = Symbol('no creator');

type Level = Map<unknown, unknown>;

/** An identity seen with one frames array, with what it was keyed by. */
interface Seen {
  state: string;
  leaked: boolean;
  labels: Record<string, string>;
  createdBy: CreatedBy | null;
  identity: GroupIdentity;
}

/** Identities remembered per frames array before lookups go through the nested maps only. */
const SEEN_PER_STACK = 8;

/**
 * Classifies goroutines once per distinct identity. The parser shares frames arrays, header
 * states, label objects and creator records between goroutines, so most goroutines match one of
 * the few identities last seen with their frames array by identity of those values. Otherwise the
 * lookup walks nested maps keyed by the values that decide the identity (interned strings, whose
 * hashes V8 keeps), which allocates nothing on a hit. A caller whose goroutines share nothing still
 * gets correct results, only without the saving.
 */
export class GroupIdentities {
  private readonly groupBy: GroupBy;
  private readonly facts: CodeFacts;
  private readonly ignore: IgnoreRules;
  private readonly root: Level = new Map();
  private readonly seenByStack = new Map<readonly unknown[], Seen[]>();
  /** labelsKey() of label objects already seen (the parser shares them between goroutines). */
  private readonly labelKeys = new WeakMap<Record<string, string>, string>();

  constructor(options: GroupOptions = {}) {
    this.groupBy = options.groupBy ?? 'stack';
    this.facts = new CodeFacts({ modulePath: options.modulePath, toolchainStd: options.toolchainStd });
    this.ignore = options.ignore ?? NO_IGNORES;
  }

  of(g: Goroutine): GroupIdentity {
    const state = g.waitReason || g.state;
    let seen = this.seenByStack.get(g.frames);
    if (seen !== undefined) {
      for (const e of seen) {
        if (e.state === state && e.leaked === g.leaked && e.labels === g.labels && sameSite(e.createdBy, g.createdBy)) return e.identity;
      }
    } else {
      seen = [];
      this.seenByStack.set(g.frames, seen);
    }
    const identity = this.lookup(g);
    if (seen.length === SEEN_PER_STACK) seen.shift();
    seen.push({ state, leaked: g.leaked, labels: g.labels, createdBy: g.createdBy, identity });
    return identity;
  }

  /** The identity by the values that decide it. */
  private lookup(g: Goroutine): GroupIdentity {
    const c: CreatedBy | null = g.createdBy;
    let m = child(this.root, g.frames);
    m = child(m, g.waitReason || g.state);
    m = child(m, g.leaked);
    m = child(m, this.labelsKeyOf(g.labels));
    if (c === null) {
      m = child(m, NO_CREATOR);
    } else {
      m = child(m, c.func);
      m = child(m, c.package);
      m = child(m, c.file);
    }
    const line = c === null ? -1 : c.line;
    let identity = m.get(line) as GroupIdentity | undefined;
    if (identity === undefined) {
      identity = this.classify(g);
      m.set(line, identity);
    }
    return identity;
  }

  private labelsKeyOf(labels: Record<string, string>): string {
    let key = this.labelKeys.get(labels);
    if (key === undefined) {
      key = labelsKey(labels);
      this.labelKeys.set(labels, key);
    }
    return key;
  }

  private classify(g: Goroutine): GroupIdentity {
    const state = normalizeState(g.waitReason || g.state);
    const facts = this.facts;
    facts.learnGoroots(g.frames);
    const kind = classifyKind(g, facts);
    const benign = benignReason(g, this.ignore, kind, facts);
    const loc = facts.locationFrame(g.frames);
    const location = loc ? toRef(loc) : null;
    return { signature: signatureOf(g, state, kind, benign, location, this.groupBy), state, kind, benign, location };
  }
}

/** Creators at the same call site (their creator IDs may differ). */
function sameSite(a: CreatedBy | null, b: CreatedBy | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return a.func === b.func && a.package === b.package && a.file === b.file && a.line === b.line;
}

function child(m: Level, key: unknown): Level {
  let next = m.get(key) as Level | undefined;
  if (next === undefined) {
    next = new Map();
    m.set(key, next);
  }
  return next;
}
