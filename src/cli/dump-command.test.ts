// End-to-end tests of the built CLI: `goroscope dump` and `goroscope diff` as a user runs them.
// They use dist/ (npm test builds first); a missing build is made once here.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT, SHARED_DIR, sharedUnavailable } from '../testing/env.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/main.js');
const CORPUS = path.join(SHARED_DIR, 'testdata/dumps/generated/go1.23');
const STACK_ALL = path.join(CORPUS, 'runtime_stack_all.txt');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

beforeAll(() => {
  if (!existsSync(CLI)) {
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', REPO_ROOT], { stdio: 'ignore' });
    } catch {
      /* tsc still emits when another module has type errors; the check below decides */
    }
  }
  if (!existsSync(CLI)) throw new Error(`no built CLI at ${CLI}: run npx tsc -p .`);
}, 120_000);

/** Checks a `dump --format json` document against the schema documented in docs/dump.md. */
function expectDumpSchema(doc: any): void {
  expect(doc.version).toBe(1);
  expect(typeof doc.tool).toBe('string');
  expect(Number.isInteger(doc.goroutines)).toBe(true);
  for (const s of doc.sections) {
    expect(['traceback', 'pprof-debug1', 'pprof-proto']).toContain(s.format);
    expect(Number.isInteger(s.goroutines)).toBe(true);
  }
  const ref = (r: any) => {
    expect(typeof r.func).toBe('string');
    expect(typeof r.file).toBe('string');
    expect(Number.isInteger(r.line)).toBe(true);
  };
  let sum = 0;
  for (const g of doc.groups) {
    sum += g.count;
    expect(typeof g.state).toBe('string');
    expect(typeof g.kind).toBe('string');
    for (const w of [g.waitMinutes.min, g.waitMinutes.max]) expect(w === null || typeof w === 'number').toBe(true);
    g.frames.forEach(ref);
    if (g.location !== null) ref(g.location);
    if (g.createdBy !== null) ref(g.createdBy);
    expect(typeof g.labels).toBe('object');
    if (g.suspect !== null) {
      expect(['definite', 'likely']).toContain(g.suspect.level);
      expect(typeof g.suspect.reason).toBe('string');
    }
  }
  expect(sum).toBe(doc.goroutines);
  for (const s of doc.skipped) expect(typeof s.line === 'number' && typeof s.reason === 'string').toBe(true);
}

