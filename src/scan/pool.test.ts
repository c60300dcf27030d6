// The pool's scheduling and failure handling, with small stand-in worker scripts (the real
// worker needs the compiled dist/ and is exercised by src/cli/e2e.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { PackageJob, PackageOutcome } from './analyze.js';
import { runPool } from './pool.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function workerScript(name: string, body: string): URL {
  const file = path.join(dir, name);
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\nparentPort.on('message', (msg) => {\n${body}\n});\n`);
  return pathToFileURL(file);
}

const job = (d: string): PackageJob => ({ dir: d, files: [], goVersion: null, modulePath: null, maxFileSize: 1 });
const jobs = ['p0', 'p1', 'p2', 'p3', 'p4'].map(job);

async function collect(url: URL, workers = 2) {
  const results = new Map<string, PackageOutcome>();
  const stats = await runPool(jobs, [{ id: 'r', severity: 'error' }], { workers, workerUrl: url, onResult: (i, o) => results.set(jobs[i]!.dir, o) });
  return { results, stats };
}

describe('runPool', () => {
  it('sends every job once and collects the outcomes', async () => {
    const url = workerScript('echo.mjs', `parentPort.postMessage({ type: 'done', id: msg.id, peakHeap: 1000, outcome: { findings: [], errors: [{ file: msg.job.dir, line: 1, message: msg.rules[0].id }] } });`);
    const { results, stats } = await collect(url);
    expect([...results.keys()].sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(results.get('p3')!.errors).toEqual([{ file: 'p3', line: 1, message: 'r' }]);
    expect(stats.workers).toBe(2);
    expect(stats.peakHeapPerWorker).toEqual([1000, 1000]);
  });

  it('turns a failed job into an error and keeps going', async () => {
    const url = workerScript('fail.mjs', `if (msg.job.dir === 'p1') parentPort.postMessage({ type: 'failed', id: msg.id, message: 'nope' }); else parentPort.postMessage({ type: 'done', id: msg.id, peakHeap: 0, outcome: { findings: [], errors: [] } });`);
    const { results } = await collect(url);
    expect(results.size).toBe(5);
    expect(results.get('p1')!.errors).toEqual([{ file: 'p1', line: 0, kind: 'internal', message: 'internal error: nope' }]);
  });

  it('replaces a worker that dies and reports only its package', async () => {
    const url = workerScript('crash.mjs', `if (msg.job.dir === 'p2') throw new Error('wasm abort'); parentPort.postMessage({ type: 'done', id: msg.id, peakHeap: 0, outcome: { findings: [], errors: [] } });`);
    // One worker, so p3 and p4 can only finish on a replacement.
    const { results, stats } = await collect(url, 1);
    expect(results.size).toBe(5);
    expect(results.get('p2')!.errors[0]!.message).toMatch(/internal error: worker stopped \(wasm abort\)/);
    expect([...results.values()].filter((o) => o.errors.length > 0)).toHaveLength(1);
    expect(stats.workers).toBe(2);
  });

  it('replaces a worker whose parser broke and never gives it another package', async () => {
    // The stand-in's "parser" breaks on p1; any package it is given afterwards fails.
    const url = workerScript(
      'broken-parser.mjs',
      `if (globalThis.broken) { parentPort.postMessage({ type: 'failed', id: msg.id, message: 'reused a broken parser' }); return; }
       const parserBroken = msg.job.dir === 'p1';
       globalThis.broken = parserBroken;
       parentPort.postMessage({ type: 'done', id: msg.id, peakHeap: 0, outcome: { findings: [], errors: parserBroken ? [{ file: 'p1/x.go', line: 0, kind: 'internal', message: 'out of memory' }] : [], parserBroken } });`,
    );
    const { results, stats } = await collect(url, 1);
    expect(results.size).toBe(5);
    expect([...results.entries()].filter(([, o]) => o.errors.length > 0).map(([dir, o]) => `${dir}: ${o.errors[0]!.message}`)).toEqual(['p1: out of memory']);
    expect(stats.workers).toBe(2);
  });

  it('gives up on threads that never work instead of failing each package slowly', async () => {
    const url = workerScript('broken.mjs', `throw new Error('cannot load');`);
    const { results } = await collect(url, 1);
    expect(results.size).toBe(5);
    for (const o of results.values()) expect(o.errors[0]!.message).toMatch(/cannot load/);
  });
});
