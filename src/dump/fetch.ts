// Getting a goroutine dump in: a file or standard input (streamed into the parser), or a running
// service's /debug/pprof/goroutine (or goroutineleak) endpoint, streamed, with a timeout and a
// size cap so a wrong URL cannot hang or exhaust us.
import { open } from 'node:fs/promises';
import type { Dump } from './model.js';
import { parseDumpStream, type GoroutineSink, type ParseOptions } from './parse/index.js';

export interface FetchOptions {
  /** Whole-request timeout in milliseconds. Default 10 s. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 512 MiB. */
  maxBytes?: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/** A fetch failure with a message fit for the user (no stack, no undici internals). */
export class FetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchError';
  }
}

export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** The URL to request: debug=2 (full tracebacks with states and wait times) unless the query sets debug. */
export function dumpRequestUrl(input: string): URL {
  const url = new URL(input);
  if (!url.searchParams.has('debug')) url.searchParams.set('debug', '2');
  return url;
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no complete answer within ${timeoutMs / 1000}s (--timeout)`;
  const code = e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the service running, and is net/http/pprof served on that port?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset by the service';
  return e?.cause?.message ?? e?.message ?? String(err);
}

/** The response body as chunks; throws FetchError on network errors, HTTP errors, timeout or size cap. */
export async function* fetchDump(input: string, options: FetchOptions = {}): AsyncGenerator<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const url = dumpRequestUrl(input);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (err) {
    throw new FetchError(describeFailure(err, timeoutMs));
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchError(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new FetchError(`response of ${declared} bytes is larger than --max-bytes ${maxBytes}`);
  }
  if (!response.body) return;
  const reader = response.body.getReader();
  let received = 0;
  try {
    for (;;) {
      let chunk: { done: true; value?: undefined } | { done: false; value: Uint8Array };
      try {
        chunk = (await reader.read()) as typeof chunk;
      } catch (err) {
        throw new FetchError(describeFailure(err, timeoutMs));
      }
      if (chunk.done) return;
      received += chunk.value.byteLength;
      if (received > maxBytes) throw new FetchError(`response is larger than --max-bytes ${maxBytes}`);
      yield chunk.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Where a dump comes from: a file path, "-" for standard input, or an http(s) URL. */
export interface ReadInputOptions extends FetchOptions {
  stdin?: NodeJS.ReadableStream;
  /** Hand goroutines to this sink instead of the returned Dump (see ParseOptions.sink). */
  sink?: GoroutineSink & { readonly records: number };
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e?.message ?? String(err);
  }
}

/**
 * Reads and parses one input, streamed. Throws FetchError with a message for the user
 * ("cannot read FILE: ..." / "cannot fetch URL: ...") when the input cannot be read or holds no dump.
 */
export async function readDumpInput(input: string, options: ReadInputOptions = {}): Promise<Dump> {
  let dump: Dump;
  const parse: ParseOptions = options.sink ? { sink: options.sink } : {};
  if (isUrl(input)) {
    try {
      dump = await parseDumpStream(fetchDump(input, options), parse);
    } catch (err) {
      throw new FetchError(`cannot fetch ${input}: ${err instanceof FetchError ? err.message : describeFailure(err, options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS)}`);
    }
  } else {
    const stream = input === '-' ? (options.stdin ?? process.stdin) : readChunks(input);
    try {
      dump = await parseDumpStream(stream as AsyncIterable<Buffer>, parse);
    } catch (err) {
      throw new FetchError(`cannot read ${input === '-' ? 'standard input' : input}: ${describeFsError(err)}`);
    }
  }
  const records = options.sink ? options.sink.records : dump.goroutines.length;
  if (records === 0) {
    const why = dump.skipped[0] ? ` (${dump.skipped[0].reason})` : '';
    throw new FetchError(`cannot read ${input === '-' ? 'standard input' : input}: no goroutine dump found in it${why}`);
  }
  return dump;
}

/**
 * A file's bytes in 4 MiB reads: fewer chunk boundaries, which the parser's whole-goroutine fast
 * path cannot cross, and less per-chunk work than a read stream. The next read is under way while
 * the parser works on a chunk (it runs on libuv's thread pool), which hides most of the reading.
 */
async function* readChunks(file: string): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  // A fresh buffer each time: the parser may keep a chunk (gzip input is buffered whole).
  const readNext = () => handle.read(Buffer.allocUnsafe(READ_SIZE), 0, READ_SIZE, null);
  let pending: ReturnType<typeof readNext> | null = readNext();
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      pending = null;
      if (bytesRead === 0) return;
      pending = readNext();
      yield bytesRead === READ_SIZE ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    // A read still under way must end before the handle closes; its failure no longer matters.
    if (pending !== null) await pending.catch(() => undefined);
    await handle.close();
  }
}

const READ_SIZE = 4 * 1024 * 1024;
