// Benchmark of `goroscope scan` over a source tree, against `gofmt -l` on the same tree as a
// yardstick (gofmt parses every file too, in Go, on all cores).
//   node dist/bench/scan.js <dir> [--workers=N] [--rules=a,b] [--no-gofmt]
// Prints files, MB, files/s, MB/s, wall and CPU time, peak RSS (process-wide: worker threads
// share the process) and each worker's peak V8 heap, then gofmt's wall time and the ratio.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { discover } from '../gosrc/walk.js';
import { runScan } from '../scan/engine.js';

const MB = 1e6;
const MiB = 1024 * 1024;

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function findGofmt(): string | null {
  for (const candidate of ['/usr/lib/go-1.19/bin/gofmt', 'gofmt']) {
    const r = spawnSync(candidate, ['-l', '/dev/null'], { stdio: 'ignore' });
    if (!r.error) return candidate;
  }
  return null;
}

async function main(): Promise<void> {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!dir || !existsSync(dir)) {
    process.stderr.write('usage: node dist/bench/scan.js <dir> [--workers=N] [--rules=a,b] [--no-gofmt]\n');
    process.exitCode = 2;
    return;
  }
  const pattern = path.join(dir, '...');
  const workers = option('workers') !== undefined ? Number(option('workers')) : undefined;
  const rules = option('rules');

  const found = discover([pattern], { cwd: process.cwd() });
  const bytes = found.packages.reduce((n, p) => n + p.bytes, 0);

  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const outcome = await runScan([pattern], { config: false, workers, rules: rules ? [rules] : undefined });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const { stats, findings, errors } = outcome.result;

  const lines = [
    `tree:        ${path.resolve(dir)}`,
    `rules:       ${outcome.rules.map((r) => r.rule.meta.id).join(', ') || '(none: files are only read)'}`,
    `files:       ${stats.files} .go files in ${stats.packages} packages (testdata and vendor skipped)`,
    `size:        ${(bytes / MB).toFixed(1)} MB`,
    `wall:        ${seconds.toFixed(2)} s`,
    `cpu:         ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user+system, all threads)`,
    `throughput:  ${(stats.files / seconds).toFixed(0)} files/s, ${(bytes / MB / seconds).toFixed(2)} MB/s`,
    `findings:    ${findings.length}, file problems: ${errors.length}`,
    `threads:     ${outcome.workers === 0 ? 'in-process (no worker threads)' : `${outcome.workers} workers`}`,
    `peak RSS:    ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (whole process, workers included)`,
  ];
  if (outcome.peakHeapPerWorker.length > 0) {
    const heaps = outcome.peakHeapPerWorker.map((b) => b / MiB);
    lines.push(`worker heap: max ${Math.max(...heaps).toFixed(0)} MiB, sum ${heaps.reduce((a, b) => a + b, 0).toFixed(0)} MiB (peak V8 heap per worker)`);
  }
  process.stdout.write(lines.join('\n') + '\n');

  if (process.argv.includes('--no-gofmt')) return;
  const gofmt = findGofmt();
  if (!gofmt) {
    process.stdout.write('gofmt:       not found (looked at /usr/lib/go-1.19/bin/gofmt and PATH); no comparison\n');
    return;
  }
  // gofmt does not descend into a root that is a symlink (/usr/lib/go-1.19/src is one).
  const root = realpathSync(dir);
  // /usr/bin/time gives gofmt's CPU time, which stays comparable on a busy machine.
  const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const gStart = performance.now();
  const g = timer
    ? spawnSync(timer, ['-f', 'GOROSCOPE_CPU %U %S', gofmt, '-l', root], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 256 * MiB })
    : spawnSync(gofmt, ['-l', root], { stdio: 'ignore' });
  const gSeconds = (performance.now() - gStart) / 1000;
  const cpuLine = /GOROSCOPE_CPU ([\d.]+) ([\d.]+)/.exec(String(g.stderr ?? ''));
  const gCpu = cpuLine ? Number(cpuLine[1]) + Number(cpuLine[2]) : null;
  const ourCpu = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(
    `gofmt -l:    ${gSeconds.toFixed(2)} s wall${gCpu !== null ? `, ${gCpu.toFixed(2)} s cpu` : ''} (${gofmt}; it also reads testdata and vendor)\n` +
      `ratio:       goroscope/gofmt = ${(seconds / gSeconds).toFixed(2)}× wall` +
      (gCpu !== null ? `, ${(ourCpu / gCpu).toFixed(2)}× cpu` : '') +
      '\n',
  );
}

void main();
