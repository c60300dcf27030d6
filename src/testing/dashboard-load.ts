// People's browsers on the watch dashboard, as the watch's server sees them: what the dashboard
// test and `npm run bench:dashboard` load the watch with to see whether sampling stays on time.
//
// Each client is one browser with its own connections and cache, showing one view. Its first visit
// has an empty cache: the shell, every asset and module the page loads, the view's API answer. Then
// it reloads every second, and a reload asks only for the shell and the API answer, both revalidated
// with the ETag the client holds (304 when unchanged): assets are immutable, so Chromium takes them
// from its cache without asking (the browser test checks this in real Chromium). This stands in for
// 20 Chromium renderers, which on the watch's own small machine would measure the machine's CPU
// shortage rather than what serving costs the watch.
import http from 'node:http';
import { quantileOfSorted as quantile } from '../watch/watcher.js';

export interface LoadFigures {
  clients: number;
  /** Page loads completed (first visits and reloads). */
  pageLoads: number;
  requests: number;
  /** Requests answered 304 Not Modified. */
  notModified: number;
  /** Time of a reload (the shell, then the view's API answer), in ms. */
  reloadP50Ms: number;
  reloadP95Ms: number;
  reloadMaxMs: number;
  /** The longest first visit (the shell, every asset, the API answer), in ms. */
  firstVisitMaxMs: number;
  /** Answers that were not 200 or 304. */
  failures: string[];
}

interface Got {
  status: number;
  etag: string | null;
  body: string;
}

function get(agent: http.Agent, url: string, etag: string | null = null): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: etag ? { 'if-none-match': etag } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: (res.headers.etag as string | undefined) ?? null, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * Every path a first visit loads besides the shell: what the shell's tags name, and every module
 * the page's modules import, followed (as the browser finds them).
 */
export async function firstVisitAssets(base: string): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: false });
  const html = (await get(agent, `${base}/`)).body;
  const out = [...new Set([...html.matchAll(/(?:src|href)="(assets\/[^"]+)"/g)].map((m) => `/${m[1]}`))];
  for (let i = 0; i < out.length; i++) {
    if (!out[i]!.endsWith('.js') || !out[i]!.includes('/app/')) continue;
    const module = await get(agent, `${base}${out[i]}`);
    if (module.status !== 200) throw new Error(`${out[i]}: HTTP ${module.status}`);
    for (const m of module.body.matchAll(/from '(\.\.?\/[^']+)'/g)) {
      const next = new URL(m[1]!, `http://x${out[i]}`).pathname;
      if (!out.includes(next)) out.push(next);
    }
  }
  return out;
}

/**
 * `clients` browsers, client i showing the view whose API path is apiPaths[i % n], each reloading
 * every `everyMs` for `durationMs` after its first visit; each starts at its own moment within the
 * first period, as independent people would.
 */
export async function refreshingBrowsers(base: string, apiPaths: readonly string[], clients: number, durationMs: number, everyMs = 1000): Promise<LoadFigures> {
  const assets = await firstVisitAssets(base);
  const reloads: number[] = [];
  let firstVisitMaxMs = 0;
  const failures: string[] = [];
  let requests = 0;
  let notModified = 0;
  const until = Date.now() + durationMs;
  const check = (path: string, got: Got) => {
    requests++;
    if (got.status === 304) notModified++;
    else if (got.status !== 200) failures.push(`${path}: HTTP ${got.status}`);
  };

  const client = async (i: number) => {
    // A browser opens up to six connections to a host and keeps them.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const api = apiPaths[i % apiPaths.length]!;
    let shellTag: string | null = null;
    let apiTag: string | null = null;
    await new Promise((r) => setTimeout(r, (i * everyMs) / clients));
    try {
      for (let first = true; first || Date.now() < until; first = false) {
        const started = Date.now();
        const shell = await get(agent, `${base}/`, shellTag);
        check('/', shell);
        shellTag = shell.etag ?? shellTag;
        if (first) await Promise.all(assets.map(async (p) => check(p, await get(agent, `${base}${p}`))));
        const answer = await get(agent, `${base}${api}`, apiTag);
        check(api, answer);
        apiTag = answer.etag ?? apiTag;
        if (first) firstVisitMaxMs = Math.max(firstVisitMaxMs, Date.now() - started);
        else reloads.push(Date.now() - started);
        await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - started))));
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  reloads.sort((a, b) => a - b);
  return {
    clients,
    pageLoads: clients + reloads.length,
    requests,
    notModified,
    reloadP50Ms: quantile(reloads, 0.5),
    reloadP95Ms: quantile(reloads, 0.95),
    reloadMaxMs: reloads.at(-1) ?? 0,
    firstVisitMaxMs,
    failures,
  };
}
