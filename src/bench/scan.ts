// Benchmark of `goroscope scan` over a source tree, against `gofmt -l` on the same tree as a
// yardstick (gofmt parses every file too, in Go, on all cores).
//   node dist/bench/scan.js <dir> [--workers=N] [--rules=a,b] [--no-gofmt] [--no-cli]
// Prints files, MB, files/s, MB/s, wall and CPU time, peak RSS (process-wide: worker threads
// share the process) and each worker's peak V8 heap, then the same scan through the command
// line end to end (`goroscope scan <dir>/...`, start-up and relaunch included), then gofmt's
// times and the ratios. Like `goroscope scan`, the benchmark runs itself again with a one-thread
// V8 platform pool when the tree is large (src/cli/relaunch.ts), so both measure the same runtime.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RELAUNCH_MARK, rerunWithSmallPool, scanWantsSmallPool, smallPool } from '../cli/relaunch.js';
import { discover } from '../gosrc/walk.js';
import { runScan } from '../scan/engine.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

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
    process.stderr.write('usage: node dist/bench/scan.js <dir> [--workers=N] [--rules=a,b] [--no-gofmt] [--no-cli]\n');
    process.exitCode = 2;
    return;
  }
  const pattern = path.join(dir, '...');
  const workers = option('workers') !== undefined ? Number(option('workers')) : undefined;
  const rules = option('rules');

  const found = discover([pattern], { cwd: process.cwd() });
  const bytes = found.packages.reduce((n, p) => n + p.bytes, 0);
  if (scanWantsSmallPool(workers, () => bytes)) {
    const code = await rerunWithSmallPool();
    if (code !== null) {
      process.exitCode = code;
      return;
    }
  }

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
    `threads:     ${outcome.workers === 0 ? 'in-process (no worker threads)' : `${outcome.workers} workers`}, ${smallPool() ? 'one V8 platform thread (--v8-pool-size=1, as goroscope scan runs trees of 4 MB and more)' : "Node's default V8 platform pool"}`,
    `peak RSS:    ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (whole process, workers included)`,
  ];
  if (outcome.peakHeapPerWorker.length > 0) {
    const heaps = outcome.peakHeapPerWorker.map((b) => b / MiB);
    lines.push(`worker heap: max ${Math.max(...heaps).toFixed(0)} MiB, sum ${heaps.reduce((a, b) => a + b, 0).toFixed(0)} MiB (peak V8 heap per worker)`);
  }
  process.stdout.write(lines.join('\n') + '\n');

  const cli = process.argv.includes('--no-cli') ? null : timeCommandLine(pattern, rules, workers);
  if (cli) {
    process.stdout.write(
      `command line: ${cli.wall.toFixed(2)} s wall` +
        (cli.cpu !== null ? `, ${cli.cpu.toFixed(2)} s cpu, peak RSS ${cli.maxRssMiB} MiB (largest process)` : '') +
        ` for \`goroscope scan ${pattern} --no-config --format json\`, start-up included\n`,
    );
  }
  if (process.argv.includes('--no-gofmt')) return;
  const gofmt = findGofmt();
  if (!gofmt) {
    process.stdout.write('gofmt:       not found (looked at /usr/lib/go-1.19/bin/gofmt and PATH); no comparison\n');
    return;
  }
  // gofmt does not descend into a root that is a symlink (/usr/lib/go-1.19/src is one).
  const root = realpathSync(dir);
  const g = timed(gofmt, ['-l', root], process.env);
  const ourCpu = (cpu.user + cpu.system) / 1e6;
  const ratio = (wall: number, cpuSeconds: number | null) =>
    `${(wall / g.wall).toFixed(2)}× wall` + (cpuSeconds !== null && g.cpu !== null ? `, ${(cpuSeconds / g.cpu).toFixed(2)}× cpu` : '');
  process.stdout.write(
    `gofmt -l:    ${g.wall.toFixed(2)} s wall${g.cpu !== null ? `, ${g.cpu.toFixed(2)} s cpu` : ''} (${gofmt}; it also reads testdata and vendor)\n` +
      `ratio:       goroscope/gofmt = ${ratio(seconds, ourCpu)} (the scan above)` +
      (cli ? `; ${ratio(cli.wall, cli.cpu)} (the command line)` : '') +
      '\n',
  );
}

interface Timing {
  wall: number;
  /** User + system seconds of the process and its children, when /usr/bin/time is there. */
  cpu: number | null;
  maxRssMiB: number | null;
}

/** Runs a command to its end; /usr/bin/time gives its CPU time, which stays comparable on a busy machine. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Timing {
  const timer = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const start = performance.now();
  const r = timer
    ? spawnSync(timer, ['-f', 'GOROSCOPE_CPU %U %S %M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 256 * MiB, env })
    : spawnSync(command, args, { stdio: 'ignore', env });
  const wall = (performance.now() - start) / 1000;
  const line = /GOROSCOPE_CPU ([\d.]+) ([\d.]+) (\d+)/.exec(String(r.stderr ?? ''));
  return { wall, cpu: line ? Number(line[1]) + Number(line[2]) : null, maxRssMiB: line ? Math.round(Number(line[3]) / 1024) : null };
}

/** The same scan through the command line, as a user runs it (it may relaunch itself, see relaunch.ts). */
function timeCommandLine(pattern: string, rules: string | undefined, workers: number | undefined): Timing {
  const env = { ...process.env };
  // This benchmark may itself be the relaunched child: the command line must decide afresh.
  delete env[RELAUNCH_MARK];
  const args = [CLI, 'scan', pattern, '--no-config', '--format', 'json'];
  if (rules) args.push('--rules', rules);
  if (workers !== undefined) args.push('--workers', String(workers));
  return timed(process.execPath, args, env);
}

void main();
