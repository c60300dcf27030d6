// Behaviour of the text parser that the golden files do not pin down on their own.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DumpParser, parseDump, parseDumpStream } from './index.js';
import { MAX_LINE } from './parser.js';

const G = (id: number, state = 'chan receive'): string =>
  `goroutine ${id} [${state}]:\nmain.worker(0x${id.toString(16)})\n\t/src/main.go:${10 + id} +0x1d\n`;

async function* chunks(parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  yield* parts;
}

describe('DumpParser', () => {
  it('parses a goroutine pushed one character at a time', () => {
    const text = G(1) + '\n' + G(2, 'select');
    const p = new DumpParser();
    for (const ch of text) p.push(ch);
    const d = p.end();
    expect(d.goroutines.map((g) => [g.id, g.state, g.frames[0]?.line])).toEqual([
      [1, 'chan receive', 11],
      [2, 'select', 12],
    ]);
    expect(d).toEqual(parseDump(text));
  });

  it('keeps unrelated text out and splits sections at unrelated text and markers', () => {
    const d = parseDump(`hello\n${G(1)}\nsome log line\n${G(2)}\npanic: boom\n\n${G(3)}`);
    expect(d.sections.map((s) => [s.goroutines, s.origin])).toEqual([
      [1, null],
      [1, null],
      [1, 'panic'],
    ]);
    expect(d.goroutines.map((g) => g.section)).toEqual([0, 1, 2]);
    expect(d.skipped).toEqual([]);
  });

  it('names test timeouts, fatal errors and signals as section origins', () => {
    const d = parseDump(
      `panic: test timed out after 1s\n\n${G(1)}\nfatal error: all goroutines are asleep - deadlock!\n\n${G(2)}\nSIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n\n${G(3)}`,
    );
    expect(d.sections.map((s) => s.origin)).toEqual(['test timeout', 'fatal error: all goroutines are asleep - deadlock!', 'SIGQUIT']);
  });

  it('ignores content beyond the line cap and records it', () => {
    const long = 'x'.repeat(MAX_LINE + 10);
    const d = parseDump(`${long}\n${G(1)}`);
    expect(d.total).toBe(1);
    expect(d.skipped).toEqual([{ line: 1, reason: expect.stringContaining('longer than') }]);
    const streamed = new DumpParser();
    for (let i = 0; i < long.length; i += 1000) streamed.push(long.slice(i, i + 1000));
    streamed.push('\n' + G(1));
    expect(streamed.end()).toEqual(d);
  });

  it('records a truncated last goroutine and keeps its complete frames', () => {
    const d = parseDump(`${G(1)}main.next(0x1)`);
    expect(d.goroutines[0]!.frames).toHaveLength(1);
    expect(d.skipped).toEqual([{ line: 4, reason: 'function call without a file:line: "main.next(0x1)"' }]);
  });

  it('shares identical frames and strings between goroutines', () => {
    const d = parseDump(`${G(1)}\n${G(1)}`);
    expect(d.goroutines[0]!.frames[0]).toBe(d.goroutines[1]!.frames[0]);
  });
});

