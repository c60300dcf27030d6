// Benchmark of the goroutine dump parser: parseDumpStream over a file read stream.
//   node dist/bench/dump.js [file]          time the given file
//   node dist/bench/dump.js                 build 64 and 128 MiB debug=2 dumps from the shared corpus
//   node dist/bench/dump.js --sizes=512     other sizes (MiB), e.g. --sizes=2048 for a 2 GiB dump,
//                                           which the parser aggregates (see AUTO_AGGREGATE_AFTER)
//   --crowded                               100 kinds of goroutine blocked in network reads: stacks
//                                           that share their first six frames, differ below
//   --realistic                             a long-running service's dump: goroutines shuffled, every
//                                           one with its own pointer arguments (stacks then rarely
//                                           repeat byte for byte) and varied wait minutes
//   --no-cli                                skip the end-to-end `goroscope dump --format json` run
// Each input is measured in child processes so that each peak RSS is its own: the model parse
// (parseDumpStream, what the library returns) and the streaming analysis the CLI runs (the parser
// feeding a grouping sink, no per-goroutine records). The built CLI is also timed end to end
// (start-up, parse, grouping, JSON to /dev/null).
import { fork, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamingAnalysis } from '../dump/analyze/stream.js';
import { parseDumpStream } from '../dump/index.js';
import { SHARED_DIR } from '../testing/env.js';

const MiB = 1024 * 1024;
const SOURCE = path.join(SHARED_DIR, 'testdata/dumps/generated/go1.23/pprof_goroutine_debug2.txt');

interface Result {
  file: string;
  mode: Mode;
  mib: number;
  seconds: number;
  /** User+system CPU seconds: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  goroutines: number;
  /** Goroutine records in the model (fewer than `goroutines` once aggregated); groups when streaming. */
  records: number;
  heapMiB: number;
  maxRssMiB: number;
}

type Mode = 'model' | 'streaming';

