// End-to-end tests of the built CLI: `goroscope dump` and `goroscope diff` as a user runs them.
// They use dist/ (npm test builds first); a missing build is made once here.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
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
    expect(r.stderr).toContain('--min-wait must be a number');
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
