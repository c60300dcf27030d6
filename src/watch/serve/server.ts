// The HTTP server of `goroscope watch --serve ADDR`: one node:http server shared by everything
// that reads the watch's state over HTTP (Prometheus metrics, the dashboard and its JSON API).
// Each of those contributes routes; this module only binds, dispatches and answers errors.
//
// Loopback by default: the state holds stack traces, file paths and target names, so a
// non-loopback address must be asked for with --serve-public.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { Scrubber } from '../redact.js';
import type { WatchStore } from '../store.js';
import type { WatchSettings } from '../target-watch.js';
import type { Watcher } from '../watcher.js';

/** What a route may read: the live watcher, its history and settings. Read-only by contract. */
export interface ServeContext {
  watcher: Watcher;
  store: WatchStore;
  settings: WatchSettings;
  /** Every text a route sends that came from a target must go through scrub (credentials). */
  scrubber: Scrubber;
  /** Groups per target with a /metrics series of their own (--metrics-top; default 20). */
  metricsTop?: number;
}

/**
 * What every server's context has. `watch --serve` passes a ServeContext; `goroscope serve` (the
 * stateless prober, no watcher) a context of its own.
 */
export interface BaseContext {
  scrubber: Scrubber;
}

export type RouteHandler<C extends BaseContext = ServeContext> = (req: IncomingMessage, res: ServerResponse, url: URL, ctx: C) => void | Promise<void>;

export interface Route<C extends BaseContext = ServeContext> {
  /** An exact path ("/metrics") or a pattern whose groups the handler reads from url.pathname. */
  path: string | RegExp;
  handler: RouteHandler<C>;
  /**
   * Called once with the context when the server starts, before it listens: a route that counts
   * events between requests (the metrics' sample histogram) subscribes here.
   */
  start?(ctx: C): void;
}

export interface ServeAddress {
  host: string;
  port: number;
}

export class ServeAddressError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Whether a host name or address is this machine's loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || (isIP(host) === 4 && /^127\./.test(host));
}

/** The flag names a message about the address quotes (`goroscope serve` has its own). */
export interface AddressFlags {
  listen: string;
  public: string;
}

/**
 * Parses --serve: "HOST:PORT", "[V6]:PORT" or ":PORT" / "PORT" (loopback). A host that is not a
 * loopback address is refused unless `allowPublic` (--serve-public).
 */
export function parseServeAddress(spec: string, allowPublic: boolean, flags: AddressFlags = { listen: '--serve', public: '--serve-public' }): ServeAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(spec) ?? /^()()(\d+)$/.exec(spec);
  if (!m) throw new ServeAddressError(`${flags.listen} takes HOST:PORT (e.g. 127.0.0.1:9464), not "${spec}"`);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeAddressError(`${flags.listen}: port ${m[3]} is out of range`);
  if (m[1] !== undefined && isIP(host) !== 6) throw new ServeAddressError(`${flags.listen}: [${host}] is not an IPv6 address`);
  if (!isLoopbackHost(host) && !allowPublic) {
    throw new ServeAddressError(`${flags.listen} ${spec} would listen beyond this machine and show stack traces, file paths and target names to anyone who can reach it: add ${flags.public} to mean it`);
  }
  return { host, port };
}

export interface RunningServer {
  /** The base URL actually bound (port 0 resolved). */
  url: string;
  close(): Promise<void>;
}

function match(route: { path: string | RegExp }, pathname: string): boolean {
  return typeof route.path === 'string' ? route.path === pathname : route.path.test(pathname);
}

/** Starts the server; resolves once it listens, rejects with the bind error. */
export async function startServer<C extends BaseContext = ServeContext>(addr: ServeAddress, routes: readonly Route<C>[], ctx: C): Promise<RunningServer> {
  for (const route of routes) route.start?.(ctx);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed: this server is read-only\n');
      return;
    }
    const route = routes.find((r) => match(r, url.pathname));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    Promise.resolve()
      .then(() => route.handler(req, res, url, ctx))
      .catch((err: unknown) => {
        // One failing request never stops the watch; the message is scrubbed like any other text.
        const message = ctx.scrubber.scrub(err instanceof Error ? err.message : String(err));
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`internal error: ${message}\n`);
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : addr.port;
  const host = isIP(addr.host) === 6 ? `[${addr.host}]` : addr.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
