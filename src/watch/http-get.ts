// HTTP GET of one profile into memory, with a deadline and a size cap. node:http with keep-alive
// agents rather than fetch(): a watch repeats small requests to the same hosts forever, and
// fetch() costs about twice the CPU per request (bench/watch.ts prints both); it also refuses URLs
// with credentials, which are sent here as an Authorization header.
import http from 'node:http';
import https from 'node:https';

export interface GetOptions {
  timeoutMs: number;
  maxBytes: number;
  authorization?: string | null;
}

/** A failed read, with a message fit for the user; `status` for HTTP errors. */
export class ReadError extends Error {
  override name = 'ReadError';
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

// Connections kept per origin: a few targets may share one (a proxy, several paths of one host).
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 8, maxFreeSockets: 4 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 8, maxFreeSockets: 4 }),
};

function hint(status: number): string {
  if (status === 404) return ': not found (is net/http/pprof served at this path?)';
  if (status === 401 || status === 403) return ': not allowed (credentials?)';
  return '';
}

function describe(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return err.code ? `${err.code}` : err.message;
  }
}

export function httpGet(url: URL, options: GetOptions): Promise<Buffer> {
  const client = url.protocol === 'https:' ? https : http;
  const agent = agents[url.protocol as 'http:' | 'https:'];
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string, status: number | null = null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new ReadError(message, status));
    };
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (options.authorization) headers.authorization = options.authorization;
    const req = client.get(url, { agent, headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (status !== 200) {
        res.resume();
        fail(`HTTP ${status}${hint(status)}`, status);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) fail(`answer larger than --max-bytes (${options.maxBytes} bytes)`);
        else chunks.push(chunk);
      });
      res.on('end', () => {
        if (settled) return;
        if (!res.complete) return fail('answer cut short');
        settled = true;
        clearTimeout(timer);
        resolve(Buffer.concat(chunks, size));
      });
      res.on('aborted', () => fail('answer cut short'));
      res.on('error', (err) => fail(describe(err)));
    });
    const timer = setTimeout(() => fail(`no complete answer within ${options.timeoutMs} ms (--timeout)`), options.timeoutMs);
    req.on('error', (err) => fail(describe(err)));
  });
}
