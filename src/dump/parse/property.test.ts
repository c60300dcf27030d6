// Property tests: damaged real dumps never make the parser throw, the result is deterministic,
// and parsing in arbitrary chunks gives exactly the whole-input result.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR, sharedUnavailable } from '../../testing/env.js';
import { DumpParser, parseDump, parseDumpStream } from './index.js';

const CORPUS = [
  'generated/go1.26/sigquit_gotraceback_crash.txt',
  'generated/go1.26/tracebacklabels/runtime_stack_all.txt',
  'generated/go1.23/pprof_goroutine_debug1.txt',
  'generated/go1.19/tracebackancestors/runtime_stack_all.txt',
  'generated/go1.26/gotest_synctest_bubble_deadlock_panic.txt',
  'external/DataDog-gostackparse/stackoverflow.txt',
  'external/maruel-panicparse/extracted-from-tests/context_test_L1011_WithCarriageReturn.txt',
];

type Mutation =
  | { kind: 'delete' | 'duplicate'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'garbage'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
);

/** Applies line-level edits, then byte-level ones, to a copy of the input. */
function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  const lines = input.toString('latin1').split('\n');
  let bytes: Buffer | null = null;
  for (const m of mutations) {
    if (bytes === null && (m.kind === 'truncate' || m.kind === 'garbage')) bytes = Buffer.from(lines.join('\n'), 'latin1');
    if (bytes !== null) {
      const at = bytes.length === 0 ? 0 : m.at % bytes.length;
      if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
      else if (m.kind === 'garbage') bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
      continue;
    }
    const i = m.at % lines.length;
    if (m.kind === 'delete') lines.splice(i, 1);
    else if (m.kind === 'duplicate') lines.splice(i, 0, lines[i]!);
    else if (m.kind === 'swap') {
      const j = m.with % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
  }
  return bytes ?? Buffer.from(lines.join('\n'), 'latin1');
}

/** Cuts `buf` at the given fractions of its length. */
function split(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * buf.length)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    parts.push(buf.subarray(last, p));
    last = p;
  }
  parts.push(buf.subarray(last));
  return parts;
}

async function* iterate<T>(parts: T[]): AsyncGenerator<T> {
  yield* parts;
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

describe.skipIf(sharedUnavailable())('parser properties on damaged corpus dumps', () => {
  const inputs = sharedUnavailable() ? [] : CORPUS.map((f) => readFileSync(path.join(SHARED_DIR, 'testdata/dumps', f)));

  it('never throws, is deterministic, and chunked parsing equals whole parsing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: inputs.length - 1 }),
        fc.array(mutation, { maxLength: 8 }),
        cuts,
        async (which, mutations, cutAt) => {
          const input = mutate(inputs[which]!, mutations);
          const whole = parseDump(input);
          expect(parseDump(input)).toEqual(whole);
          // Repeated, so that skeletons are made and used: the same as reading every line.
          const twice = input.toString('latin1') + '\n\n' + input.toString('latin1');
          const lineByLine = new DumpParser({ wholeBlocks: false });
          lineByLine.push(twice);
          expect(parseDump(twice)).toEqual(lineByLine.end());
          // Aggregated, frames are keyed without arguments and repeats are read by skeleton.
          const skeletons = new DumpParser({ aggregate: true });
          skeletons.push(twice);
          const aggregatedLines = new DumpParser({ aggregate: true, wholeBlocks: false });
          aggregatedLines.push(twice);
          expect(skeletons.end()).toEqual(aggregatedLines.end());
          expect(await parseDumpStream(iterate(split(input, cutAt)))).toEqual(whole);
          expect(whole.total).toBe(whole.goroutines.reduce((n, g) => n + g.count, 0));
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);

  it('string chunks split anywhere (inside CRLF too) give the whole-string result', () => {
    const crlf = inputs[1]!.toString('utf8').replace(/\n/g, '\r\n');
    fc.assert(
      fc.property(cuts, (cutAt) => {
        const points = [...new Set(cutAt.map((c) => Math.floor(c * crlf.length)))].sort((a, b) => a - b);
        const p = new DumpParser();
        let last = 0;
        for (const pt of points) {
          p.push(crlf.slice(last, pt));
          last = pt;
        }
        p.push(crlf.slice(last));
        expect(p.end()).toEqual(parseDump(crlf));
      }),
      { numRuns: 50 },
    );
  }, 60_000);
});

describe('parser properties on arbitrary input', () => {
  it('never throws on random text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 })), (input) => {
        const d = parseDump(input);
        expect(d.total).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on goroutine-shaped lines built from dump fragments', () => {
    const fragment = fc.constantFrom(
      'goroutine ', '1', ' [', ']', ':', 'gp=0x1 ', 'm=nil ', 'labels:{', '"k": "v"', '}', ', 3 minutes', ' (leaked)',
      'main.f(', ')', '...', '\t', '/a.go:', '+0x1', 'created by ', ' in goroutine ', '[originating from goroutine ',
      '\n', '\r\n', ' ', 'goroutine profile: total 3', '1 @ 0x1', '#\t0x1\tmain.f+0x1\t/a.go:1', '# labels: {',
      '...2 frames elided...', '-----', 'SIGQUIT: quit', 'panic: x',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 120 }), (parts) => {
        const text = parts.join('');
        const d = parseDump(text);
        expect(parseDump(text)).toEqual(d);
      }),
      { numRuns: 400 },
    );
  });
});
