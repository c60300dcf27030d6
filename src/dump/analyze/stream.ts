// Streaming analysis, the CLI's `dump` path: goroutines are grouped as the parser reads them and
// only the groups (count, IDs, wait range) are kept, never a record per goroutine. The result is
// the one analyzeDump(mergeDumps(dumps)) gives, except that the dump and the groups hold no
// goroutine records (Dump.goroutines and GoroutineGroup.members are empty): --idle, which looks
// at members, and diff, which compares goroutines, use the model.
//
// Goroutine IDs must come out as the model's would: past AUTO_AGGREGATE_AFTER records the model
// merges identical goroutines (see parse/builder.ts) and keeps only the first one's ID. Each
// record is therefore also put in its merge class (parse/merge-key.ts), and once an input passes
// the threshold, a group keeps only the first ID of each class.
import type { Dump, Frame, Goroutine } from '../model.js';
import { AUTO_AGGREGATE_AFTER } from '../parse/builder.js';
import type { HeaderRest } from '../parse/header.js';
import { MergeKeys } from '../parse/merge-key.js';
import type { GoroutineSink, RepeatedStack } from '../parse/sink.js';
import { summarize, type AnalyzeOptions, type DumpAnalysis } from './analyze.js';
import { GroupFilling, type GoroutineGroup } from './group.js';
import { GroupIdentities } from './identity.js';
import { judgeGroup } from './suspects.js';

/** Records that are one record after aggregation; `taken` once its first record's ID is kept. */
interface MergeClass {
  taken: boolean;
}

/** One input's members of one group: their IDs, and while not aggregating, each one's merge class. */
interface InputMembers {
  filling: GroupFilling;
  /** IDs in input order (null for records without one), or once aggregating, first IDs of classes. */
  ids: Array<number | null>;
  /** The merge class of each entry of `ids`; null once aggregating. */
  classes: MergeClass[] | null;
}

/** Goroutines of one repeated stack with one header in one section: one group, one merge class. */
interface Variant {
  section: number;
  members: InputMembers;
  mergeClass: MergeClass;
}

/** Variants remembered before the cache is emptied (they are cheap to recompute). */
const MAX_VARIANTS = 100_000;
/** Records remembered per stack with their merge class, compared field by field before building a key. */
const CLASSES_PER_STACK = 16;

/** Whether two records with the same frames array have the same merge key (see MergeKeys.keyOf). */
function sameMergeKey(a: Goroutine, b: Goroutine): boolean {
  const ca = a.createdBy;
  const cb = b.createdBy;
  return (
    a.section === b.section &&
    a.state === b.state &&
    a.waitReason === b.waitReason &&
    a.waitMinutes === b.waitMinutes &&
    a.elidedFrames === b.elidedFrames &&
    a.lockedToThread === b.lockedToThread &&
    a.leaked === b.leaked &&
    a.durable === b.durable &&
    a.bubble === b.bubble &&
    a.labels === b.labels &&
    (ca === cb || (ca !== null && cb !== null && ca.func === cb.func && ca.file === cb.file && ca.line === cb.line))
  );
}

/** Groups goroutines of several inputs as they are parsed; see the file comment. */
export class StreamingAnalysis {
  private readonly identities: GroupIdentities;
  private readonly groups = new Map<string, GroupFilling>();
  private readonly dumps: Dump[] = [];

  constructor(
    private readonly options: Omit<AnalyzeOptions, 'idle' | 'selfId'> = {},
    private readonly aggregateAfter = AUTO_AGGREGATE_AFTER,
  ) {
    this.identities = new GroupIdentities(options);
  }

  /** A sink for the parser of the next input; give its parsed Dump to add() when it was read. */
  input(): InputGrouping {
    return new InputGrouping(this.identities, this.aggregateAfter);
  }

  /** Adds an input that was read whole (an input that failed half way is simply not added). */
  add(sink: InputGrouping, dump: Dump): void {
    for (const filling of sink.finish()) {
      const signature = filling.group.signature;
      const into = this.groups.get(signature);
      if (into === undefined) this.groups.set(signature, filling);
      else into.merge(filling);
    }
    this.dumps.push(dump);
  }

  finish(): DumpAnalysis {
    const dump: Dump = { total: 0, goroutines: [], sections: [], skipped: [] };
    for (const d of this.dumps) {
      for (const s of d.sections) dump.sections.push(s);
      for (const s of d.skipped) dump.skipped.push(s);
      dump.total += d.total;
    }
    const groups: GoroutineGroup[] = [];
    for (const filling of this.groups.values()) {
      const group = filling.finish();
      group.suspect = judgeGroup(group, this.options);
      groups.push(group);
    }
    return summarize(dump, groups);
  }
}