describe('pprof debug=1 records pasted without their "goroutine profile" line', () => {
  const REC = '3 @ 0x471a0e 0x40841c 0x6c6945 0x479821\n#\t0x6c6944\tmain.worker+0x44\t/srv/main.go:37\n';

  it('reads a record that a frame line confirms, in its own section without a declared total', () => {
    const d = parseDump(`look at this:\n${REC}\nthanks`);
    expect(d.total).toBe(3);
    expect(d.sections).toEqual([{ format: 'pprof-debug1', goroutines: 3, line: 2, declaredTotal: null, origin: null }]);
    expect(d.goroutines[0]).toMatchObject({ id: null, count: 3, line: 2, frames: [{ func: 'main.worker', file: '/srv/main.go', line: 37 }] });
    expect(d.skipped).toEqual([]);
  });

  it('needs a frame line: a header followed by text, a blank line, labels only, or the end is text', () => {
    const header = '3 @ 0x471a0e 0x40841c';
    for (const text of [`${header}\nsome text\n`, `${header}\n\n#\t0x6c6944\tmain.worker+0x44\t/srv/main.go:37\n`, `${header}\n# labels: {"a":"b"}\n`, header, `${header}\n# 0x1 not-a-location\n`]) {
      expect(parseDump(text), JSON.stringify(text)).toEqual({ total: 0, goroutines: [], sections: [], skipped: [] });
    }
  });

  it('requires the exact header: a count, " @" and program counters only', () => {
    const frame = '#\t0x6c6944\tmain.worker+0x44\t/srv/main.go:37\n';
    for (const header of ['3 @', '3 @ 0x', '3 @ 0x1 and more', '3 @ 1 2', 'x3 @ 0x1', '3 @0x1']) {
      expect(parseDump(`${header}\n${frame}`).total, header).toBe(0);
    }
    expect(parseDump(`3 @ 0xAbC1   \n${frame}`).total).toBe(3);
  });

  it('keeps later records of a fragment to the same rules', () => {
    const d = parseDump(`${REC}\n2 @ 0x1 0x2\n\n2 @ 0x1 0x2\n#\t0x6c6944\tmain.other+0x1\t/srv/main.go:40\n5 @ friends\n#\t0x1\tmain.x+0x1\t/srv/x.go:1\n`);
    expect(d.goroutines.map((g) => [g.count, g.frames[0]!.func])).toEqual([
      [3, 'main.worker'],
      [2, 'main.other'],
    ]);
    expect(d.sections).toHaveLength(1);
  });

  it('strips indentation, quote marks, CRLF and re-indented or space-separated frame lines', () => {
    const pasted = '  > 3 @ 0x471a0e 0x479821\r\n  >   #    0x6c6944    main.worker+0x44    C:/my code/main.go:37\r\n';
    const d = parseDump(pasted);
    expect(d.goroutines[0]!.frames[0]).toMatchObject({ func: 'main.worker', file: 'C:/my code/main.go', line: 37, offset: 0x44 });
    const labelled = parseDump('    2 @ 0x1\r\n    # labels: {"k":"v"}\r\n    #\t0x1\tmain.f+0x1\t/a.go:1\r\n');
    expect(labelled.goroutines[0]).toMatchObject({ count: 2, labels: { k: 'v' } });
  });

  it('reads the same streamed one character at a time, and after a traceback in its own section', () => {
    const text = `goroutine 1 [running]:\nmain.main()\n\t/srv/main.go:1 +0x1\n\n${REC}`;
    const p = new DumpParser();
    for (const ch of text) p.push(ch);
    const d = p.end();
    expect(d).toEqual(parseDump(text));
    expect(d.sections.map((s) => [s.format, s.goroutines])).toEqual([
      ['traceback', 1],
      ['pprof-debug1', 3],
    ]);
  });
});

describe('parseDump / parseDumpStream inputs', () => {
  const text = `${G(1)}\ngoroutine 2 [sleep]:\nmain.é(0x1)\n\t/src/é.go:3 +0x1\n`;

  it('decodes UTF-8 split inside a multi-byte sequence and CRLF split across chunks', async () => {
    const bytes = Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1) parts.push(bytes.subarray(i, i + 1));
    const d = await parseDumpStream(chunks(parts));
    expect(d.goroutines[1]!.frames[0]).toMatchObject({ func: 'main.é', file: '/src/é.go', line: 3 });
    expect(d).toEqual(parseDump(text));
  });

  it('reads UTF-16LE with a byte order mark (PowerShell redirection)', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(parseDump(bytes)).toEqual(parseDump(text));
  });

  it('reads gzipped text, and records gzip that does not decompress', async () => {
    const gz = gzipSync(text);
    expect(parseDump(gz)).toEqual(parseDump(text));
    expect(await parseDumpStream(chunks([gz.subarray(0, 1), gz.subarray(1)]))).toEqual(parseDump(text));
    const broken = parseDump(gz.subarray(0, 12));
    expect(broken.total).toBe(0);
    expect(broken.skipped[0]!.reason).toMatch(/gzip/);
  });

  it('accepts string chunks in a stream and empty input', async () => {
    expect(await parseDumpStream(chunks([text.slice(0, 7), text.slice(7)]))).toEqual(parseDump(text));
    expect(await parseDumpStream(chunks([]))).toEqual({ total: 0, goroutines: [], sections: [], skipped: [] });
    expect(parseDump(Buffer.alloc(0))).toEqual({ total: 0, goroutines: [], sections: [], skipped: [] });
  });
});

describe('adversarial input', () => {
  it('stays linear on long pathological lines', () => {
    const lines = [
      'goroutine 1 [' + 'a, '.repeat(20_000) + ']:',
      'goroutine 1 [x labels:{' + '"k": "v", '.repeat(6_000) + ']:',
      '('.repeat(60_000) + ')',
      'main.f' + '('.repeat(30_000) + ')',
      '\t' + ':'.repeat(60_000),
      '# labels: {' + '{'.repeat(60_000),
      'goroutine 1 [running]:',
      'x'.repeat(30_000) + '(' + ' '.repeat(30_000) + ')',
      '...' + '9'.repeat(60_000),
      'created by ' + ' in goroutine '.repeat(4_000),
    ];
    const text = (lines.join('\n') + '\n').repeat(20);
    const start = performance.now();
    const d = parseDump(text);
    expect(performance.now() - start).toBeLessThan(5_000);
    expect(d.total).toBeGreaterThan(0);
  });
});
