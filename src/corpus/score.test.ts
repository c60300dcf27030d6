// The corpus scorer: how marks are read, what counts as a detected leak and as a false alarm, and
// the guard on the recorded figures (the static scan on the corpus must not regress).
import { describe, it, expect, beforeAll } from 'vitest';
import path from 'node:path';
import type { Finding } from '../scan/finding.js';
import { CORPUS_FIGURES } from './figures.js';
import { CorpusError, parseMarks, readCorpus, type CorpusProgram } from './marks.js';
import { formatScore, scoreCorpus, scoreFindings, type CorpusScore } from './score.js';

describe('parseMarks', () => {
  it('reads blocked, go and site marks, several on one line', () => {
    const src = ['go func() { // leak-go', '\tch <- v // leak: chan send', '\treturn err // leak-site: skips close(ch)', 'go f() // leak-go; leak: select', 'x := 1 // leakage is not a mark'].join('\n');
    expect(parseMarks(src, 'f.go')).toEqual([
      { type: 'go', file: 'f.go', line: 1 },
      { type: 'blocked', file: 'f.go', line: 2, kind: 'chan send' },
      { type: 'site', file: 'f.go', line: 3, why: 'skips close(ch)' },
      { type: 'go', file: 'f.go', line: 4 },
      { type: 'blocked', file: 'f.go', line: 4, kind: 'select' },
    ]);
  });

  it('rejects a blocked mark whose kind is not a dump block kind, with its location', () => {
    expect(() => parseMarks('a\n\tch <- v // leak: channel send', 'f.go')).toThrow(CorpusError);
    expect(() => parseMarks('a\n\tch <- v // leak: channel send', 'f.go')).toThrow(/f\.go:2: unreadable leak mark "leak: channel send"/);
  });
});

function finding(file: string, line: number, goroutine: { file: string; line: number } | null = null, rule = 'stranded-sender'): Finding {
  return { rule, severity: 'error', file, line, column: 1, endLine: line, endColumn: 2, message: '', goroutine, related: [], fix: null, edits: [] };
}

describe('scoreFindings', () => {
  const leaky: CorpusProgram = {
    name: 'leaky/channels/a',
    expect: 'leaky',
    category: 'channels',
    dir: '/c/leaky/channels/a',
    files: ['/c/leaky/channels/a/a.go'],
    marks: [
      { type: 'go', file: '/c/leaky/channels/a/a.go', line: 10 },
      { type: 'blocked', file: '/c/leaky/channels/a/a.go', line: 11, kind: 'chan send' },
      { type: 'site', file: '/c/leaky/channels/a/a.go', line: 20, why: '' },
    ],
  };
  const missed: CorpusProgram = { ...leaky, name: 'leaky/locks/b', category: 'locks', dir: '/c/leaky/locks/b', files: ['/c/leaky/locks/b/b.go'], marks: [{ type: 'blocked', file: '/c/leaky/locks/b/b.go', line: 5, kind: 'mutex' }] };
  const correct: CorpusProgram = { name: 'correct/channels/c', expect: 'correct', category: 'channels', dir: '/c/correct/channels/c', files: ['/c/correct/channels/c/c.go'], marks: [] };

  it('ties findings at a marked line or with a marked go statement; everything else is a false alarm', () => {
    const score = scoreFindings(
      [leaky, missed, correct],
      [
        finding('leaky/channels/a/a.go', 11), // at the blocked operation
        finding('leaky/channels/a/a.go', 20), // at the leak site
        finding('leaky/channels/a/a.go', 14, { file: 'leaky/channels/a/a.go', line: 10 }, 'no-exit-loop'), // names the marked goroutine
        finding('leaky/channels/a/a.go', 30), // unmarked place: false alarm
        finding('leaky/channels/a/a.go', 31, { file: 'leaky/channels/a/a.go', line: 11 }), // goroutine at a non-go mark: false alarm
        finding('correct/channels/c/c.go', 7), // any finding on a correct program
        finding('elsewhere/x.go', 1), // in no program
      ],
      '/c',
    );
    const [a, b, c] = score.programs;
    expect(a!.tied.map((f) => f.line)).toEqual([11, 20, 14]);
    expect(a!.falseAlarms.map((f) => f.line)).toEqual([30, 31]);
    expect([a!.detected, a!.atBlockedLine, b!.detected, c!.detected]).toEqual([true, true, false, false]);
    expect(c!.falseAlarms.map((f) => f.line)).toEqual([7]);
    expect(score.unattributed.map((f) => f.file)).toEqual(['elsewhere/x.go']);
    expect(score.total).toEqual({ leaky: 2, detected: 1, atBlockedLine: 1, correct: 1, flaggedCorrect: 1, falseAlarms: 4 });
    expect(score.perCategory.get('channels')).toEqual({ leaky: 1, detected: 1, atBlockedLine: 1, correct: 1, flaggedCorrect: 1, falseAlarms: 3 });
    expect(score.perCategory.get('locks')).toEqual({ leaky: 1, detected: 0, atBlockedLine: 0, correct: 0, flaggedCorrect: 0, falseAlarms: 0 });
  });

  it('does not count a leak as found at its blocked line when only its site is reported', () => {
    const score = scoreFindings([leaky], [finding(path.join('/c/leaky/channels/a/a.go'), 20)], '/elsewhere');
    expect([score.programs[0]!.detected, score.programs[0]!.atBlockedLine]).toEqual([true, false]);
  });
});

describe('the corpus', () => {
  const programs = readCorpus();
  let score: CorpusScore;

  beforeAll(async () => {
    score = await scoreCorpus();
  });

  it('has at least 30 leaking and 30 correct programs, as many as figures.ts records', () => {
    const leaky = programs.filter((p) => p.expect === 'leaky').length;
    const correct = programs.filter((p) => p.expect === 'correct').length;
    expect(leaky).toBeGreaterThanOrEqual(30);
    expect(correct).toBeGreaterThanOrEqual(30);
    expect({ leaky, correct }).toEqual({ leaky: CORPUS_FIGURES.leaky, correct: CORPUS_FIGURES.correct });
  });

  it('scans without file errors', () => {
    expect(score.errors).toEqual([]);
  });

  it('the scan detects at least the recorded number of leaks and raises at most the recorded false alarms', () => {
    const { detected, falseAlarms } = score.total;
    const table = formatScore(score);
    expect(detected, table).toBeGreaterThanOrEqual(CORPUS_FIGURES.detected);
    expect(falseAlarms, table).toBeLessThanOrEqual(CORPUS_FIGURES.falseAlarms);
  });
});
