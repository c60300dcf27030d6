// The analysis of one package, shared by the worker threads and the in-process path: read the
// files, skip the ones no rule can care about, build the package model, run the rules, turn their
// reports into Findings and drop the suppressed ones. Nothing here throws for bad input: files
// that cannot be read or parsed, and rules or a parser that crash, become ScanErrors.
import { createHash } from 'node:crypto';
import type { Parser } from 'web-tree-sitter';
import type { SNode } from '../gosrc/ast.js';
import type { GoVersion } from '../gosrc/gomod.js';
import { buildPackage, ParseFailure, type ParseCache } from '../gosrc/package.js';
import { declaresAny, fileIsRelevant, goTargets } from '../gosrc/relevance.js';
import { describeParserFailure, parserBroken } from '../gosrc/treesitter.js';
import { loadGoSource } from '../gosrc/walk.js';
import type { Rule, RuleReport } from '../rules/types.js';
import { SEVERITY_ORDER } from './finding.js';
import type { Finding, RelatedLocation, ScanError, Severity, TextEdit } from './finding.js';
import type { SourceEdit } from '../rules/lib/edits.js';
import { parseSuppressions, type Suppressions } from './suppress.js';

/** Everything a worker needs to analyse one package; plain data so it can cross threads. */
export interface PackageJob {
  /** The directory as displayed. */
  dir: string;
  files: Array<{ abs: string; display: string; /** The text to analyse instead of the file's (an editor's unsaved buffer). */ source?: string }>;
  goVersion: GoVersion | null;
  modulePath: string | null;
  maxFileSize: number;
}

export interface PackageOutcome {
  findings: Finding[];
  errors: ScanError[];
  /**
   * The parser failed in a way that leaves it unusable (out of memory, a wasm abort): the
   * thread must not parse again (a worker is replaced; in-process, the rest is not analysed).
   */
  parserBroken?: boolean;
  /** SHA-256 of the text read, for each file some finding's edits change. */
  digests?: Record<string, string>;
}

export interface RuleToRun {
  rule: Rule;
  severity: Severity;
}

/** `parser` may be null when no rule runs: the files are then only read and checked. */
export function analyzePackage(job: PackageJob, rules: readonly RuleToRun[], parser: Parser | null, parseCache?: ParseCache): PackageOutcome {
  const outcome: PackageOutcome = { findings: [], errors: [] };
  const sources: Array<{ path: string; source: string }> = [];
  for (const f of job.files) {
    const loaded = f.source !== undefined ? ({ kind: 'source', source: f.source } as const) : loadGoSource(f.abs, job.maxFileSize);
    if (loaded.kind === 'source') sources.push({ path: f.display, source: loaded.source });
    else if (loaded.kind === 'error') outcome.errors.push({ file: f.display, line: 0, kind: 'skipped', message: loaded.message });
  }
  if (!parser || rules.length === 0 || sources.length === 0) return outcome;

  // Files that mention nothing a rule reads are not parsed, unless they declare a function
  // another file of the package starts as a goroutine (its body then matters).
  const targets = new Set(sources.flatMap((s) => goTargets(s.source)));
  const relevant = sources.filter((s) => fileIsRelevant(s.source) || declaresAny(s.source, targets));
  if (relevant.length === 0) return outcome;

  let pkg;
  try {
    pkg = buildPackage({ dir: job.dir, files: relevant, goVersion: job.goVersion, modulePath: job.modulePath, parseCache }, parser);
  } catch (err) {
    // One line, on the file the parser failed on when it is known. Rules never run on part of
    // a package: a missing file would make them report what that file does as never done.
    if (err instanceof ParseFailure) {
      const broken = parserBroken(err.reason);
      if (broken) outcome.parserBroken = true;
      const others = relevant.length > 1 ? `; the other files of package ${job.dir} were not analysed either` : '';
      outcome.errors.push({ file: err.file, line: 0, kind: 'internal', message: `internal error: ${broken ? describeParserFailure(err.reason) : messageOf(err.reason)}${others}` });
    } else {
      outcome.errors.push({ file: job.dir, line: 0, kind: 'internal', message: `internal error while reading the package: ${messageOf(err)}` });
    }
    return outcome;
  }
  for (const e of pkg.syntaxErrors) outcome.errors.push({ file: e.file, line: e.line, kind: 'syntax', message: e.message });

  const suppressions = new Map<string, Suppressions>();
  const suppressionsOf = (file: string) => {
    let s = suppressions.get(file);
    if (!s) {
      const src = relevant.find((r) => r.path === file)?.source ?? '';
      suppressions.set(file, (s = parseSuppressions(src)));
    }
    return s;
  };

  for (const { rule, severity } of rules) {
    const id = rule.meta.id;
    try {
      rule.run({
        pkg,
        report: (r) => {
          const finding = toFinding(id, severity, r);
          if (suppressionsOf(finding.file).suppresses(id, finding.line)) return;
          outcome.findings.push(finding);
          for (const e of r.edits ?? []) {
            outcome.digests ??= {};
            outcome.digests[e.file.path] ??= sha256(e.file.source);
          }
        },
      });
    } catch (err) {
      outcome.errors.push({ file: job.dir, line: 0, kind: 'internal', message: `internal error in rule ${id}: ${messageOf(err)}` });
    }
  }
  return outcome;
}

export function toFinding(rule: string, severity: Severity, r: RuleReport): Finding {
  const start = r.node.pos;
  const end = r.node.endPos;
  const goroutine = r.goroutine ? { file: r.goroutine.file.path, line: r.goroutine.pos.line } : null;
  const related: RelatedLocation[] = (r.related ?? []).map((x) =>
    'node' in x ? { file: (x.node as SNode).file.path, line: x.node.pos.line, message: x.message } : { file: x.file, line: x.line, message: x.message },
  );
  return {
    rule,
    severity: r.severity && SEVERITY_ORDER[r.severity] < SEVERITY_ORDER[severity] ? r.severity : severity,
    file: r.node.file.path,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: r.message,
    goroutine,
    related,
    fix: r.fix ?? null,
    edits: (r.edits ?? []).map(toTextEdit),
  };
}

export function toTextEdit(e: SourceEdit): TextEdit {
  const start = e.file.lines.position(e.start);
  const end = e.file.lines.position(e.end);
  return { file: e.file.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, newText: e.newText };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
