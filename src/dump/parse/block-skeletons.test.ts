// Skeletons (block-skeletons.ts) read a goroutine whose stack repeats an earlier one up to its
// argument values; whatever they read must be what reading every line gives when frames are keyed
// without arguments (an aggregating model, or a grouping sink). Compared on every corpus dump with
// its pointers made different per goroutine, and on the lines a skeleton must refuse.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StreamingAnalysis } from '../analyze/stream.js';
import type { Dump } from '../model.js';
import { dumpToJson } from '../report/json.js';
import { DumpParser, type ParseOptions } from './parser.js';
import type { GoroutineSink, RepeatedStack } from './sink.js';
import { corpusFiles, corpusName } from './testdata/corpus.js';

function parse(text: string, options: ParseOptions = {}, chunk = Infinity): Dump {
  const p = new DumpParser(options);
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
  return p.end();
}

/** Aggregated (frames keyed without arguments) with and without block reading: the same model. */
function expectSame(text: string, chunk = Infinity): Dump {
  const fast = parse(text, { aggregate: true }, chunk);
  expect(fast).toEqual(parse(text, { aggregate: true, wholeBlocks: false }, chunk));
  return fast;
}

/** Counts the goroutines a sink receives by skeleton. */
function skeletonReads(text: string): number {
  let repeats = 0;
  const sink: GoroutineSink = {
    add() {},
    addRepeat(_stack: RepeatedStack) {
      repeats++;
    },
  };
  parse(text, { sink });
  return repeats;
}

/** Every heap pointer (0xc...) of the text replaced by one of its own, as in a real dump. */
function varyPointers(text: string, seed: number): string {
  let n = seed;
  return text.replace(/0xc[0-9a-f]{9}/g, () => `0xc${(0x100000000 + ((n++ * 0x9e37) % 0xeffffffff)).toString(16)}`);
}

/** The streaming analysis of `text` (the CLI's path) as JSON. */
function streamed(text: string): unknown {
  const analysis = new StreamingAnalysis();
  const sink = analysis.input();
  analysis.add(sink, parse(text, { sink }));
  return dumpToJson(analysis.finish());
}

/** The streaming analysis with every line read by the state machine. */
function streamedLineByLine(text: string): unknown {
  const analysis = new StreamingAnalysis();
  const sink = analysis.input();
  analysis.add(sink, parse(text, { sink, wholeBlocks: false }));
  return dumpToJson(analysis.finish());
}

const G = (id: number, args: string, creator = 1, extra = ''): string =>
  `goroutine ${id} [chan receive${extra}]:\nmain.worker(${args})\n\t/src/main.go:10 +0x1d\n` +
  `main.run({0x7e4fc0, ${args}})\n\t/src/main.go:20 +0x2e\n` +
  `created by main.main in goroutine ${creator}\n\t/src/main.go:5 +0x2a\n\n`;

