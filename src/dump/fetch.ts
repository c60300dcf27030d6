// Getting a goroutine dump in: a file or standard input (streamed into the parser), or a running
// service's /debug/pprof/goroutine (or goroutineleak) endpoint, streamed, with a timeout and a
// size cap so a wrong URL cannot hang or exhaust us. URLs are read with node:http(s), not fetch():
// fetch refuses "bad ports" (6000, 6667, 10080...) that services and port-forwards do use.
import { open } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dump } from './model.js';
import { parseDumpStream, type GoroutineSink, type ParseOptions } from './parse/index.js';
import { VERSION } from '../version.js';

export interface FetchOptions {
  /** Whole-request timeout in milliseconds. Default 10 s. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 512 MiB. */
  maxBytes?: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/** A fetch failure with a message fit for the user (no stack, no HTTP client internals). */
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

class Timeout extends Error {}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err instanceof Timeout || e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no complete answer within ${timeoutMs / 1000}s (--timeout)`;
  const code = e?.code ?? e?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused: is the service running, and is net/http/pprof served on that port?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset by the service';
  return e?.cause?.message ?? e?.message ?? String(err);
}

/**
 * One deadline for the whole exchange, body included: whatever is in flight when it expires (the
 * request, a redirect, the response body) is destroyed with a Timeout.
 */
interface Deadline {
  onExpire(destroy: () => void): void;
  clear(): void;
}

function deadlineIn(ms: number): Deadline {
  let expired = false;
  const hooks: Array<() => void> = [];
  const timer = setTimeout(() => {
    expired = true;
    for (const destroy of hooks) destroy();
  }, ms);
  return {
    onExpire: (destroy) => (expired ? destroy() : void hooks.push(destroy)),
    clear: () => clearTimeout(timer),
  };
}

/** Sends a GET and resolves with the response once its headers are in, following redirects. */
function get(url: URL, deadline: Deadline, redirects = 0): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.get(url, { headers: { 'user-agent': `goroscope/${VERSION}`, 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new FetchError(`more than ${MAX_REDIRECTS} redirects`));
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:') return reject(new FetchError(`redirected to ${next.protocol} URL, which is not http(s)`));
        return resolve(get(next, deadline, redirects + 1));
      }
      resolve(res);
    });
    req.on('error', reject);
    deadline.onExpire(() => req.destroy(new Timeout()));
  });
}

/** The response body as chunks; throws FetchError on network errors, HTTP errors, timeout or size cap. */
export async function* fetchDump(input: string, options: FetchOptions = {}, onLength?: (bytes: number | null) => void): AsyncGenerator<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const url = dumpRequestUrl(input);
  const deadline = deadlineIn(timeoutMs);
  let response: http.IncomingMessage | null = null;
  try {
    try {
      response = await get(url, deadline);
    } catch (err) {
      throw new FetchError(describeFailure(err, timeoutMs));
    }
    const res = response;
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      res.resume();
      throw new FetchError(`HTTP ${status} ${res.statusMessage ?? ''}`.trim());
    }
    const encoding = String(res.headers['content-encoding'] ?? 'identity').toLowerCase();
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (encoding === 'identity' && declared > maxBytes) {
      res.resume();
      throw new FetchError(`response of ${declared} bytes is larger than --max-bytes ${maxBytes}`);
    }
    onLength?.(encoding === 'identity' && Number.isFinite(declared) ? declared : null);
    const decode = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : null;
    if (decode === null && encoding !== 'identity') throw new FetchError(`the response is encoded as ${encoding}, which goroscope cannot read`);
    const body: NodeJS.ReadableStream = decode ? res.pipe(decode) : res;
    if (decode) res.on('error', (err) => decode.destroy(err));
    deadline.onExpire(() => {
      res.destroy(new Timeout());
      decode?.destroy(new Timeout());
    });
    let received = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        received += chunk.byteLength;
        if (received > maxBytes) throw new FetchError(`response is larger than --max-bytes ${maxBytes}`);
        yield chunk;
      }
    } catch (err) {
      if (err instanceof FetchError) throw err;
      throw new FetchError(describeFailure(err, timeoutMs));
    }
    if (!res.complete) throw new FetchError('the service closed the connection before the whole response arrived');
  } finally {
    deadline.clear();
    response?.destroy();
  }
}

/** Where a dump comes from: a file path, "-" for standard input, or an http(s) URL. */
export interface ReadInputOptions extends FetchOptions {
  stdin?: NodeJS.ReadableStream;
  /** Hand goroutines to this sink instead of the returned Dump (see ParseOptions.sink). */
  sink?: GoroutineSink & { readonly records: number };
  /** Called as bytes arrive: bytes read so far and the input's size when known (file, Content-Length). */
  onProgress?: (read: number, total: number | null) => void;
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
  let total: number | null = null;
  const counted = <T extends Uint8Array>(chunks: AsyncIterable<T>): AsyncIterable<T> => (options.onProgress ? counting(chunks, () => total, options.onProgress) : chunks);
  if (isUrl(input)) {
    try {
      dump = await parseDumpStream(counted(fetchDump(input, options, (n) => (total = n))), parse);
    } catch (err) {
      throw new FetchError(`cannot fetch ${input}: ${err instanceof FetchError ? err.message : describeFailure(err, options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS)}`);
    }
  } else {
    const stream = input === '-' ? (options.stdin ?? process.stdin) : readChunks(input, (n) => (total = n));
    try {
      dump = await parseDumpStream(counted(stream as AsyncIterable<Buffer>), parse);
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
async function* readChunks(file: string, onSize?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  if (onSize) onSize((await handle.stat()).size);
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

async function* counting<T extends Uint8Array>(chunks: AsyncIterable<T>, total: () => number | null, report: (read: number, total: number | null) => void): AsyncGenerator<T> {
  let read = 0;
  for await (const chunk of chunks) {
    read += chunk.byteLength;
    report(read, total());
    yield chunk;
  }
}
