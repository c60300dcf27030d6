// Fake net/http/pprof targets for watch's benchmark and tests: one HTTP server on 127.0.0.1 that
// answers /t/<n>/debug/pprof/<endpoint> for any number of targets, each from a function of the
// endpoint and its debug parameter (recorded profiles, profiles with growth, broken answers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAnswer {
  status?: number;
  body: string | Buffer;
  contentType?: string;
  /** Milliseconds before the answer is sent (a slow target); Infinity never answers. */
  delayMs?: number;
}

/** Answers one request of a target; null is a 404. */
export type FakeHandler = (endpoint: string, debug: string | null) => FakeAnswer | null;

export class FakeTargets {
  private readonly handlers = new Map<number, FakeHandler>();
  /** Requests served, by endpoint ("goroutine?debug=1", "heap?debug=1", ...). */
  readonly hits = new Map<string, number>();
  private readonly servers: http.Server[] = [];

  private constructor(ports: number) {
    for (let i = 0; i < ports; i++) {
      const server = http.createServer((req, res) => this.serve(req, res));
      server.keepAliveTimeout = 60_000;
      this.servers.push(server);
    }
  }

  /** Listens on `ports` ports of 127.0.0.1: targets spread over them as over hosts of their own. */
  static async start(ports = 1): Promise<FakeTargets> {
    const f = new FakeTargets(ports);
    await Promise.all(f.servers.map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
    return f;
  }

  get ports(): number[] {
    return this.servers.map((s) => (s.address() as AddressInfo).port);
  }

  /** The goroutine profile URL of target n (on port n modulo the number of ports). */
  url(n: number): string {
    const ports = this.ports;
    return `http://127.0.0.1:${ports[n % ports.length]}/t/${n}/debug/pprof/goroutine`;
  }

  set(n: number, handler: FakeHandler): void {
    this.handlers.set(n, handler);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const m = /^\/t\/(\d+)\/debug\/pprof\/(.*)$/.exec(url.pathname);
    const handler = m ? this.handlers.get(Number(m[1])) : undefined;
    const endpoint = m?.[2] ?? '';
    const debug = url.searchParams.get('debug');
    const key = `${endpoint}${debug === null ? '' : `?debug=${debug}`}`;
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
    const answer = handler ? handler(endpoint, debug) : null;
    const send = () => {
      if (answer === null) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/plain; charset=utf-8' }).end(answer.body);
    };
    if (answer?.delayMs === Infinity) return;
    if (answer?.delayMs) setTimeout(send, answer.delayMs);
    else send();
  }
}

/** A heap profile's debug=1 tail with the allocation counters watch reads to tell restarts. */
export function heapAnswer(mallocs: number, numGC: number): FakeAnswer {
  return { body: `heap profile: 0: 0 [0: 0] @ heap/1048576\n\n# runtime.MemStats\n# Mallocs = ${mallocs}\n# Frees = 0\n# NumGC = ${numGC}\n` };
}

/**
 * A debug=1 goroutine profile from records of (count, function, file, line); the PCs are made up
 * per record, as the runtime prints them.
 */
export function debug1Profile(records: ReadonlyArray<{ count: number; func: string; file: string; line: number }>, header = 'goroutine'): string {
  const total = records.reduce((s, r) => s + r.count, 0);
  const parts = [`${header} profile: total ${total}`];
  records.forEach((r, i) => {
    if (r.count === 0) return;
    const pc = (0x4a0000 + i * 0x100).toString(16);
    parts.push(`${r.count} @ 0x43b356 0x${pc} 0x46b661\n#\t0x${pc}\t${r.func}+0x2d\t${r.file}:${r.line}\n`);
  });
  return `${parts.join('\n')}\n`;
}
