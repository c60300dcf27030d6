// Aggregation: identical goroutines merged into one record with a count, for huge dumps.
import { describe, expect, it } from 'vitest';
import type { Dump } from '../model.js';
import { DumpParser, parseDump, parseDumpStream } from './index.js';

/** A goroutine whose printed stack does not depend on its id (same args), unlike real pointers. */
const G = (id: number, state = 'chan receive', extra = '', creator = 1): string =>
  `goroutine ${id} [${state}${extra}]:\nmain.worker(0x1)\n\t/src/main.go:10 +0x1d\n` +
  `created by main.main in goroutine ${creator}\n\t/src/main.go:5 +0x2a\n\n`;

function parse(text: string, options: ConstructorParameters<typeof DumpParser>[0]): Dump {
  const p = new DumpParser(options);
  p.push(text);
  return p.end();
}

describe('aggregation', () => {
  it('merges identical goroutines, keeping the first id, line and creator', () => {
    const d = parse(G(7, 'chan receive', '', 3) + G(8) + G(9, 'select') + G(10), { aggregate: true });
    expect(d.total).toBe(4);
    expect(d.goroutines.map((g) => [g.id, g.state, g.count, g.line])).toEqual([
      [7, 'chan receive', 3, 1],
      [9, 'select', 1, 13],
    ]);
    expect(d.goroutines[0]!.createdBy?.creatorId).toBe(3);
    expect(d.sections[0]!.goroutines).toBe(4);
  });

  it('keeps goroutines apart that differ in wait minutes, flags, labels, frames or section', () => {
    const text =
      G(1) +
      G(2, 'chan receive', ', 5 minutes') +
      G(3, 'chan receive', ', locked to thread') +
      G(4, 'chan receive', ' labels:{"k":"v"}') +
      'goroutine 5 [chan receive]:\nmain.worker(0x2)\n\t/src/main.go:10 +0x1d\n\n' +
      'panic: boom\n\n' +
      G(6);
    const d = parse(text, { aggregate: true });
    expect(d.goroutines.map((g) => g.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(d.goroutines.every((g) => g.count === 1)).toBe(true);
  });

  it('is off for small dumps by default and starts past the threshold, merging what came before', () => {
    const text = Array.from({ length: 6 }, (_, i) => G(i + 1, i % 2 ? 'select' : 'chan receive')).join('');
    expect(parseDump(text).goroutines).toHaveLength(6);
    const d = parse(text, { aggregateAfter: 3 });
    expect(d.total).toBe(6);
    expect(d.goroutines.map((g) => [g.id, g.state, g.count])).toEqual([
      [1, 'chan receive', 3],
      [2, 'select', 3],
    ]);
    expect(parse(text, { aggregate: false, aggregateAfter: 3 }).goroutines).toHaveLength(6);
  });

  it('gives the same counts per state as the full model when streaming', async () => {
    const text = Array.from({ length: 50 }, (_, i) => G(i + 1, ['select', 'sleep', 'IO wait'][i % 3]!)).join('');
    async function* chunks(): AsyncGenerator<Buffer> {
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += 37) yield bytes.subarray(i, i + 37);
    }
    const merged = await parseDumpStream(chunks(), { aggregate: true });
    const perState = (d: Dump): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const g of d.goroutines) out[g.state] = (out[g.state] ?? 0) + g.count;
      return out;
    };
    expect(merged.goroutines).toHaveLength(3);
    expect(perState(merged)).toEqual(perState(parseDump(text)));
    expect(merged.total).toBe(50);
  });
});

describe('aggregation of real-looking stacks', () => {
  it('merges goroutines whose frames differ only in argument values, keeping the first arguments', () => {
    const g = (id: number): string =>
      `goroutine ${id} [select]:\nmain.loop(0x${(0xc000010000 + id).toString(16)}, 0x1)\n\t/src/main.go:20 +0x1d\n` +
      `main.inl(...)\n\t/src/main.go:30\n\n`;
    const d = parse(g(1) + g(2) + g(3), { aggregate: true });
    expect(d.goroutines).toHaveLength(1);
    expect(d.goroutines[0]!.count).toBe(3);
    expect(d.goroutines[0]!.frames.map((f) => [f.func, f.args, f.inlined])).toEqual([
      ['main.loop', '0xc000010001, 0x1', false],
      ['main.inl', '...', true],
    ]);
    // Without aggregation every goroutine keeps its own arguments.
    expect(parseDump(g(1) + g(2)).goroutines.map((x) => x.frames[0]!.args)).toEqual(['0xc000010001, 0x1', '0xc000010002, 0x1']);
  });
});
