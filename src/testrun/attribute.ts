// Finds which test leaks, by bisection: run half the tests, see which leaks remain, recurse.
// The probe (a `go test -run <pattern>` of one package with the harness) is given by the caller,
// so this module is pure logic and tested without Go.

/** Runs the named tests (a -run pattern) and returns the leak signatures seen. */
export type Probe = (runPattern: string) => Promise<Set<string>>;

/** Regex-quotes a test name for -run (Go's regexp syntax). */
export function quoteTestName(name: string): string {
  return name.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A -run pattern selecting exactly these top-level tests, or these subtests of `parent`. */
export function runPattern(tests: string[], parent?: string): string {
  const alt = `^(${tests.map(quoteTestName).join('|')})$`;
  return parent ? `^${quoteTestName(parent)}$/${alt}` : alt;
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * Maps each expected leak signature to the tests responsible. A signature that shows up only when
 * several tests run together (neither half alone leaks it) is attributed to that whole set.
 * `parent` makes the names subtests of that test.
 */
export async function bisect(tests: string[], expected: Set<string>, probe: Probe, parent?: string): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const [sig, sets] of await bisectSets(tests, expected, probe, parent)) {
    const list: string[] = [];
    for (const n of sets.flat()) if (!list.includes(n)) list.push(n);
    result.set(sig, list);
  }
  return result;
}

/**
 * As bisect, but keeps how each test was blamed: a set of one test leaks the signature alone; a
 * larger set leaks it only when its tests run together.
 */
export async function bisectSets(tests: string[], expected: Set<string>, probe: Probe, parent?: string): Promise<Map<string, string[][]>> {
  const result = new Map<string, string[][]>();
  const add = (sig: string, names: string[]) => {
    const sets = result.get(sig) ?? [];
    sets.push(names);
    result.set(sig, sets);
  };
  const full = (name: string) => (parent ? `${parent}/${name}` : name);
  const step = async (set: string[], sigs: Set<string>): Promise<void> => {
    if (sigs.size === 0) return;
    if (set.length === 1) {
      for (const s of sigs) add(s, [full(set[0]!)]);
      return;
    }
    const mid = set.length >> 1;
    const halves = [set.slice(0, mid), set.slice(mid)];
    const seen = await Promise.all(halves.map((h) => probe(runPattern(h, parent))));
    const explained = new Set<string>();
    await Promise.all(
      halves.map((h, i) => {
        const mine = new Set([...sigs].filter((s) => seen[i]!.has(s)));
        for (const s of mine) explained.add(s);
        return step(h, mine);
      }),
    );
    for (const s of sigs) if (!explained.has(s)) add(s, set.map(full));
  };
  await step(tests, expected);
  return result;
}

/** Direct subtests of `parent` from `go test -v` output lines "=== RUN   Parent/sub". */
export function subtestsFromVerbose(output: string, parent: string): string[] {
  const out: string[] = [];
  const prefix = `${parent}/`;
  for (const line of output.split('\n')) {
    const m = /^\s*=== RUN\s+(\S+)/.exec(line);
    if (!m || !m[1]!.startsWith(prefix)) continue;
    const rest = m[1]!.slice(prefix.length);
    if (rest && !rest.includes('/') && !out.includes(rest)) out.push(rest);
  }
  return out;
}
