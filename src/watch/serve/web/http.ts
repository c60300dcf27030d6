// Reading the API. The browser's HTTP cache revalidates with the answer's ETag (the server says
// no-cache), so an unchanged answer costs a 304; `changed` tells the view whether to redraw.
import type { ApiErrorJson } from './api-types.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const seen = new Map<string, string>();

export async function getJson<T>(url: string): Promise<{ data: T; changed: boolean }> {
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-cache', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiFailure(0, 'the watch does not answer (stopped, or the network is down)');
  }
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      message = ((await res.json()) as ApiErrorJson).error || message;
    } catch {
      /* not JSON: keep the status */
    }
    throw new ApiFailure(res.status, message);
  }
  const etag = res.headers.get('etag') ?? '';
  const changed = etag === '' || seen.get(url) !== etag;
  seen.set(url, etag);
  return { data: (await res.json()) as T, changed };
}

/** Forgets what was seen, so that a view mounted again draws its first answer. */
export function forget(url: string): void {
  seen.delete(url);
}
