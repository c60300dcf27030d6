// Overhead of `goroscope test` over plain `go test` on the same module when nothing leaks, and
// where it goes.
// Usage: npm run bench:test -- [module dir] [repetitions]
// Both commands are warmed up once (build cache), then timed alternately; prints medians and
// minimums (on a shared machine the minimum is the steadier figure). goroscope runs with
// GOROSCOPE_TIMING=1, which makes it report when each phase began and ended (testrun/timing.ts),
// so the breakdown comes from the same runs as the total:
//   start-up             process start until go list starts (Node, the command line's first module)
//   loading the command  go list runs meanwhile (commander, the test command, the overlay code)
//   waiting for go list  what go list takes beyond that
//   writing the overlay  until go test starts
//   go test              goroscope's go test run (with the overlay and the harness, -vet=off)
//   after go test        reading the dumps, the report, removing the temporary files
//   exit                 Node's own exit and what the timer cannot see before the process started
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGo, goEnv } from '../testing/env.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.resolve(process.argv[2] ?? path.join(root, 'src/testrun/testdata/leakymod'));
const reps = Number(process.argv[3] ?? 5);
const go = findGo();
if (!go) {
  console.error('bench:test needs a Go toolchain (go on PATH, $GOROSCOPE_GO, or /usr/lib/go-1.19/bin/go)');
  process.exit(2);
}
const env = goEnv({ GOROSCOPE_TIMING: '1' });
const cli = path.join(root, 'dist/cli/main.js');

function run(cmd: string, args: string[]): { ms: number; stderr: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { ms: performance.now() - t, stderr: r.stderr };
}

type Marks = Record<string, number>;

function marksOf(stderr: string): Marks {
  const line = stderr.split('\n').find((l) => l.startsWith('goroscope timing: '));
  if (!line) throw new Error(`goroscope printed no timing line: ${stderr}`);
  return JSON.parse(line.slice('goroscope timing: '.length)) as Marks;
}

const plain = () => run(go, ['test', '-count=1', './...']).ms;
const ours = () => {
  const r = run(process.execPath, [cli, 'test', '--go', go, './...']);
  return { ms: r.ms, marks: marksOf(r.stderr) };
};

plain();
ours();
const plainMs: number[] = [];
const oursMs: number[] = [];
const parts = new Map<string, number[]>();
const add = (name: string, ms: number) => parts.set(name, [...(parts.get(name) ?? []), ms]);
for (let i = 0; i < reps; i++) {
  plainMs.push(plain());
  const o = ours();
  oursMs.push(o.ms);
  const m = o.marks;
  const listed = Math.max(m['go list done']!, m['go list wanted']!);
  add('start-up', m['go list start']!);
  add('loading the command', m['go list wanted']! - m['go list start']!);
  add('waiting for go list', listed - m['go list wanted']!);
  add('writing the overlay', m['go test start']! - listed);
  add('go test', m['go test done']! - m['go test start']!);
  add('after go test', m['exit']! - m['go test done']!);
  add('exit', o.ms - m['exit']!);
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const min = (xs: number[]) => Math.min(...xs);
const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
console.log(`module: ${path.relative(process.cwd(), dir) || '.'} (${reps} runs each; median, minimum)`);
console.log(`go test -count=1 ./...       ${s(median(plainMs))}  ${s(min(plainMs))}`);
console.log(`goroscope test ./...         ${s(median(oursMs))}  ${s(min(oursMs))}`);
console.log('where goroscope test spends its time (medians of the parts; they need not add up to the median total):');
for (const [name, xs] of parts) console.log(`  ${name.padEnd(22)} ${s(median(xs))}`);
console.log(`  (go test inside goroscope minus plain go test: ${s(median(parts.get('go test')!) - median(plainMs))})`);
console.log(`overhead ratio               ${(median(oursMs) / median(plainMs)).toFixed(2)}x median, ${(min(oursMs) / min(plainMs)).toFixed(2)}x minimum (goal: at most 1.15x)`);
