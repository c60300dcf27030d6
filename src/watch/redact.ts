// Credentials in target URLs (user:password@, tokens in the query) are used for requests and never
// shown: target names drop them, and every message that leaves watch (logs, reports, the database,
// webhooks) goes through a scrubber that knows the secrets, in case an error message quotes one.

/** Query parameters whose values are treated as secrets. */
const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential|session|bearer/i;
const MASK = '***';

/** The URL as shown: no user or password, secret-looking query values masked. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  for (const [name] of [...shown.searchParams]) {
    if (SECRET_PARAM.test(name)) shown.searchParams.set(name, MASK);
  }
  // URLSearchParams encodes "***" as "%2A%2A%2A"; show it as written.
  return shown.href.replaceAll('%2A%2A%2A', MASK);
}

/** The secrets a URL carries (user, password, secret query values), decoded and as written. */
export function secretsOf(url: URL): string[] {
  const out: string[] = [];
  const add = (s: string) => {
    if (s.length === 0) return;
    out.push(s);
    try {
      const decoded = decodeURIComponent(s);
      if (decoded !== s) out.push(decoded);
    } catch {
      /* not percent-encoded */
    }
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out.push(encoded);
  };
  add(url.username);
  add(url.password);
  for (const [name, value] of url.searchParams) if (SECRET_PARAM.test(name)) add(value);
  return out;
}

/**
 * Secrets shorter than this are not searched for in free text: replacing every "u" of a log line
 * would destroy it. They are never written in the first place (names drop credentials).
 */
export const MIN_SCRUBBED_LENGTH = 4;

/** Replaces every known secret in text with "***". */
export class Scrubber {
  private secrets: string[] = [];

  add(secrets: readonly string[]): void {
    for (const s of secrets) if (s.length >= MIN_SCRUBBED_LENGTH && !this.secrets.includes(s)) this.secrets.push(s);
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }
}
