// What --shake costs and what it finds.
// Usage: npm run bench:shake -- [--runs N] [--prob P] [--reps R] [--no-time] [--no-rates] [module dir]
//
// Time: plain `goroscope test ./...` against `goroscope test --shake N ./...` on the same module
// (default: src/testrun/testdata/leakymod, which leaks nothing without build tags, as in
// bench:test), both warmed up once, then timed alternately R times; prints the medians and the
// wall time per schedule. A leaking run waits its settle time, so timing is done where nothing leaks.
// Rates (on shakemod's package races, which leaks only under some schedules): in how many of N
// plain runs (`--count N`) and of N shaken schedules (`--shake N`) each of its four leaks showed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findGo, goEnv } from '../testing/env.js';
import { DEFAULT_SHAKE_PROBABILITY } from '../testrun/shake/options.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1]! : fallback;
};
const runs = Number(option('--runs', '20'));
const prob = option('--prob', String(DEFAULT_SHAKE_PROBABILITY));
const reps = Number(option('--reps', '3'));
const rates = !args.includes('--no-rates');
const timing = !args.includes('--no-time');
const shakemod = path.join(root, 'src/testrun/testdata/shakemod');
const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(root, 'src/testrun/testdata/leakymod'));
const go = findGo();
if (!go) {
  console.error('bench:shake needs a Go toolchain (go on PATH, $GOROSCOPE_GO, or /usr/lib/go-1.19/bin/go)');
  process.exit(2);
}
const env = goEnv();
const cli = path.join(root, 'dist/cli/main.js');

function goroscope(cwd: string, testArgs: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, 'test', '--go', go!, '--no-attribute', '--format', 'json', ...testArgs], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`goroscope test ${testArgs.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return { ms: performance.now() - t, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

if (timing) {
  const plainArgs = ['./...'];
  const shakeArgs = ['--shake', String(runs), '--shake-prob', prob, './...'];
  goroscope(dir, plainArgs);
  goroscope(dir, ['--shake', '1', './...']);
  const plain: number[] = [];
  const shaken: number[] = [];
  for (let i = 0; i < reps; i++) {
    plain.push(goroscope(dir, plainArgs).ms);
    shaken.push(goroscope(dir, shakeArgs).ms);
  }
  const mp = median(plain);
  const ms = median(shaken);
  console.log(`module: ${path.relative(process.cwd(), dir) || '.'} (${reps} runs each, medians; ${runs} schedules, probability ${prob})`);
  console.log(`goroscope test ./...             ${seconds(mp)}`);
  console.log(`goroscope test --shake ${runs} ./...   ${seconds(ms)} in all, ${seconds(ms / runs)} per schedule (${(ms / runs / mp).toFixed(2)}x a plain run)`);
}

if (rates) {
  // Each leak of package races is known by the file it blocks in.
  const leaks: Record<string, string> = {
    'first.go': 'two goroutines racing for a result (Fetch)',
    'watch.go': 'close before a send (Watch)',
    'bank.go': 'AB-BA locks (Transfer)',
    'gather.go': 'WaitGroup Add racing Wait (Gather)',
  };
  const count = (stdout: string, byRun: boolean): Map<string, number> => {
    const report = JSON.parse(stdout) as { packages: Array<{ leaks: Array<{ location: { file: string } | null; runs: { leaked: number }; seeds: number[] }> }> };
    // With --shake each run has its seed, so a leak seen as two groups in one run counts once.
    const seen = new Map<string, Set<number>>();
    const total = new Map<string, number>();
    for (const leak of report.packages.flatMap((p) => p.leaks)) {
      const file = path.basename(leak.location?.file ?? '');
      if (byRun) for (const s of leak.seeds) seen.set(file, (seen.get(file) ?? new Set()).add(s));
      else total.set(file, Math.max(total.get(file) ?? 0, leak.runs.leaked));
    }
    return byRun ? new Map([...seen].map(([f, s]) => [f, s.size])) : total;
  };
  const races = ['--settle', '300ms', './races/'];
  const p = count(goroscope(shakemod, ['--count', String(runs), ...races]).stdout, false);
  const s = count(goroscope(shakemod, ['--shake', String(runs), '--shake-prob', prob, ...races]).stdout, true);
  console.log(`\nleaks of shakemod/races caught, of ${runs} runs (plain: --count ${runs}; shaken: --shake ${runs} --shake-prob ${prob})`);
  for (const [file, what] of Object.entries(leaks)) {
    console.log(`${what.padEnd(46)} plain ${String(p.get(file) ?? 0).padStart(2)}/${runs}   shaken ${String(s.get(file) ?? 0).padStart(2)}/${runs}`);
  }
}