describe('block skeletons give the line-by-line result', () => {
  const files = corpusFiles().filter((f) => f.endsWith('.txt'));

  it.each(files.map((f) => [corpusName(f), f]))('%s with per-goroutine pointers', (_name, file) => {
    const text = readFileSync(file, 'latin1');
    const three = `${text}\n\n${varyPointers(text, 1)}\n\n${varyPointers(text, 2)}`;
    expectSame(three);
    expectSame(three, 4096);
    expect(streamed(three)).toEqual(streamedLineByLine(three));
  });

  it('reads goroutines that differ only in arguments, IDs, creators and waits by skeleton', () => {
    const text = Array.from({ length: 50 }, (_, i) =>
      G(i + 1, `0xc0000${(i * 64).toString(16).padStart(5, '0')}`, (i % 3) + 1, i % 4 === 0 ? `, ${i + 1} minutes` : ''),
    ).join('');
    const d = expectSame(text);
    expect(d.total).toBe(50);
    expect(skeletonReads(text)).toBe(49);
    expect(streamed(text)).toEqual(streamedLineByLine(text));
  });

  it('refuses lines whose arguments change what the state machine reads', () => {
    const first = G(1, '0x1');
    const variants = [
      // a "(" in the arguments moves where they open; "(...)" and "...)x" mark inlined frames
      G(2, '0x1 (x'),
      G(2, '...'),
      G(2, '...)x'),
      // trailing blanks, CR, an argument list that does not close, a line break in a hole
      G(2, '0x2').replace('main.worker(0x2)', 'main.worker(0x2) '),
      G(2, '0x2').replace('main.worker(0x2)\n', 'main.worker(0x2)\r\n'),
      G(2, '0x2').replace('main.worker(0x2)', 'main.worker(0x2'),
      // a creator ID too long to be exact, none at all, a longer or shorter stack
      G(2, '0x2', 12345678901234567),
      G(2, '0x2').replace(' in goroutine 1\n', '\n'),
      G(2, '0x2').replace('created by', 'main.extra(0x3)\n\t/src/main.go:30 +0x1\ncreated by'),
      G(2, '0x2').replace('main.run({0x7e4fc0, 0x2})\n\t/src/main.go:20 +0x2e\n', ''),
      // a different PC offset or line, fp= values, an elision marker
      G(2, '0x2').replace('+0x1d', '+0x1e'),
      G(2, '0x2').replace('/src/main.go:10 +0x1d', '/src/main.go:10 +0x1d fp=0xc000 sp=0xc001 pc=0x4'),
      G(2, '0x2').replace('created by', '...additional frames elided...\ncreated by'),
    ];
    for (const v of variants) {
      const text = first + v + first.replace('goroutine 1 ', 'goroutine 3 ');
      expectSame(text);
      expectSame(text + text);
      expect(streamed(text + text)).toEqual(streamedLineByLine(text + text));
    }
    // Inlined frames and elisions learned as such are repeated literally.
    const inlined = (id: number): string =>
      `goroutine ${id} [select]:\nmain.f(...)\n\t/a.go:1\nmain.g(0x${id})\n\t/a.go:2 +0x1\n...additional frames elided...\n` +
      `created by main.main in goroutine 1\n\t/a.go:3 +0x2\n\n`;
    const text = [1, 2, 3].map(inlined).join('');
    expectSame(text);
    expect(skeletonReads(text)).toBe(2);
  });

  it('keeps stacks that share a lookup key apart, beyond what it remembers per key', () => {
    // Same top frame and file line: the key is shared, the stacks differ below.
    const stack = (id: number, caller: number): string =>
      `goroutine ${id} [IO wait]:\ninternal/poll.runtime_pollWait(0x${id.toString(16)}, 0x72)\n\t/go/src/runtime/netpoll.go:351 +0x85\n` +
      `main.caller${caller}(0xc0000${id.toString(16).padStart(5, '0')})\n\t/src/main.go:${caller} +0x1\n\n`;
    const text = Array.from({ length: 400 }, (_, i) => stack(i + 1, (i * 7) % 40)).join('');
    const d = expectSame(text);
    expect(d.goroutines).toHaveLength(40);
    expect(streamed(text)).toEqual(streamedLineByLine(text));
    // Told apart by their last lines once crowded: all but the first of each stack by skeleton.
    expect(skeletonReads(text)).toBe(360);
    // Same top frame and same last line, different middles: beyond what is remembered per key,
    // blocks are read line by line, and the result is still the same.
    const middle = (id: number, caller: number): string =>
      `goroutine ${id} [IO wait]:\ninternal/poll.runtime_pollWait(0x${id.toString(16)}, 0x72)\n\t/go/src/runtime/netpoll.go:351 +0x85\n` +
      `main.caller${caller}(0xc0000${id.toString(16).padStart(5, '0')})\n\t/src/main.go:${caller} +0x1\n` +
      `created by main.main in goroutine 1\n\t/src/main.go:5 +0x2a\n\n`;
    const crowded = Array.from({ length: 400 }, (_, i) => middle(i + 1, (i * 7) % 40)).join('');
    expect(expectSame(crowded).goroutines).toHaveLength(40);
    expect(streamed(crowded)).toEqual(streamedLineByLine(crowded));
    expect(skeletonReads(crowded)).toBeLessThan(360);
  });

  it('gives the line-by-line result across chunk boundaries', () => {
    const text = Array.from({ length: 60 }, (_, i) => G(i + 1, `0x${i}`, 1, i % 5 === 0 ? ', 7 minutes' : '')).join('');
    for (const chunk of [1, 13, 97, 1000]) expectSame(text, chunk);
  });
});
