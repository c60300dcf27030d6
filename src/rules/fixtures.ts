// Runs a rule over its analysistest-style fixtures: every package directory under
// src/rules/testdata/<rule-id>/ is analysed with only that rule, and each finding must match a
// `// want "regexp"` comment on its line, and each want must be matched by a finding.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { findGoMod } from '../gosrc/gomod.js';
import { buildPackage } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import type { Rule, RuleReport } from './types.js';

export interface FixtureMismatch {
  file: string;
  line: number;
  problem: string;
}

export interface FixtureResult {
  packages: number;
  findings: number;
  wants: number;
  mismatches: FixtureMismatch[];
}

const WANT = /\/\/ want((?:\s+"(?:[^"\\]|\\.)*")+)/;

/** Every directory below `root` (itself included) that holds .go files. */
export function packageDirs(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    const entries = readdirSync(dir).sort();
    if (entries.some((e) => e.endsWith('.go'))) out.push(dir);
    for (const e of entries) {
      const full = path.join(dir, e);
      if (statSync(full).isDirectory()) visit(full);
    }
  };
  if (existsSync(root)) visit(root);
  return out;
}

export async function runFixtures(rule: Rule, root: string, parser?: Parser): Promise<FixtureResult> {
  const p = parser ?? (await getGoParser());
  const result: FixtureResult = { packages: 0, findings: 0, wants: 0, mismatches: [] };
  for (const dir of packageDirs(root)) {
    result.packages++;
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.go'))
      .map((f) => ({ path: path.join(dir, f), source: readFileSync(path.join(dir, f), 'utf8') }));
    const mod = findGoMod(dir);
    const pkg = buildPackage({ dir, files, goVersion: mod?.goVersion ?? null, modulePath: mod?.modulePath ?? null }, p);
    for (const e of pkg.syntaxErrors) result.mismatches.push({ file: e.file, line: e.line, problem: `fixture does not parse: ${e.message}` });
    const reports: RuleReport[] = [];
    rule.run({ pkg, report: (r) => reports.push(r) });
    result.findings += reports.length;
    // Wants per file and line, each a list of regexps still unmatched.
    const wants = new Map<string, RegExp[]>();
    for (const f of files) {
      f.source.split('\n').forEach((text, i) => {
        const m = WANT.exec(text);
        if (!m) return;
        const patterns = [...m[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => new RegExp(JSON.parse(`"${x[1]}"`)));
        wants.set(`${f.path}:${i + 1}`, patterns);
        result.wants += patterns.length;
      });
    }
    for (const r of reports) {
      const key = `${r.node.file.path}:${r.node.pos.line}`;
      const list = wants.get(key) ?? [];
      const idx = list.findIndex((re) => re.test(r.message));
      if (idx >= 0) list.splice(idx, 1);
      else result.mismatches.push({ file: r.node.file.path, line: r.node.pos.line, problem: `unexpected finding: ${r.message}` });
    }
    for (const [key, list] of wants) {
      const [file, line] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
      for (const re of list) result.mismatches.push({ file, line, problem: `no finding matched want ${re}` });
    }
  }
  return result;
}
