// A worker thread of the scan pool: loads the Go parser once, then analyses the packages the
// main thread sends, one at a time, and posts back plain Findings and ScanErrors. Rules travel
// by id (functions cannot cross threads) and are looked up in the registry here.
import { parentPort } from 'node:worker_threads';
import { getGoParser } from '../gosrc/treesitter.js';
import { ruleById } from '../rules/registry.js';
import { analyzePackage, type RuleToRun } from './analyze.js';
import type { FromWorker, ToWorker } from './pool.js';

const port = parentPort;
if (!port) throw new Error('src/scan/worker.ts must run as a worker thread');

let peakHeap = 0;

port.on('message', (msg: ToWorker) => {
  void handle(msg).then((reply) => port.postMessage(reply));
});

async function handle(msg: ToWorker): Promise<FromWorker> {
  try {
    const parser = await getGoParser();
    const rules: RuleToRun[] = [];
    for (const r of msg.rules) {
      const rule = ruleById(r.id);
      if (!rule) throw new Error(`rule ${r.id} is not in the registry`);
      rules.push({ rule, severity: r.severity });
    }
    const outcome = analyzePackage(msg.job, rules, parser);
    // heapUsed is this thread's own V8 heap (rss would be the whole process).
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    return { type: 'done', id: msg.id, outcome, peakHeap };
  } catch (err) {
    return { type: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) };
  }
}
