// In-source suppressions. `//goroscope:ignore rule-a,rule-b why` silences those rules on its own
// line, and, when it stands on a line by itself, on the next line too (so it can sit above the
// statement); `all` names every rule. `//nolint`, `//nolint:all` and
// `//nolint:goroscope[,other-linters]` (golangci-lint style) silence every goroscope rule on their
// line only. A missing reason is accepted: the comment still works, the reason is for reviewers.
//
// The comments are found textually, line by line, because bodies the rules never read are not
// kept in the syntax tree; a `//` inside a string literal that happens to look like a directive
// is a harmless false match.

export interface Suppressions {
  /** Whether a finding of `rule` starting on `line` (1-based) is suppressed. */
  suppresses(rule: string, line: number): boolean;
}

const IGNORE = /\/\/\s*goroscope:ignore\s+([A-Za-z0-9_,-]+)/;
const NOLINT = /\/\/\s*nolint(?::([A-Za-z0-9_,-]+))?(?=\s|$|\/\/)/;

export function parseSuppressions(source: string): Suppressions {
  /** line → rule ids silenced there ('*' for all). */
  const byLine = new Map<number, Set<string>>();
  const add = (line: number, ids: Iterable<string>) => {
    let set = byLine.get(line);
    if (!set) byLine.set(line, (set = new Set()));
    for (const id of ids) set.add(id);
  };
  // Quick exit: almost no file has any directive.
  if (!source.includes('goroscope:ignore') && !source.includes('nolint')) return { suppresses: () => false };
  const lines = source.split('\n');
  lines.forEach((text, i) => {
    if (!text.includes('//')) return;
    const line = i + 1;
    const ignore = IGNORE.exec(text);
    if (ignore) {
      const ids = ignore[1]!.split(',').filter(Boolean).map((id) => (id === 'all' ? '*' : id));
      add(line, ids);
      // On a line of its own it is about the statement below; after code, only about that code.
      if (text.trimStart().startsWith('//')) add(line + 1, ids);
    }
    const nolint = NOLINT.exec(text);
    if (nolint) {
      const linters = nolint[1]?.split(',').map((s) => s.trim().toLowerCase());
      if (!linters || linters.includes('all') || linters.includes('goroscope')) add(line, ['*']);
    }
  });
  return {
    suppresses(rule, line) {
      const set = byLine.get(line);
      return Boolean(set && (set.has('*') || set.has(rule)));
    },
  };
}
