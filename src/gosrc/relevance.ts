// Cheap textual prefilters. Parsing runs at about 2–3 MB/s per core and copying a syntax tree
// out of wasm costs about 0.7 µs a node, so files and function bodies that cannot contain
// anything a rule looks at are skipped before that work. Each pattern is a superset of what the
// rules match: a rule that starts reading a new kind of construct must add its tokens here
// (the rule fixtures run through the same skipping, so a missing token fails them).

/** Tokens of the constructs rules read: goroutines, channels, sync, context, timers, I/O. */
const RELEVANT =
  /\bgo\s|\bchan\b|<-|\bselect\b|\bclose\(|sync\.|\.(?:R?Lock|R?Unlock|Wait|Add|Done|Signal|Broadcast|Stop|Reset|Background|TODO)\(|context\.|\bcancel|time\.|net\.|http\.|\bio\.Pipe|\.Read\(|\bfor\s*\{|\bfor\s+range\b|\.C\b/;

/**
 * Tokens that make a function body matter wherever it is: a goroutine start, a channel
 * operation, a lock, a WaitGroup or Cond call, a cancel func, a timer, a context made in a
 * handler. Narrower than RELEVANT on purpose: what only matters inside a goroutine (loops,
 * reads, HTTP clients) is kept through goroutine reachability instead (see packageRelevance).
 */
const BODY_RELEVANT =
  /\bgo\s|\bchan\b|<-|\bselect\b|\bclose\(|\.(?:R?Lock|R?Unlock|Wait|Done|Signal|Broadcast|Stop|Background|TODO)\(|\.Add\((?:[^,()]|\([^()]*\))*\)|\bcancel|With(?:Cancel|Timeout|Deadline)|\bNew(?:Ticker|Timer)\(|\bTick\(|\bAfter(?:Func)?\(/;

/** Effects that function summaries carry to callers (src/model/summaries.ts). */
const SUMMARISED = /\bgo\s|\bchan\b|<-|\bclose\(|\.(?:Done|Stop|R?Lock|R?Unlock)\(|\bcancel|\bsync\.|\bcontext\./;

/**
 * A lock helper: takes a lock and has no unlock, so it returns holding it. Its callers run with
 * the lock held after the call, which the lock rules must see even when the caller's own text
 * has no lock token (`s.lock(); v := s.get(); s.unlock()`).
 */
const TAKES_LOCK = /\.R?Lock\(\)/;
const GIVES_LOCK = /\.R?Unlock\(\)/;

/** A signature that takes or returns a channel: its callers read the channel's summary. */
const CHANNEL_SIGNATURE = /^[^{]*\bchan\b/;

const STARTS_GOROUTINE = /\bgo\s/;

/** Whether a function body must be copied for the rules, whoever calls it. */
export function bodyIsRelevant(body: string): boolean {
  return BODY_RELEVANT.test(body);
}

/**
 * Whether a file must be parsed at all. A file that mentions none of the tokens can declare no
 * channel, lock, context or timer, and start no goroutine. Functions started with `go name(` in
 * another file of the package are handled by the caller (see goTargets).
 */
export function fileIsRelevant(source: string): boolean {
  return RELEVANT.test(source);
}

/**
 * Names of functions and methods a source starts as goroutines: `go f(`, `go s.loop(`, and,
 * when it starts something through a variable or field, the method values it takes
 * (`run := s.loop`, `s.serve = s.loop`), which such a `go run()` may start.
 */
export function goTargets(source: string): string[] {
  const out: string[] = [];
  const re = /\bgo\s+(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\s*[([]/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1]!);
  if (out.length > 0) {
    const values = /(?::=|[^=!<>:]=)\s*(?:[A-Za-z_]\w*\.)+([A-Za-z_]\w*)\s*$/gm;
    for (let m = values.exec(source); m; m = values.exec(source)) out.push(m[1]!);
  }
  return out;
}

/** Whether a source declares one of these functions or methods. */
export function declaresAny(source: string, names: Set<string>): boolean {
  if (names.size === 0) return false;
  const re = /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) if (names.has(m[1]!)) return true;
  return false;
}

const FUNC_START = /^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)/gm;
const CALLED_NAME = /\b([A-Za-z_]\w*)\s*\(/g;

/** Which of a package's function bodies are copied, by function or method name. */
export interface PackageRelevance {
  /** Bodies kept whatever their text. */
  keep: Set<string>;
}

/**
 * Decides, per function name, whose bodies the rules need. Four reasons to keep a body:
 * - its own text has a relevant token (bodyIsRelevant);
 * - it may run on a goroutine: started by `go name(`, or called (up to three calls deep) from a
 *   function that starts goroutines, since loops, reads and clients only matter there;
 * - it calls a function that takes or returns a channel, whose summary its call site reads, or
 *   a lock helper (a function that returns holding a lock);
 * - it is called from a kept body and leads to a function with a summary (closes a channel,
 *   calls Done or a cancel func...), so summaries flow through wrappers like
 *   `func (s *S) Close() { s.stop() }` to the call sites that read them.
 * Functions are cut textually at top-level `func` lines, exact for gofmt'ed code and a harmless
 * over-approximation otherwise; each chunk includes the signature, so `c chan int` counts.
 * Names are bare (methods of different types share them), which can only keep more.
 */
export function packageRelevance(sources: string[]): PackageRelevance {
  const chunks = new Map<string, string[]>();
  for (const src of sources) {
    const starts: Array<{ name: string; at: number }> = [];
    FUNC_START.lastIndex = 0;
    for (let m = FUNC_START.exec(src); m; m = FUNC_START.exec(src)) starts.push({ name: m[1]!, at: m.index });
    starts.forEach((s, i) => {
      const chunk = src.slice(s.at, starts[i + 1]?.at ?? src.length);
      let list = chunks.get(s.name);
      if (!list) chunks.set(s.name, (list = []));
      list.push(chunk);
    });
  }
  const calls = new Map<string, Set<string>>();
  const calleesOf = (name: string): Set<string> => {
    let out = calls.get(name);
    if (!out) {
      out = new Set();
      for (const chunk of chunks.get(name) ?? []) for (const callee of calledNames(chunk, chunks)) out.add(callee);
      calls.set(name, out);
    }
    return out;
  };

  const keep = new Set<string>();
  const summarised = new Set<string>();
  const goroutineSide: string[] = [];
  for (const [name, list] of chunks) {
    if (list.some(bodyIsRelevant)) keep.add(name);
    if (list.some((c) => SUMMARISED.test(c))) summarised.add(name);
    if (list.some((c) => STARTS_GOROUTINE.test(c))) goroutineSide.push(name);
  }
  // Callers of functions that take or return channels (`for v := range numbers(n)`), and of
  // lock helpers.
  const channelFuncs = new Set<string>();
  for (const [name, list] of chunks) if (list.some((c) => CHANNEL_SIGNATURE.test(c) || (TAKES_LOCK.test(c) && !GIVES_LOCK.test(c)))) channelFuncs.add(name);
  if (channelFuncs.size > 0) {
    for (const name of chunks.keys()) {
      if (keep.has(name)) continue;
      for (const callee of calleesOf(name)) {
        if (channelFuncs.has(callee)) {
          keep.add(name);
          break;
        }
      }
    }
  }
  // What goroutines run, three calls deep: the targets of `go f(...)` and everything they call,
  // and what the literals of `go func() {...}()` call (not the rest of the starting function).
  const reached = new Set<string>();
  for (const name of goroutineSide) keep.add(name);
  let frontier: string[] = sources.flatMap(goTargets);
  for (const [, list] of chunks) {
    for (const chunk of list) for (const text of goLiteralTexts(chunk)) frontier.push(...calledNames(text, chunks));
  }
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      if (reached.has(name)) continue;
      reached.add(name);
      keep.add(name);
      for (const callee of calleesOf(name)) if (!reached.has(callee)) next.push(callee);
    }
    frontier = next;
  }
  // Functions that lead to a summarised one through at most four calls...
  for (let round = 0; round < 4; round++) {
    let added = false;
    for (const name of chunks.keys()) {
      if (summarised.has(name)) continue;
      for (const callee of calleesOf(name)) {
        if (summarised.has(callee)) {
          summarised.add(name);
          added = true;
          break;
        }
      }
    }
    if (!added) break;
  }
  // ...are kept when a kept body calls them, directly or through such functions.
  frontier = [...keep];
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const callee of calleesOf(name)) {
        if (summarised.has(callee) && !keep.has(callee)) {
          keep.add(callee);
          next.push(callee);
        }
      }
    }
    frontier = next;
  }
  return { keep };
}

/** keepBody for convertTree and for skipping bodies: a kept name, or relevant text. */
export function bodyFilter(relevance: PackageRelevance): (body: string, funcName: string | null) => boolean {
  return (body, funcName) => (funcName !== null && relevance.keep.has(funcName)) || bodyIsRelevant(body);
}

const GO_LITERAL = /\bgo\s+func\b/g;

/** The texts of the `go func(...) {...}` literals in a chunk, found by brace matching. */
function goLiteralTexts(chunk: string): string[] {
  const out: string[] = [];
  GO_LITERAL.lastIndex = 0;
  for (let m = GO_LITERAL.exec(chunk); m; m = GO_LITERAL.exec(chunk)) {
    const open = chunk.indexOf('{', m.index);
    if (open < 0) break;
    let depth = 0;
    let end = chunk.length;
    for (let i = open; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x7b) depth++;
      else if (c === 0x7d && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    out.push(chunk.slice(m.index, end));
  }
  return out;
}

/** Names of the package's functions called in `text`. */
function calledNames(text: string, declared: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(CALLED_NAME)) if (declared.has(m[1]!)) out.push(m[1]!);
  return out;
}
