// What can be watched, as the user writes it:
//   http(s)://HOST:PORT/debug/pprof/goroutine  net/http/pprof (the /debug/pprof/ base, or a bare
//                                               http://HOST:PORT, means the same)
//   gops://HOST:PORT                            a gops agent (TCP protocol)
//   PID                                         a local process's gops agent, found by its port file
import { displayUrl, secretsOf } from './redact.js';

export type TargetKind = 'pprof' | 'gops' | 'pid';

interface TargetBase {
  /** How the target is shown everywhere (reports, logs, the database): no credentials. */
  name: string;
  /** Credentials the spec carries, for the scrubber. */
  secrets: string[];
}

export interface PprofTarget extends TargetBase {
  kind: 'pprof';
  /** The goroutine profile's URL without user info and without a debug parameter. */
  url: URL;
  /** "Basic ..." when the URL carried user:password. */
  authorization: string | null;
}

export interface GopsTarget extends TargetBase {
  kind: 'gops';
  host: string;
  port: number;
}

export interface PidTarget extends TargetBase {
  kind: 'pid';
  pid: number;
}

export type Target = PprofTarget | GopsTarget | PidTarget;

/** A target spec that cannot be watched; the message says why (never quoting credentials). */
export class TargetError extends Error {
  override name = 'TargetError';
}

export function parseTarget(spec: string): Target {
  const text = spec.trim();
  if (/^\d+$/.test(text)) {
    const pid = Number(text);
    if (!Number.isSafeInteger(pid) || pid < 1) throw new TargetError(`"${text}" is not a process ID`);
    return { kind: 'pid', pid, name: `pid:${pid}`, secrets: [] };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'gops') return parseGops(text);
  if (scheme === 'http' || scheme === 'https') return parsePprof(text);
  // Echo only what cannot be a credential: a scheme, or a word without "@" or ":".
  const shown = scheme ? `"${scheme}://..." is` : /^[\w.-]+$/.test(text) ? `"${text}" is` : 'this is';
  throw new TargetError(`${shown} not a target: give http(s)://HOST:PORT/debug/pprof/goroutine, gops://HOST:PORT or a process ID`);
}

function parseGops(text: string): GopsTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError('a gops target is gops://HOST:PORT');
  }
  const port = Number(url.port);
  if (!url.hostname || !Number.isInteger(port) || port < 1 || (url.pathname !== '' && url.pathname !== '/')) {
    throw new TargetError(`a gops target is gops://HOST:PORT, not ${displayUrl(url)}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { kind: 'gops', host, port, name: `gops://${url.host}`, secrets: secretsOf(url) };
}

function parsePprof(text: string): PprofTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError('not a valid URL');
  }
  const secrets = secretsOf(url);
  const authorization =
    url.username || url.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
      : null;
  url.username = '';
  url.password = '';
  url.hash = '';
  url.searchParams.delete('debug');
  const path = url.pathname;
  if (path === '' || path === '/') url.pathname = '/debug/pprof/goroutine';
  else if (/\/debug\/pprof\/?$/.test(path)) url.pathname = `${path.replace(/\/$/, '')}/goroutine`;
  else if (/\/goroutineleak\/?$/.test(path)) throw new TargetError(`give the goroutine profile (${displayUrl(url).replace(/goroutineleak\/?(?=$|\?)/, 'goroutine')}); the goroutineleak profile is read with --leak-profile`);
  else if (!/\/goroutine\/?$/.test(path)) throw new TargetError(`${displayUrl(url)} is not a goroutine profile: give .../debug/pprof/goroutine or the /debug/pprof/ base`);
  url.pathname = url.pathname.replace(/\/$/, '');
  return { kind: 'pprof', url, authorization, name: displayUrl(url), secrets };
}

/** The URL of another net/http/pprof endpoint next to the target's goroutine profile. */
export function siblingUrl(target: PprofTarget, endpoint: string, debug: number | null): URL {
  const url = new URL(target.url.href);
  url.pathname = url.pathname.replace(/goroutine$/, endpoint);
  if (debug !== null) url.searchParams.set('debug', String(debug));
  return url;
}