/** The sink of one input: groups, IDs and merge classes of its goroutines. */
export class InputGrouping implements GoroutineSink {
  /** Goroutine records received (a model would have this many before aggregating). */
  records = 0;
  private aggregating = false;
  private readonly groups = new Map<string, InputMembers>();
  private readonly mergeKeys = new MergeKeys();
  private readonly mergeClasses = new Map<string, MergeClass>();
  /** Recent records per frames array with their merge class: most records repeat one of them. */
  private readonly classesByStack = new Map<readonly Frame[], Array<{ record: Goroutine; mergeClass: MergeClass }>>();
  private readonly variants = new Map<RepeatedStack, Map<HeaderRest, Variant>>();
  private variantCount = 0;

  constructor(
    private readonly identities: GroupIdentities,
    private readonly aggregateAfter: number,
  ) {}

  add(g: Goroutine): void {
    const members = this.membersOf(g);
    const group = members.filling.group;
    group.count += g.count;
    members.filling.addWait(g.waitMinutes);
    // Records with ancestors are never merged: each is a class of its own.
    const mergeClass = g.ancestors.length > 0 ? { taken: false } : this.recordClassOf(g);
    this.record(members, g.id, mergeClass);
  }

  /** mergeClassOf(g), found without building the key when a recent record of the stack matches. */
  private recordClassOf(g: Goroutine): MergeClass {
    let recent = this.classesByStack.get(g.frames);
    if (recent === undefined) {
      recent = [];
      this.classesByStack.set(g.frames, recent);
    }
    for (const r of recent) if (sameMergeKey(r.record, g)) return r.mergeClass;
    const mergeClass = this.mergeClassOf(g);
    if (recent.length === CLASSES_PER_STACK) recent.shift();
    recent.push({ record: g, mergeClass });
    return mergeClass;
  }

  addRepeat(stack: RepeatedStack, header: HeaderRest, id: number, section: number): void {
    let byHeader = this.variants.get(stack);
    if (byHeader === undefined) {
      if (this.variantCount >= MAX_VARIANTS) {
        this.variants.clear();
        this.variantCount = 0;
      }
      byHeader = new Map();
      this.variants.set(stack, byHeader);
    }
    let v = byHeader.get(header);
    if (v === undefined || v.section !== section) {
      const g = recordOf(stack, header, id, section);
      v = { section, members: this.membersOf(g), mergeClass: this.mergeClassOf(g) };
      byHeader.set(header, v);
      this.variantCount++;
    }
    const members = v.members;
    members.filling.group.count++;
    members.filling.addWait(header.waitMinutes);
    this.record(members, id, v.mergeClass);
  }

  /** The input's groups with their final IDs (every ID, or first IDs of merge classes when aggregated). */
  finish(): GroupFilling[] {
    const out: GroupFilling[] = [];
    for (const members of this.groups.values()) {
      const ids = members.filling.group.ids;
      for (const id of members.ids) if (id !== null) ids.push(id);
      out.push(members.filling);
    }
    return out;
  }

  private membersOf(g: Goroutine): InputMembers {
    const identity = this.identities.of(g);
    let members = this.groups.get(identity.signature);
    if (members === undefined) {
      members = { filling: new GroupFilling(g, identity), ids: [], classes: this.aggregating ? null : [] };
      this.groups.set(identity.signature, members);
    }
    return members;
  }

  private mergeClassOf(g: Goroutine): MergeClass {
    const key = this.mergeKeys.keyOf(g);
    let c = this.mergeClasses.get(key);
    if (c === undefined) {
      c = { taken: false };
      this.mergeClasses.set(key, c);
    }
    return c;
  }

  private record(members: InputMembers, id: number | null, mergeClass: MergeClass): void {
    if (members.classes !== null) {
      members.ids.push(id);
      members.classes.push(mergeClass);
    } else if (!mergeClass.taken) {
      mergeClass.taken = true;
      members.ids.push(id);
    }
    if (++this.records > this.aggregateAfter && !this.aggregating) this.startAggregating();
  }

  /** From here on a group keeps one ID per merge class: the first, as the model's merged record does. */
  private startAggregating(): void {
    this.aggregating = true;
    for (const members of this.groups.values()) {
      const classes = members.classes!;
      const firsts: Array<number | null> = [];
      for (let i = 0; i < classes.length; i++) {
        const c = classes[i]!;
        if (c.taken) continue;
        c.taken = true;
        firsts.push(members.ids[i]!);
      }
      members.ids = firsts;
      members.classes = null;
    }
  }
}

/** The record the model would hold for a goroutine read from a block template. */
function recordOf(stack: RepeatedStack, header: HeaderRest, id: number, section: number): Goroutine {
  const site: Frame | null = stack.creatorSite;
  return {
    id,
    state: header.state,
    waitReason: header.state,
    waitMinutes: header.waitMinutes,
    lockedToThread: header.lockedToThread,
    leaked: header.leaked,
    durable: header.durable,
    bubble: header.bubble,
    labels: header.labels,
    frames: stack.frames,
    elidedFrames: stack.elidedFrames,
    createdBy: site === null ? null : { func: site.func, package: site.package, file: site.file, line: site.line, creatorId: null },
    ancestors: [],
    count: 1,
    line: 0,
    section,
  };
}
