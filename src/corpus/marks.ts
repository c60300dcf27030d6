// The corpus of realistic leaking and correct Go programs (src/corpus/testdata, a Go module) and
// the leak marks written in its sources. A program is a directory `<expect>/<category>/<name>`
// where expect is `leaky` or `correct`. Leaking programs mark, in line comments:
//   // leak: <kind>      the blocked operation; <kind> is the block kind the goroutine dump shows
//   // leak-go           the go statement that starts the leaking goroutine
//   // leak-site: <why>  where the bug is when that is another line (the skipped close, the lock
//                       whose unlock a return skips, the discarded channel)
// Several marks on one line are separated by `;`. Correct programs carry no marks.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BLOCK_KINDS, type BlockKind } from '../dump/analyze/kinds.js';

/** The corpus module, from src/corpus or dist/corpus alike. */
export const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/corpus/testdata');

/** The corpus module's path (go.mod), which has no dot, like many real modules. */
export const CORPUS_MODULE = 'corpus';

export type Expectation = 'leaky' | 'correct';

export type Mark =
  | { type: 'blocked'; file: string; line: number; kind: BlockKind }
  | { type: 'go'; file: string; line: number }
  | { type: 'site'; file: string; line: number; why: string };

export interface CorpusProgram {
  /** `leaky/channels/firstresponse`: the directory relative to the corpus, and the harness's program name. */
  name: string;
  expect: Expectation;
  category: string;
  /** Absolute directory. */
  dir: string;
  /** Absolute paths of its .go files. */
  files: string[];
  marks: Mark[];
}

/** A malformed mark or corpus layout, with its location. */
export class CorpusError extends Error {}

const MARK_COMMENT = /\/\/\s*(leak(?:-go|-site)?\b.*)$/;
const KINDS: ReadonlySet<string> = new Set(BLOCK_KINDS);

/** The marks in one Go source file. */
export function parseMarks(source: string, file: string): Mark[] {
  const marks: Mark[] = [];
  source.split('\n').forEach((text, i) => {
    const comment = MARK_COMMENT.exec(text);
    if (!comment) return;
    const line = i + 1;
    for (const part of comment[1]!.split(';').map((p) => p.trim())) {
      let m: RegExpExecArray | null;
      if (part === 'leak-go') marks.push({ type: 'go', file, line });
      else if ((m = /^leak-site(?::\s*(.*))?$/.exec(part))) marks.push({ type: 'site', file, line, why: m[1] ?? '' });
      else if ((m = /^leak:\s*(.+)$/.exec(part)) && KINDS.has(m[1]!)) marks.push({ type: 'blocked', file, line, kind: m[1] as BlockKind });
      else throw new CorpusError(`${file}:${line}: unreadable leak mark "${part}" (expected "leak: <block kind>", "leak-go" or "leak-site: <why>")`);
    }
  });
  return marks;
}

function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every program of the corpus with its marks; throws CorpusError on a broken layout or mark. */
export function readCorpus(dir: string = CORPUS_DIR): CorpusProgram[] {
  const programs: CorpusProgram[] = [];
  for (const expect of ['leaky', 'correct'] as const) {
    for (const category of subdirs(path.join(dir, expect))) {
      for (const name of subdirs(path.join(dir, expect, category))) {
        const progDir = path.join(dir, expect, category, name);
        const files = readdirSync(progDir)
          .filter((f) => f.endsWith('.go'))
          .sort()
          .map((f) => path.join(progDir, f));
        if (files.length === 0) throw new CorpusError(`${progDir}: a corpus program directory without .go files`);
        const marks = files.flatMap((f) => parseMarks(readFileSync(f, 'utf8'), f));
        const program: CorpusProgram = { name: `${expect}/${category}/${name}`, expect, category, dir: progDir, files, marks };
        if (expect === 'correct' && marks.length > 0) throw new CorpusError(`${marks[0]!.file}:${marks[0]!.line}: a correct program must carry no leak marks`);
        if (expect === 'leaky' && !marks.some((m) => m.type === 'blocked'))
          throw new CorpusError(`${progDir}: a leaking program must mark its blocked operation with "// leak: <kind>"`);
        programs.push(program);
      }
    }
  }
  return programs;
}

/** The marks of a program at file:line (file absolute). */
export function marksAt(program: CorpusProgram, file: string, line: number): Mark[] {
  return program.marks.filter((m) => m.file === file && m.line === line);
}