/** Child mode: parse one file into the model, or through the CLI's streaming analysis, and report. */
async function measureOne(file: string, mode: Mode): Promise<Result> {
  const size = statSync(file).size;
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const chunks = createReadStream(file, { highWaterMark: MiB });
  let goroutines: number;
  let records: number;
  if (mode === 'model') {
    const dump = await parseDumpStream(chunks);
    goroutines = dump.total;
    records = dump.goroutines.length;
  } else {
    const analysis = new StreamingAnalysis();
    const sink = analysis.input();
    analysis.add(sink, await parseDumpStream(chunks, { sink }));
    const result = analysis.finish();
    goroutines = result.dump.total;
    records = result.groups.length; // what it keeps: groups
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  (globalThis as { gc?: () => void }).gc?.();
  return {
    file,
    mode,
    mib: size / MiB,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    goroutines,
    records,
    heapMiB: process.memoryUsage().heapUsed / MiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** A fixed linear congruential sequence in [0, 1]: the same input on every run. */
function seededRandom(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff;
}

/**
 * Repeats the corpus dump, renumbering goroutine IDs so that every copy is distinct. With
 * `realistic`, each copy is what a long-running service's dump looks like instead: its goroutines
 * in another order, every heap pointer argument (0xc0...) a value of its own, and wait minutes
 * (", N minutes") that vary, on about a third of the blocked goroutines.
 */
function buildInput(dir: string, sizeMiB: number, realistic: boolean): string {
  const text = readFileSync(SOURCE, 'utf8');
  const maxId = Math.max(...[...text.matchAll(/^goroutine (\d+) /gm)].map((m) => Number(m[1])));
  const file = path.join(dir, `debug2-${sizeMiB}MiB${realistic ? '-realistic' : ''}.txt`);
  const blocks = text.split(/\n\n+/).filter((b) => b.startsWith('goroutine '));
  const random = seededRandom(12345);
  let pointer = 0;
  const nextPointer = (): string => `0xc0${(0x10000000 + ((pointer++ * 64) % 0xe0000000)).toString(16)}`;
  const fd = openSync(file, 'w');
  let written = 0;
  for (let copy = 0; written < sizeMiB * MiB; copy++) {
    const offset = copy * (maxId + 1);
    const order = realistic ? blocks.map((b) => ({ b, r: random() })).sort((x, y) => x.r - y.r).map((x) => x.b) : blocks;
    const parts = order.map((b) => {
      let block = b
        .replace(/^goroutine (\d+) \[([^\]]*)\]/, (_m, id: string, status: string) => {
          if (realistic && !status.startsWith('running') && random() < 0.35) {
            const minutes = `${1 + Math.floor(random() * 90)} minutes`;
            status = /\d+ minutes/.test(status) ? status.replace(/\d+ minutes/, minutes) : `${status}, ${minutes}`;
          }
          return `goroutine ${Number(id) + offset} [${status}]`;
        })
        .replace(/ in goroutine (\d+)$/gm, (_m, id: string) => ` in goroutine ${Number(id) + offset}`);
      if (realistic) block = block.replace(/0xc0[0-9a-f]{8}/g, nextPointer);
      return block;
    });
    const buf = Buffer.from(parts.join('\n\n') + '\n\n');
    writeSync(fd, buf);
    written += buf.length;
  }
  closeSync(fd);
  return file;
}

/**
 * A dump of goroutines of 100 kinds all blocked reading from the network: their stacks share the
 * six frames from runtime_pollWait to net.(*conn).Read and differ in the handler below and in
 * the creator; shuffled, with per-goroutine pointers. Many stacks with one top frame are the case
 * the skeletons' second key (the last line) is for.
 */
function buildCrowded(dir: string, sizeMiB: number): string {
  const file = path.join(dir, `debug2-${sizeMiB}MiB-crowded.txt`);
  const random = seededRandom(7);
  const fd = openSync(file, 'w');
  let written = 0;
  for (let id = 1; written < sizeMiB * MiB; ) {
    const parts: string[] = [];
    for (let n = 0; n < 1000; n++, id++) {
      const kind = Math.floor(random() * 100);
      const p = `0xc${(0x10000000 + id * 64).toString(16)}`;
      const go = '/usr/lib/go-1.23/src';
      parts.push(
        `goroutine ${id} [IO wait${random() < 0.3 ? `, ${1 + Math.floor(random() * 90)} minutes` : ''}]:\n` +
          `internal/poll.runtime_pollWait(0x7f2fdb4916${(id % 256).toString(16)}, 0x72)\n\t${go}/runtime/netpoll.go:351 +0x85\n` +
          `internal/poll.(*pollDesc).wait(${p}?, 0x0?, 0x0)\n\t${go}/internal/poll/fd_poll_runtime.go:84 +0x27\n` +
          `internal/poll.(*pollDesc).waitRead(...)\n\t${go}/internal/poll/fd_poll_runtime.go:89\n` +
          `internal/poll.(*FD).Read(${p}, {${p}, 0x1000, 0x1000})\n\t${go}/internal/poll/fd_unix.go:165 +0x27a\n` +
          `net.(*netFD).Read(${p}, {${p}?, 0x0?, 0x0?})\n\t${go}/net/fd_posix.go:55 +0x25\n` +
          `net.(*conn).Read(${p}, {${p}?, 0x0?, 0x0?})\n\t${go}/net/net.go:189 +0x45\n` +
          `example.com/svc/handler${kind}.(*Conn).readLoop(${p})\n\t/srv/svc/handler${kind}/conn.go:${40 + kind} +0x${(0x40 + kind).toString(16)}\n` +
          `created by example.com/svc/handler${kind}.Serve in goroutine ${1 + (kind % 5)}\n\t/srv/svc/handler${kind}/serve.go:21 +0x1c5\n`,
      );
    }
    const buf = Buffer.from(parts.join('\n') + '\n');
    writeSync(fd, buf);
    written += buf.length;
  }
  closeSync(fd);
  return file;
}

function runChild(file: string, mode: Mode): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', mode, file], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--expose-gc'],
    });
    child.once('message', (m) => resolve(m as Result));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`benchmark child exited with ${code}`))));
  });
}

