// The whole-goroutine fast path (block-reader.ts, block-shape.ts, block-skeletons.ts) must give
// exactly the model that reading every line gives, each goroutine with its own arguments:
// compared on every corpus dump, on the dumps repeated (so that skeletons are used, and guessed),
// and on the cases the fast path has to recognise or refuse. block-skeletons.test.ts does the same
// for frames keyed without arguments (aggregation, the grouping sink).
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { Dump } from '../model.js';
import { Skeletons } from './block-skeletons.js';
import { DumpParser, type ParseOptions } from './parser.js';
import { corpusFiles, corpusName } from './testdata/corpus.js';

function parse(text: string, options: ParseOptions = {}, chunk = Infinity): Dump {
  const p = new DumpParser(options);
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
  return p.end();
}

/** Parses with and without whole blocks and expects the same model; returns it. */
function expectSame(text: string, options: ParseOptions = {}, chunk = Infinity): Dump {
  const fast = parse(text, options, chunk);
  expect(fast).toEqual(parse(text, { ...options, wholeBlocks: false }, chunk));
  return fast;
}

const G = (id: number, creator = 1, extra = ''): string =>
  `goroutine ${id} [chan receive${extra}]:\nmain.worker(0x1)\n\t/src/main.go:10 +0x1d\n` +
  `created by main.main in goroutine ${creator}\n\t/src/main.go:5 +0x2a\n\n`;

describe('whole blocks give the line-by-line model', () => {
  const files = corpusFiles().filter((f) => f.endsWith('.txt'));

  it.each(files.map((f) => [corpusName(f), f]))('%s, once and repeated', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expectSame(text);
    // Repeated, most goroutines of the second and third copies are read by skeleton.
    expectSame(`${text}\n\n${text}\n\n${text}`);
    expectSame(`${text}\n\n${text}`, {}, 4096);
  });

  it('reads repeated goroutines by skeleton with their own IDs, creators, arguments and wait times', () => {
    const d = expectSame(G(1, 7) + G(2, 8, ', 3 minutes') + G(3, 9) + G(4, 7, ', locked to thread'));
    expect(d.goroutines.map((g) => [g.id, g.createdBy?.creatorId, g.waitMinutes, g.lockedToThread, g.line])).toEqual([
      [1, 7, null, false, 1],
      [2, 8, 3, false, 7],
      [3, 9, null, false, 13],
      [4, 7, null, true, 19],
    ]);
  });

  it('gives each goroutine read by skeleton its own arguments', () => {
    const withArgs = (id: number): string =>
      `goroutine ${id} [select]:\nmain.loop(0x${(0xc000010000 + (id % 7) * 64).toString(16)}, {0x7e4fc0, 0x${id}})\n\t/src/main.go:20 +0x1d\n` +
      `main.inlined(...)\n\t/src/main.go:30\ncreated by main.main in goroutine 1\n\t/src/main.go:5 +0x2a\n\n`;
    const spy = vi.spyOn(Skeletons.prototype, 'framesWithArgs');
    try {
      const d = expectSame(Array.from({ length: 30 }, (_, i) => withArgs(i + 1)).join(''));
      expect(spy).toHaveBeenCalled();
      expect(d.goroutines.map((g) => g.frames[0]!.args)).toEqual(
        Array.from({ length: 30 }, (_, i) => `0x${(0xc000010000 + ((i + 1) % 7) * 64).toString(16)}, {0x7e4fc0, 0x${i + 1}}`),
      );
      expect(new Set(d.goroutines.map((g) => g.frames[1]!.args))).toEqual(new Set(['...']));
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps the line state machine for blocks it cannot take whole', () => {
    const variants = [
      // no creator ID, creator not on the second-to-last line, several "created by" lines
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1\ncreated by main.main\n\t/a.go:2 +0x2\n\n',
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 3\n\t/a.go:2 +0x2\nmain.g()\n\t/a.go:3\n\n',
      'goroutine 1 [select]:\ncreated by main.x in goroutine 4\n\t/a.go:9\nmain.f()\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 3\n\t/a.go:2 +0x2\n\n',
      // a creator ID too long to be exact, damaged lines, ancestors, elisions
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1\ncreated by main.main in goroutine 1234567890123456\n\t/a.go:2 +0x2\n\n',
      'goroutine 1 [select]:\nmain.f()\nmain.g()\n\t/a.go:1 +0x1\n\n',
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1\n[originating from goroutine 5]:\nmain.h()\n\t/a.go:4 +0x1\n\n',
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1\n...additional frames elided...\ncreated by main.main in goroutine 3\n\t/a.go:2 +0x2\n\n',
      // CRLF, no blank line at the end, a header without a stack, text right after a stack
      'goroutine 1 [select]:\r\nmain.f()\r\n\t/a.go:1 +0x1\r\n\r\n',
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1',
      'goroutine 1 [select]:\n\n',
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1\nsome log line\n\n',
      'goroutine 1 [select]:\nmain.f()\n\t/a.go:1 +0x1\ngoroutine 2 [select]:\nmain.f()\n\t/a.go:1 +0x1\n\n',
    ];
    for (const v of variants) {
      const twice = v.endsWith('\n') ? v + v.replace('goroutine 1 ', 'goroutine 9 ') : v;
      expectSame(twice + twice);
    }
  });

  it('pauses learning while stacks do not repeat, and still gives the model', () => {
    // Argument values that differ per goroutine make every stack text unique, then they repeat.
    const unique = (i: number): string =>
      `goroutine ${i} [select]:\nmain.loop(0x${(0xc000010000 + i * 64).toString(16)})\n\t/src/main.go:20 +0x1d\n` +
      `created by main.main in goroutine 1\n\t/src/main.go:5 +0x2a\n\n`;
    const text = Array.from({ length: 3000 }, (_, i) => unique(i + 1)).join('') + Array.from({ length: 3000 }, (_, i) => G(5000 + i)).join('');
    const d = expectSame(text);
    expect(d.goroutines).toHaveLength(6000);
    // Every goroutine keeps its own arguments when not aggregating (frames of one call site indexed).
    expect(new Set(d.goroutines.slice(0, 3000).map((g) => g.frames[0]!.args)).size).toBe(3000);
  });

  it('matches the model across the switch to aggregation, in any chunking', () => {
    const text = Array.from({ length: 40 }, (_, i) => G(i + 1, (i % 3) + 1, i % 4 === 0 ? ', 2 minutes' : '')).join('');
    for (const aggregateAfter of [1, 5, 17]) {
      expectSame(text, { aggregateAfter });
      expectSame(text, { aggregateAfter }, 97);
    }
    expectSame(text, { aggregate: true });
  });
});
