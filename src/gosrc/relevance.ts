// Cheap textual prefilters. Parsing runs at about 2–3 MB/s per core and copying a syntax tree
// out of wasm costs about 1.5 µs a node, so files and function bodies that cannot contain
// anything a rule looks at are skipped before that work. Each pattern is a superset of what the
// rules match: a rule that starts reading a new kind of construct must add its tokens here
// (src/gosrc/relevance.test.ts checks every rule fixture is kept).

/** Tokens of the constructs rules read: goroutines, channels, sync, context, timers, I/O. */
const RELEVANT =
  /\bgo\s|\bchan\b|<-|\bselect\b|\bclose\(|sync\.|\.(?:R?Lock|R?Unlock|Wait|Add|Done|Signal|Broadcast|Stop|Reset|Background|TODO)\(|context\.|\bcancel|time\.|net\.|http\.|\bio\.Pipe|\.Read\(|\bfor\s*\{|\bfor\s+range\b|\.C\b/;

/** Whether a function body must be copied for the rules. */
export function bodyIsRelevant(body: string): boolean {
  return RELEVANT.test(body);
}

/**
 * Whether a file must be parsed at all. A file that mentions none of the tokens can declare no
 * channel, lock, context or timer, and start no goroutine. Functions started with `go name(` in
 * another file of the package are handled by the caller (see goTargets).
 */
export function fileIsRelevant(source: string): boolean {
  return RELEVANT.test(source);
}

/** Names of functions and methods a source starts as goroutines: `go f(`, `go s.loop(`. */
export function goTargets(source: string): string[] {
  const out: string[] = [];
  const re = /\bgo\s+(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\s*[([]/g;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1]!);
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

/**
 * Names of the package's functions whose bodies are relevant directly or because they call a
 * relevant function of the package (so summaries can flow through wrappers like
 * `func stop(c chan int) { closeIt(c) }`). Bodies are cut textually at top-level `func` lines,
 * which is exact for gofmt'ed code and a harmless over-approximation otherwise.
 */
export function relevantFunctionNames(sources: string[]): Set<string> {
  const bodies = new Map<string, string[]>();
  for (const src of sources) {
    const starts: Array<{ name: string; at: number }> = [];
    FUNC_START.lastIndex = 0;
    for (let m = FUNC_START.exec(src); m; m = FUNC_START.exec(src)) starts.push({ name: m[1]!, at: m.index });
    starts.forEach((s, i) => {
      const body = src.slice(s.at, starts[i + 1]?.at ?? src.length);
      let list = bodies.get(s.name);
      if (!list) bodies.set(s.name, (list = []));
      list.push(body);
    });
  }
  // Functions started as goroutines (`go s.loop()`) are always kept: their loops matter even
  // when they mention no trigger token.
  const relevant = new Set<string>(sources.flatMap(goTargets));
  for (const [name, list] of bodies) if (list.some(bodyIsRelevant)) relevant.add(name);
  for (let round = 0; round < 4; round++) {
    let added = false;
    for (const [name, list] of bodies) {
      if (relevant.has(name)) continue;
      if (list.some((b) => callsAny(b, relevant))) {
        relevant.add(name);
        added = true;
      }
    }
    if (!added) break;
  }
  return relevant;
}

function callsAny(body: string, names: Set<string>): boolean {
  CALLED_NAME.lastIndex = 0;
  for (let m = CALLED_NAME.exec(body); m; m = CALLED_NAME.exec(body)) if (names.has(m[1]!)) return true;
  return false;
}

/** keepBody for convertTree: relevant text, or a call of a relevant function of the package. */
export function bodyFilter(relevantNames: Set<string>): (body: string, funcName: string | null) => boolean {
  return (body, funcName) => (funcName !== null && relevantNames.has(funcName)) || bodyIsRelevant(body) || callsAny(body, relevantNames);
}
