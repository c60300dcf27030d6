// Overhead of `goroscope test` over plain `go test` on the same module when nothing leaks.
// Usage: npm run bench:test -- [module dir] [repetitions]
// Both commands are warmed up once (build cache), then timed alternately; prints the medians.
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
const env = goEnv();
const cli = path.join(root, 'dist/cli/main.js');

function time(cmd: string, args: string[]): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd: dir, env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return performance.now() - t;
}

const plain = () => time(go, ['test', '-count=1', './...']);
const ours = () => time(process.execPath, [cli, 'test', '--go', go, './...']);
plain();
ours();
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < reps; i++) {
  a.push(plain());
  b.push(ours());
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const ma = median(a);
const mb = median(b);
console.log(`module: ${path.relative(process.cwd(), dir) || '.'} (${reps} runs each, medians)`);
console.log(`go test -count=1 ./...       ${(ma / 1000).toFixed(2)} s`);
console.log(`goroscope test ./...         ${(mb / 1000).toFixed(2)} s`);
console.log(`overhead ratio               ${(mb / ma).toFixed(2)}x (goal: at most 1.15x)`);
