// Gzipped input, decompressed as it arrives. A gzipped text dump (`go tool pprof -raw` aside,
// people gzip big tracebacks to move them) is parsed as it unpacks, so memory follows the
// groups, not the unpacked size; a pprof debug=0 profile is protobuf, which can only be decoded
// whole, and is buffered up to a cap (profiles are small: one sample per distinct stack).
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Dump } from '../model.js';
import { AUTO_AGGREGATE_AFTER, DumpBuilder } from './builder.js';
import { ChunkDecoder, concat } from './decode.js';
import { DumpParser, type ParseOptions } from './parser.js';
import { addProfile, decodeProfile, MAX_GUNZIPPED } from './proto.js';

/** Bytes looked at to tell text from protobuf. */
const SNIFF = 64;

/**
 * Text, unless a control character other than tab, newline, carriage return and escape shows
 * up: a profile.proto opens with field tags and lengths (0x0a, a varint, 0x08...), while a
 * dump is text (a UTF-16 one opens with its byte order mark).
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return true;
  const n = Math.min(bytes.length, SNIFF);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b) return false;
  }
  return true;
}

/** The dump of decompressed bytes: a pprof profile, or else text. */
export function dumpOfGunzipped(bytes: Uint8Array, options: ParseOptions): Dump {
  const profile = decodeProfile(bytes);
  if (profile) {
    const b = new DumpBuilder('auto', AUTO_AGGREGATE_AFTER, options.sink ?? null);
    try {
      addProfile(profile, b);
    } catch (err) {
      b.skip(0, `invalid pprof profile: ${(err as Error).message}`);
    }
    return b.build();
  }
  const parser = textParser(options);
  const decoder = new ChunkDecoder(bytes);
  parser.push(decoder.write(bytes));
  parser.push(decoder.end());
  return parser.end();
}

/** A dump with nothing but the reason the gzip input could not be read. */
export function undecompressable(error: string, options: ParseOptions): Dump {
  const b = new DumpBuilder('auto', AUTO_AGGREGATE_AFTER, options.sink ?? null);
  b.skip(0, `input starts like gzip but does not decompress: ${error}`);
  return b.build();
}

// Only the sink carries over: aggregation options never applied to gzipped input.
function textParser(options: ParseOptions): DumpParser {
  return new DumpParser(options.sink ? { sink: options.sink } : {});
}

/**
 * Parses gzip input whose first bytes are `first` and whose remaining chunks `rest` yields (the
 * caller's iterator, which is read to its end or closed). Never throws for bad data: a corrupt
 * or truncated stream keeps what was read before the damage and records why it stopped.
 */
export async function parseGzipStream(
  first: Uint8Array,
  rest: AsyncIterator<string | Buffer | Uint8Array>,
  options: ParseOptions,
): Promise<Dump> {
  async function* compressed(): AsyncGenerator<Uint8Array> {
    yield first;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      // A string after gzip bytes is not part of any profile we can read.
      if (typeof next.value !== 'string') yield next.value;
    }
  }
  const source = Readable.from(compressed(), { objectMode: false });
  // Large output chunks, as for files (fetch.ts): the parser's fast path stops at chunk ends.
  const gunzip = createGunzip({ chunkSize: 4 * 1024 * 1024 });
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  // Decompressed bytes are kept until SNIFF of them tell text from protobuf; text then streams
  // into the parser, protobuf is kept whole.
  let kept: Uint8Array[] = [];
  let keptLength = 0;
  // In an object: startText() sets it, which flow analysis would not see for a plain variable.
  const state: { text: { parser: DumpParser; decoder: ChunkDecoder } | null } = { text: null };
  let binary = false;
  const startText = () => {
    const bytes = concat(kept);
    const text = { parser: textParser(options), decoder: new ChunkDecoder(bytes) };
    text.parser.push(text.decoder.write(bytes));
    state.text = text;
    kept = [];
  };
  let failure: string | null = null;
  let tooLarge = false;
  try {
    for await (const out of gunzip as AsyncIterable<Buffer>) {
      if (state.text) {
        state.text.parser.push(state.text.decoder.write(out));
        continue;
      }
      kept.push(out);
      keptLength += out.length;
      if (keptLength > MAX_GUNZIPPED) {
        tooLarge = true;
        break;
      }
      if (!binary && keptLength >= SNIFF) {
        if (looksLikeText(concat(kept))) startText();
        else binary = true;
      }
    }
  } catch (err) {
    failure = (err as Error).message;
  } finally {
    source.destroy();
    gunzip.destroy();
    await rest.return?.();
  }
  if (tooLarge) return undecompressable(`more than ${MAX_GUNZIPPED} bytes unpacked, which is no goroutine profile`, options);
  if (!state.text && !binary && keptLength > 0 && looksLikeText(concat(kept))) startText();
  const reading = state.text;
  if (!reading) {
    if (failure !== null) return undecompressable(failure, options);
    return dumpOfGunzipped(concat(kept), options);
  }
  reading.parser.push(reading.decoder.end());
  const dump = reading.parser.end();
  if (failure !== null) dump.skipped.push({ line: 0, reason: `the gzip stream is damaged or cut short; what came before it was read: ${failure}` });
  return dump;
}
