// Gzipped input through the stream parser: text unpacked and parsed as it arrives (in any chunk
// sizes), protobuf decoded whole, damage kept to what came after it.
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { looksLikeText } from './gzip-stream.js';
import { parseDump, parseDumpStream } from './index.js';

const TEXT = 'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n\ngoroutine 7 [chan send]:\nmain.worker()\n\t/app/main.go:9 +0x2a\ncreated by main.main in goroutine 1\n\t/app/main.go:6 +0x3b\n';

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('gzipped text', () => {
  it('reads the same as the plain text, whatever the chunking', async () => {
    const plain = parseDump(TEXT);
    const packed = gzipSync(TEXT);
    for (const size of [1, 3, 17, packed.length]) {
      const d = await parseDumpStream(pieces(packed, size));
      expect(d.goroutines.map((g) => [g.id, g.state, g.frames[0]!.func]), `chunks of ${size}`).toEqual(plain.goroutines.map((g) => [g.id, g.state, g.frames[0]!.func]));
      expect(d.skipped).toEqual([]);
    }
  });

  it('reads concatenated gzip members as one text', async () => {
    const d = await parseDumpStream(pieces(Buffer.concat([gzipSync(TEXT), gzipSync(TEXT.replace('goroutine 7', 'goroutine 8'))]), 64));
    expect(d.goroutines.map((g) => g.id)).toEqual([1, 7, 1, 8]);
  });

  it('keeps what came before damage and says why it stopped', async () => {
    const packed = gzipSync(TEXT.repeat(200));
    const cut = packed.subarray(0, Math.floor(packed.length * 0.8));
    const d = await parseDumpStream(pieces(cut, 100));
    expect(d.goroutines.length).toBeGreaterThan(0);
    expect(d.skipped.at(-1)!.reason).toMatch(/^the gzip stream is damaged or cut short; what came before it was read: /);
    const garbage = await parseDumpStream(pieces(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 4));
    expect(garbage.goroutines).toEqual([]);
    expect(garbage.skipped[0]!.reason).toMatch(/^input starts like gzip but does not decompress: /);
  });
});

describe('looksLikeText', () => {
  it('tells dumps from protobuf', () => {
    expect(looksLikeText(Buffer.from('\n\ngoroutine 1 [running]:\r\n\tx'))).toBe(true);
    expect(looksLikeText(Buffer.from([0xff, 0xfe, 0x67, 0x00]))).toBe(true); // UTF-16LE
    expect(looksLikeText(Buffer.from([0x0a, 0x0c, 0x0a, 0x09, 0x67, 0x6f, 0x08, 0x01]))).toBe(false); // profile.proto
  });
});
