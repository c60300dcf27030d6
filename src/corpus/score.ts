// Scores goroscope's static scan on the corpus: which leaking programs it finds (recall) and
// which findings are false alarms (precision).
//
// A finding is *tied* to a leaking program's leak when it is at a line the program marks (the
// blocked operation, the go statement or the leak site) or when its `goroutine` is a marked go
// statement. A leaking program is *detected* when at least one finding is tied to it. Every
// other finding is a *false alarm*: any finding on a correct program, and a finding on a leaking
// program at a place its marks do not name.
import path from 'node:path';
import { scan, type ScanOptions } from '../scan/engine.js';
import type { Finding, ScanError } from '../scan/finding.js';
import { CORPUS_DIR, marksAt, readCorpus, type CorpusProgram } from './marks.js';

export interface ProgramScore {
  program: CorpusProgram;
  findings: Finding[];
  /** Findings tied to the program's marks (always empty for a correct program). */
  tied: Finding[];
  falseAlarms: Finding[];
  /** A leaking program with a tied finding. */
  detected: boolean;
  /** A leaking program with a finding exactly at a marked blocked operation. */
  atBlockedLine: boolean;
}

export interface Tally {
  leaky: number;
  detected: number;
  atBlockedLine: number;
  correct: number;
  /** Correct programs with at least one finding. */
  flaggedCorrect: number;
  /** False-alarm findings: on correct programs and at unmarked places of leaking ones. */
  falseAlarms: number;
}

export interface CorpusScore {
  programs: ProgramScore[];
  total: Tally;
  perCategory: Map<string, Tally>;
  /** Findings in no program's files; counted as false alarms. */
  unattributed: Finding[];
  errors: ScanError[];
}

function emptyTally(): Tally {
  return { leaky: 0, detected: 0, atBlockedLine: 0, correct: 0, flaggedCorrect: 0, falseAlarms: 0 };
}

function isTied(program: CorpusProgram, f: Finding, cwd: string): boolean {
  if (marksAt(program, path.resolve(cwd, f.file), f.line).length > 0) return true;
  const g = f.goroutine;
  return g !== null && marksAt(program, path.resolve(cwd, g.file), g.line).some((m) => m.type === 'go');
}

/** Scores findings (with file paths relative to cwd, or absolute) against the programs' marks. */
export function scoreFindings(programs: readonly CorpusProgram[], findings: readonly Finding[], cwd: string, errors: ScanError[] = []): CorpusScore {
  const byFile = new Map<string, CorpusProgram>();
  for (const p of programs) for (const f of p.files) byFile.set(f, p);
  const perProgram = new Map<CorpusProgram, Finding[]>(programs.map((p) => [p, []]));
  const unattributed: Finding[] = [];
  for (const f of findings) {
    const program = byFile.get(path.resolve(cwd, f.file));
    if (program) perProgram.get(program)!.push(f);
    else unattributed.push(f);
  }

  const total = emptyTally();
  const perCategory = new Map<string, Tally>();
  const scores: ProgramScore[] = [];
  for (const program of programs) {
    const own = perProgram.get(program)!;
    const tied = program.expect === 'leaky' ? own.filter((f) => isTied(program, f, cwd)) : [];
    const falseAlarms = own.filter((f) => !tied.includes(f));
    const atBlockedLine = tied.some((f) => marksAt(program, path.resolve(cwd, f.file), f.line).some((m) => m.type === 'blocked'));
    const score: ProgramScore = { program, findings: own, tied, falseAlarms, detected: tied.length > 0, atBlockedLine };
    scores.push(score);
    if (!perCategory.has(program.category)) perCategory.set(program.category, emptyTally());
    for (const t of [total, perCategory.get(program.category)!]) {
      if (program.expect === 'leaky') {
        t.leaky++;
        if (score.detected) t.detected++;
        if (atBlockedLine) t.atBlockedLine++;
      } else {
        t.correct++;
        if (own.length > 0) t.flaggedCorrect++;
      }
      t.falseAlarms += falseAlarms.length;
    }
  }
  total.falseAlarms += unattributed.length;
  return { programs: scores, total, perCategory, unattributed, errors };
}

/** Runs goroscope's scan (default rules, no config file) on the corpus and scores it. */
export async function scoreCorpus(dir: string = CORPUS_DIR, options: Pick<ScanOptions, 'workers' | 'rules'> = {}): Promise<CorpusScore> {
  const programs = readCorpus(dir);
  const result = await scan(['./leaky/...', './correct/...'], { cwd: dir, config: false, ...options });
  return scoreFindings(programs, result.findings, dir, result.errors);
}

function percent(n: number, d: number): string {
  return d === 0 ? '-' : `${Math.round((100 * n) / d)}%`;
}

function describe(f: Finding, s: ProgramScore): string {
  const where = `${f.rule}@${path.basename(f.file)}:${f.line}`;
  return s.program.expect === 'leaky' && !s.tied.includes(f) ? `${where} (unmarked)` : where;
}

/** One line per program, then the totals per category and overall, as plain text. */
export function formatScore(score: CorpusScore): string {
  const lines: string[] = [];
  const width = Math.max(...score.programs.map((s) => s.program.name.length));
  for (const s of score.programs) {
    const verdict = s.program.expect === 'leaky' ? (s.detected ? 'found' : 'missed') : s.findings.length > 0 ? 'FALSE ALARM' : 'clean';
    lines.push(`${s.program.name.padEnd(width)}  ${verdict.padEnd(11)}  ${s.findings.map((f) => describe(f, s)).join(', ')}`.trimEnd());
  }
  for (const f of score.unattributed) lines.push(`outside any program: ${f.rule}@${f.file}:${f.line}`);
  for (const e of score.errors) lines.push(`scan error: ${e.file}:${e.line}: ${e.message}`);
  lines.push('');
  lines.push('category    leaky  found  recall  at blocked line  correct  flagged  false alarms');
  const row = (label: string, t: Tally) =>
    `${label.padEnd(10)}  ${String(t.leaky).padStart(5)}  ${String(t.detected).padStart(5)}  ${percent(t.detected, t.leaky).padStart(6)}  ${String(t.atBlockedLine).padStart(15)}  ${String(t.correct).padStart(7)}  ${String(t.flaggedCorrect).padStart(7)}  ${String(t.falseAlarms).padStart(12)}`;
  for (const [category, t] of [...score.perCategory].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(row(category, t));
  lines.push(row('total', score.total));
  return lines.join('\n') + '\n';
}
