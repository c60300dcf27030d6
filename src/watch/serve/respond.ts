// How the dashboard and its API answer: security headers on every answer, JSON bodies whose every
// string from a target went through the scrubber, and ETags so that a page polling for changes
// gets 304 Not Modified until the next sample changes something.
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Scrubber } from '../redact.js';

/**
 * No inline script or style, nothing from another origin: text from a target that slipped into
 * markup could not run. uPlot sizes its elements through the CSSOM (element.style), which a
 * style-src without 'unsafe-inline' allows.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

/** A body ready to send, with its ETag (a hash of the bytes). */
export interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
  etag: string;
}

export function answerOf(status: number, contentType: string, body: string | Buffer): Answer {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return { status, contentType, body: bytes, etag: `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"` };
}

/** JSON of `value` with every string (keys too) passed through the scrubber. */
export function jsonAnswer(status: number, value: unknown, scrubber: Scrubber): Answer {
  return answerOf(status, 'application/json; charset=utf-8', JSON.stringify(scrubbed(value, scrubber)));
}

function scrubbed(value: unknown, scrubber: Scrubber): unknown {
  if (typeof value === 'string') return scrubber.scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubbed(v, scrubber));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[scrubber.scrub(k)] = scrubbed(v, scrubber);
    return out;
  }
  return value;
}

/** Whether the request's If-None-Match names this ETag. */
function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends an answer: 304 when the client has it already; `cache` is the Cache-Control value
 * ("no-cache": revalidate every time, which a 304 makes cheap).
 */
export function send(req: IncomingMessage, res: ServerResponse, a: Answer, cache = 'no-cache'): void {
  const headers: OutgoingHttpHeaders = { ...SECURITY_HEADERS, 'cache-control': cache };
  if (a.status === 200) headers.etag = a.etag;
  if (a.status === 200 && notModified(req, a.etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(a.status, { ...headers, 'content-type': a.contentType, 'content-length': a.body.length }).end(a.body);
}

/** An error answer of the API: {"error": message}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
