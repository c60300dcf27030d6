// Public entry points of the goroutine dump parser: whole inputs, async streams, and the
// incremental text parser both use.

import type { Dump } from '../model.js';
import { AUTO_AGGREGATE_AFTER, DumpBuilder } from './builder.js';
import { DumpParser, type ParseOptions } from './parser.js';
import { ChunkDecoder, concat } from './decode.js';
import { dumpOfGunzipped, parseGzipStream, undecompressable } from './gzip-stream.js';
import { gunzip, isGzip } from './proto.js';

export { DumpParser, type ParseOptions } from './parser.js';
export type { GoroutineSink, RepeatedStack } from './sink.js';
export type { HeaderRest } from './header.js';
export { AUTO_AGGREGATE_AFTER, type AggregateMode } from './builder.js';

/** Parses a whole dump. A Buffer/Uint8Array starting with the gzip magic is a pprof protobuf. Never throws. */
export function parseDump(input: string | Buffer | Uint8Array): Dump {
  if (typeof input === 'string') return parseText([input]);
  if (isGzip(input)) return parseGzip(input);
  const decoder = new ChunkDecoder(input);
  return parseText([decoder.write(input), decoder.end()]);
}

/**
 * Parses a dump from chunks (a file or socket stream), line by line: memory follows the model,
 * not the input. Chunks may split lines and UTF-8 sequences anywhere. A gzip stream is
 * decompressed as it arrives: a gzipped text dump streams like a plain one, whatever its
 * unpacked size; a pprof debug=0 profile (protobuf) is decoded whole (gzip-stream.ts).
 */
export async function parseDumpStream(
  chunks: AsyncIterable<string | Buffer | Uint8Array>,
  options: ParseOptions = {},
): Promise<Dump> {
  const parser = new DumpParser(options);
  let head: Uint8Array[] = []; // first bytes, until there are enough to tell gzip from text
  let headLength = 0;
  let decoder: ChunkDecoder | null = null;
  const startText = (first: Uint8Array): ChunkDecoder => {
    const d = new ChunkDecoder(first);
    for (const h of head) parser.push(d.write(h));
    head = [];
    return d;
  };
  // Iterated by hand: gzip input hands the rest of the same iterator to the decompressor.
  const it = chunks[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await it.next();
      if (next.done) {
        finished = true;
        break;
      }
      const chunk = next.value;
      if (typeof chunk === 'string') {
        if (!decoder && headLength > 0) decoder = startText(concat(head));
        if (decoder) parser.push(decoder.end()); // flush a split UTF-8 sequence before the string
        parser.push(chunk);
        continue;
      }
      if (decoder) {
        parser.push(decoder.write(chunk));
        continue;
      }
      head.push(chunk);
      headLength += chunk.length;
      if (headLength < 2) continue;
      const first = concat(head);
      if (isGzip(first)) {
        finished = true; // the decompressor reads the rest, and closes the source
        return await parseGzipStream(first, it, options);
      }
      decoder = startText(first);
    }
  } finally {
    if (!finished) await it.return?.();
  }
  if (!decoder && headLength > 0) decoder = startText(concat(head));
  if (decoder) parser.push(decoder.end());
  return parser.end();
}

function parseText(texts: string[], options: ParseOptions = {}): Dump {
  const parser = new DumpParser(options);
  for (const t of texts) parser.push(t);
  return parser.end();
}

/** debug=0 profile, or a gzipped text dump, whole; what cannot be read is recorded, not thrown. */
function parseGzip(bytes: Uint8Array, options: ParseOptions = {}): Dump {
  const unzipped = gunzip(bytes);
  return unzipped.ok ? dumpOfGunzipped(unzipped.bytes, options) : undecompressable(unzipped.error, options);
}