function print(r: Result): void {
  const mibPerS = r.mib / r.seconds;
  const kept = r.mode === 'model' ? 'records' : 'groups';
  console.log(
    `${path.basename(r.file)} ${r.mode === 'model' ? 'parse into the model' : 'streaming analysis (CLI path)'}: ` +
      `${r.mib.toFixed(1)} MiB in ${r.seconds.toFixed(2)} s = ${mibPerS.toFixed(1)} MiB/s, ` +
      `${(r.mib / r.cpuSeconds).toFixed(1)} MiB/s of CPU time, ` +
      `${Math.round(r.goroutines / r.seconds).toLocaleString('en')} goroutines/s (${r.goroutines.toLocaleString('en')} goroutines in ` +
      `${r.records.toLocaleString('en')} ${kept}), ` +
      `peak RSS ${r.maxRssMiB.toFixed(0)} MiB (${(r.maxRssMiB / r.mib).toFixed(2)}x input), heap after ${r.heapMiB.toFixed(0)} MiB`,
  );
}

interface CliResult {
  seconds: number;
  cpuSeconds: number | null;
  maxRssMiB: number | null;
  exitCode: number | null;
}

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';

/** `goroscope dump --format json FILE > /dev/null`, timed by GNU time when present (CPU and peak RSS). */
function timeCli(file: string): Promise<CliResult> {
  const withTime = existsSync(GNU_TIME);
  const argv = [process.execPath, CLI, 'dump', '--format', 'json', file];
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(withTime ? GNU_TIME : argv[0]!, withTime ? ['-v', ...argv] : argv.slice(1), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const field = (name: string): number | null => {
        const m = new RegExp(`${name}: ([\\d.]+)`).exec(stderr);
        return m ? Number(m[1]) : null;
      };
      const user = field('User time \\(seconds\\)');
      const sys = field('System time \\(seconds\\)');
      const rssKiB = field('Maximum resident set size \\(kbytes\\)');
      resolve({
        seconds,
        cpuSeconds: user === null || sys === null ? null : user + sys,
        maxRssMiB: rssKiB === null ? null : rssKiB / 1024,
        exitCode: code,
      });
    });
  });
}

function printCli(file: string, r: CliResult): void {
  const mib = statSync(file).size / MiB;
  const cpu = r.cpuSeconds === null ? 'CPU n/a' : `${(mib / r.cpuSeconds).toFixed(1)} MiB/s of CPU time`;
  const rss = r.maxRssMiB === null ? 'peak RSS n/a' : `peak RSS ${r.maxRssMiB.toFixed(0)} MiB (${(r.maxRssMiB / mib).toFixed(2)}x input)`;
  console.log(
    `  goroscope dump --format json ${path.basename(file)} > /dev/null: ${r.seconds.toFixed(2)} s = ` +
      `${(mib / r.seconds).toFixed(1)} MiB/s, ${cpu}, ${rss}, exit ${r.exitCode}`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const r = await measureOne(args[2]!, args[1] as Mode);
    process.send!(r);
    return;
  }
  const sizesArg = args.find((a) => a.startsWith('--sizes='));
  const files = args.filter((a) => !a.startsWith('--'));
  const cli = !args.includes('--no-cli') && existsSync(CLI);
  const realistic = args.includes('--realistic');
  const crowded = args.includes('--crowded');
  const measure = async (f: string): Promise<void> => {
    print(await runChild(f, 'model'));
    print(await runChild(f, 'streaming'));
    if (cli) printCli(f, await timeCli(f));
  };
  if (existsSync('/proc/loadavg')) console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  if (files.length > 0) {
    for (const f of files) await measure(f);
    return;
  }
  if (!existsSync(SOURCE)) {
    console.error(`benchmark input missing: ${SOURCE} (pass a dump file instead)`);
    process.exitCode = 2;
    return;
  }
  const sizes = sizesArg ? sizesArg.slice(8).split(',').map(Number) : [64, 128];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'goroscope-bench-'));
  try {
    for (const size of sizes) {
      const file = crowded ? buildCrowded(dir, size) : buildInput(dir, size, realistic);
      try {
        await measure(file);
      } finally {
        rmSync(file);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 2;
});