const headerCount = (text: string) => (text.match(/^goroutine \d+ .*\[/gm) ?? []).length;

describe.skipIf(sharedUnavailable())('goroscope dump (built CLI, corpus)', () => {
  it('writes JSON matching the schema, counting every goroutine, and exits 1 on suspects', async () => {
    const r = await run(['dump', '--format', 'json', STACK_ALL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expectDumpSchema(doc);
    expect(doc.goroutines).toBe(headerCount(readFileSync(STACK_ALL, 'utf8')));
    expect(doc.groups[0].suspect.level).toBe('definite');
  });

  it('reads standard input with -', async () => {
    const r = await run(['dump', '--format', 'json', '-'], readFileSync(STACK_ALL, 'utf8'));
    expect(JSON.parse(r.stdout).goroutines).toBe(104);
  });

  it('merges several inputs, keeping their sections apart', async () => {
    const r = await run(['dump', '--format', 'json', STACK_ALL, path.join(CORPUS, 'pprof_goroutine_debug1.txt')]);
    const doc = JSON.parse(r.stdout);
    expect(doc.sections.map((s: any) => s.format)).toEqual(['traceback', 'pprof-debug1']);
    expect(doc.goroutines).toBe(104 + 108);
  });

  it('reports a missing file as one line, goes on with the other inputs, and exits 2', async () => {
    const r = await run(['dump', '/nonexistent/dump.txt', STACK_ALL]);
    expect(r.stderr).toBe('goroscope: cannot read /nonexistent/dump.txt: no such file or directory\n');
    expect(r.stdout).toMatch(/^104 goroutines in \d+ groups/);
    expect(r.code).toBe(2);
  });

  it('prints text with suspects first', async () => {
    const r = await run(['dump', STACK_ALL]);
    const firstGroup = r.stdout.split('\n\n')[1]!;
    expect(firstGroup).toMatch(/^DEFINITE LEAK/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR
  });
});

describe('goroscope dump (built CLI, small inputs)', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-cli-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('exits 0 without suspects', async () => {
    const file = path.join(tmp, 'clean.txt');
    writeFileSync(file, 'goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n');
    const r = await run(['dump', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no leak suspects');
  });

  it('says when an input holds no dump, exit 2', async () => {
    const file = path.join(tmp, 'notes.txt');
    writeFileSync(file, 'hello\n');
    const r = await run(['dump', file]);
    expect(r.stderr).toMatch(/^goroscope: cannot read .*notes\.txt: no goroutine dump found in it/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
  });

  it('reads a debug=1 fragment pasted from a chat (no profile line, indented, CRLF) in every format, and diffs it', async () => {
    const fragment = path.join(REPO_ROOT, 'src/dump/parse/testdata/debug1_fragment_pasted.txt');
    const [text, json, html] = await Promise.all(['text', 'json', 'html'].map((format) => run(['dump', '--format', format, fragment])));
    expect(text.stdout).toMatch(/^1207 goroutines in 2 groups \(1 section: pprof-debug1\)/);
    expect(text.stdout).toContain('main.startLeaks.func4 (/srv/shop/main.go:95)');
    const doc = JSON.parse(json.stdout);
    expectDumpSchema(doc);
    expect(doc.groups.map((g: any) => [g.count, g.location.func])).toEqual([
      [1204, 'main.startLeaks.func10'],
      [3, 'main.startLeaks.func4'],
    ]);
    expect(html.stdout).toContain('main.startLeaks.func4');
    expect([text.code, json.code, html.code]).toEqual([0, 0, 0]);
    const grown = path.join(tmp, 'grown-fragment.txt');
    writeFileSync(grown, readFileSync(fragment, 'utf8').replace('1204 @', '2400 @'));
    const [same, diff] = await Promise.all([run(['diff', fragment, fragment]), run(['diff', '--format', 'json', fragment, grown])]);
    expect(same.code).toBe(0);
    expect(diff.code).toBe(1);
    expect(JSON.parse(diff.stdout).groups.map((g: any) => [g.before, g.after, g.location.func])).toEqual([[1204, 2400, 'main.startLeaks.func10']]);
  });

  it('rejects a bad option value with exit 2', async () => {
    const r = await run(['dump', '--min-wait', 'soon', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--min-wait takes a number of at least 0, not "soon"');
    expect(r.stderr).toContain('usage: goroscope dump [options] [inputs...]');
  });
});

describe.skipIf(sharedUnavailable())('goroscope dump URL input', () => {
  let server: http.Server;
  let base = '';
  const seen: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/slow/debug/pprof/goroutine') return; // never answers
      if (url.pathname !== '/debug/pprof/goroutine') {
        res.writeHead(404).end('404 page not found\n');
        return;
      }
      const debug = url.searchParams.get('debug');
      const file = debug === '0' ? 'pprof_goroutine_debug0.pb.gz' : debug === '1' ? 'pprof_goroutine_debug1.txt' : 'pprof_goroutine_debug2.txt';
      res.writeHead(200).end(readFileSync(path.join(CORPUS, file)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches with debug=2 by default', async () => {
    const r = await run(['dump', '--format', 'json', `${base}/debug/pprof/goroutine`]);
    expect(seen.at(-1)).toBe('/debug/pprof/goroutine?debug=2');
    const doc = JSON.parse(r.stdout);
    expectDumpSchema(doc);
    expect(doc.goroutines).toBe(headerCount(readFileSync(path.join(CORPUS, 'pprof_goroutine_debug2.txt'), 'utf8')));
    expect(r.code).toBe(1);
  });

  it('keeps a debug value the URL already sets (gzipped protobuf for debug=0)', async () => {
    const r = await run(['dump', '--format', 'json', `${base}/debug/pprof/goroutine?debug=0`]);
    expect(seen.at(-1)).toBe('/debug/pprof/goroutine?debug=0');
    expect(JSON.parse(r.stdout).sections[0].format).toBe('pprof-proto');
  });

  it('reports HTTP errors, timeouts and the size cap as one line, exit 2', async () => {
    const [notFound, slow, big] = await Promise.all([
      run(['dump', `${base}/nope`]),
      run(['dump', '--timeout', '300ms', `${base}/slow/debug/pprof/goroutine`]),
      run(['dump', '--max-bytes', '1000', `${base}/debug/pprof/goroutine`]),
    ]);
    expect(notFound.stderr).toBe(`goroscope: cannot fetch ${base}/nope: HTTP 404 Not Found\n`);
    expect(notFound.code).toBe(2);
    expect(slow.stderr).toMatch(/no complete answer within 0.3s \(--timeout\)/);
    expect(slow.code).toBe(2);
    expect(big.stderr).toMatch(/larger than --max-bytes 1000/);
    expect(big.code).toBe(2);
  });

  it('says the service is down when nothing listens, exit 2', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await run(['dump', `http://127.0.0.1:${port}/debug/pprof/goroutine`]);
    expect(r.stderr).toBe(`goroscope: cannot fetch http://127.0.0.1:${port}/debug/pprof/goroutine: connection refused: is the service running, and is net/http/pprof served on that port?\n`);
    expect(r.code).toBe(2);
  });
});

/** A leaky traceback: `n` goroutines blocked in two places, `depth` frames of handlers above each. */
function tracebackDump(n: number, depth = 0): string {
  let text = '';
  const handlers = Array.from({ length: depth }, (_, d) => `main.handler${d}(0xc000${d}0000, 0x${d}f)\n\t/srv/app/handlers.go:${100 + d} +0x${(d * 7).toString(16)}\n`).join('');
  for (let i = 0; i < n; i++) {
    const id = i + 1;
    text +=
      i % 2 === 0
        ? `goroutine ${id} [chan send, 12 minutes]:\nmain.produce(0xc000012345)\n\t/srv/app/produce.go:21 +0x3d\n${handlers}created by main.start in goroutine 1\n\t/srv/app/main.go:14 +0x5a\n\n`
        : `goroutine ${id} [select]:\nmain.(*Server).loop(0xc0000a4000)\n\t/srv/app/server.go:88 +0x11f\n${handlers}created by main.(*Server).Start in goroutine 1\n\t/srv/app/server.go:40 +0x8e\n\n`;
  }
  return text;
}

// Node's fetch() refuses some ports outright ("bad ports": 6000, 6665-6669, 10080...), which real
// services and port-forwards use; goroscope reads URLs with node:http, which has no such list.
describe('goroscope dump URL input on any port', () => {
  let server: http.Server | null = null;
  let port = 0;
  const BAD_PORTS = [6000, 6667, 10080];
  beforeAll(async () => {
    const body = tracebackDump(6);
    const handler: http.RequestListener = (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/moved') return void res.writeHead(302, { location: '/debug/pprof/goroutine' }).end();
      if (url.pathname === '/gzipped') return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    };
    for (const p of BAD_PORTS) {
      const s = http.createServer(handler);
      const ok = await new Promise<boolean>((resolve) => {
        s.once('error', () => resolve(false));
        s.listen(p, '127.0.0.1', () => resolve(true));
      });
      if (ok) {
        server = s;
        port = p;
        break;
      }
    }
  });
  afterAll(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
  });

  it('reads a dump from a port fetch() refuses, follows redirects and decodes gzip', async (ctx) => {
    if (!server) ctx.skip(`ports ${BAD_PORTS.join(', ')} on 127.0.0.1 are all taken: cannot test a port fetch() refuses`);
    const url = `http://127.0.0.1:${port}`;
    await expect(fetch(`${url}/debug/pprof/goroutine`)).rejects.toThrow(); // what goroscope used to hit
    for (const pathname of ['/debug/pprof/goroutine', '/moved', '/gzipped']) {
      const r = await run(['dump', '--format', 'json', `${url}${pathname}`]);
      expect(r.stderr, pathname).toBe('');
      expect(JSON.parse(r.stdout).goroutines, pathname).toBe(6);
      expect(r.code).toBe(1);
    }
  });
});

// The README promises that inputs of any size stream. A gzipped text dump used to be unpacked
// whole (and refused past 512 MiB); now it is parsed as it unpacks. The input here is gzip
// members of one 4 MiB block, concatenated: 520 MiB unpacked from a file of a few hundred KiB.
describe.skipIf(process.platform !== 'linux')('goroscope dump of a gzipped dump larger than memory would allow to buffer', () => {
  let tmp = '';
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'goroscope-gz-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('streams it: every goroutine counted, peak RSS far below the unpacked size', async () => {
    // Deep stacks: a realistic byte count per goroutine, and fewer goroutines to count.
    const perBlock = 2000;
    const block = tracebackDump(perBlock, 30);
    const blockBytes = Buffer.byteLength(block);
    const member = gzipSync(block, { level: 9 });
    const copies = Math.ceil((520 * 1024 * 1024) / blockBytes);
    const file = path.join(tmp, 'big.txt.gz');
    const out = createWriteStream(file);
    for (let i = 0; i < copies; i++) if (!out.write(member)) await new Promise((r) => out.once('drain', r));
    await new Promise((r) => out.end(r));
    const child = spawn(process.execPath, [CLI, 'dump', '--format', 'json', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // VmHWM is the process's peak resident set so far: the last reading before exit is its peak.
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        /* exited */
      }
    }, 25);
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(poll);
    const unpackedMiB = (blockBytes * copies) / 1024 ** 2;
    console.log(`gzipped dump: ${(member.length * copies / 1024).toFixed(0)} KiB packed, ${unpackedMiB.toFixed(0)} MiB unpacked, ${copies * perBlock} goroutines: ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${(peakKiB / 1024).toFixed(0)} MiB`);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.goroutines).toBe(copies * perBlock);
    expect(doc.groups.map((g: { count: number }) => g.count)).toEqual([(copies * perBlock) / 2, (copies * perBlock) / 2]);
    expect(peakKiB).toBeGreaterThan(0);
    expect(peakKiB / 1024).toBeLessThan(300);
  }, 180_000);
});
