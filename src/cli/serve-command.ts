// `goroscope serve --listen ADDR`: the stateless prober of a fleet. Prometheus discovers the
// targets and scrapes /probe?target=... (blackbox_exporter's pattern); each probe reads one fresh
// goroutine profile and answers per-group counts. Runs until SIGINT or SIGTERM, then exits 0.
import { Command, Option } from 'commander';
import { formatDuration, parseWatchDuration } from '../watch/duration.js';
import { Scrubber } from '../watch/redact.js';
import { DEFAULT_METRICS_TOP } from '../watch/serve/exposition.js';
import { probeRoutes, TargetAllowList, type ProbeContext } from '../watch/serve/probe.js';
import { parseServeAddress, ServeAddressError, startServer } from '../watch/serve/server.js';
import { DEFAULT_SETTINGS } from '../watch/target-watch.js';
import { EXIT_OK, UserError } from './exit.js';
import { parseSize } from './units.js';
import { collect, count } from './watch-command.js';

/** The prober's default address: loopback, next to watch --serve's usual 9464. */
export const DEFAULT_PROBE_LISTEN = '127.0.0.1:9465';

interface ServeFlags {
  listen: string;
  listenPublic?: boolean;
  allowTargets?: string;
  timeout: string;
  maxBytes: number;
  metricsTop: number;
  module?: string;
  ignoreTop: string[];
  ignoreAny: string[];
  ignoreCreatedBy: string[];
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve /probe?target=... for Prometheus: one fresh goroutine profile of the target as per-group metrics (stateless: scale it with replicas)')
    .option('--listen <addr>', 'HOST:PORT to listen on (127.0.0.1 unless --listen-public)', DEFAULT_PROBE_LISTEN)
    .option('--listen-public', 'allow --listen on an address other than loopback (probes show stack traces, paths and target names)')
    .option('--allow-targets <regex>', 'targets that may be probed, matched against the whole target as shown (default: loopback addresses and PIDs only)')
    .option('--timeout <duration>', "time limit of each probe's read (shortened to Prometheus's scrape timeout when that is less)", formatDuration(DEFAULT_SETTINGS.timeoutMs))
    .addOption(new Option('--max-bytes <size>', 'largest answer accepted from a target (e.g. 64MiB)').argParser((v) => parseSize(v, '--max-bytes')).default(DEFAULT_SETTINGS.maxBytes, '64MiB'))
    .option('--metrics-top <n>', 'groups per target with a series of their own; the rest are summed into group="other"', count('--metrics-top', 0), DEFAULT_METRICS_TOP)
    .option('--module <path>', "the programs' module path: its frames count as user code")
    .addOption(new Option('--ignore-top <func>', 'sum goroutines whose top function is FUNC into "other" (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-any <func>', 'sum goroutines with FUNC anywhere in the stack into "other" (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-created-by <func>', 'sum goroutines started by FUNC into "other" (repeatable)').argParser(collect).default([], 'none'))
    .addHelpText(
      'after',
      `
Examples:
  goroscope serve                                       probe loopback targets at 127.0.0.1:9465
  goroscope serve --listen 0.0.0.0:9465 --listen-public --allow-targets 'http://10\\.1\\.\\d+\\.\\d+:6060/debug/pprof/goroutine'
  curl '127.0.0.1:9465/probe?target=http://127.0.0.1:6060/debug/pprof/goroutine'

Prometheus passes each target as ?target= (scrape configs, relabelling: docs/prometheus.md).
Durations: 500ms, 10s, 1m (a plain number is seconds). Sizes: 64MiB, 512MB.
Exit codes: 0 stopped by SIGINT or SIGTERM, 2 usage error or the address cannot be bound.`,
    )
    .action(async (flags: ServeFlags) => {
      process.exitCode = await runServe(flags);
    });
}

async function runServe(flags: ServeFlags): Promise<number> {
  let address;
  try {
    address = parseServeAddress(flags.listen, flags.listenPublic === true, { listen: '--listen', public: '--listen-public' });
  } catch (err) {
    throw new UserError(err instanceof ServeAddressError ? err.message : String(err));
  }
  let allow: TargetAllowList;
  try {
    allow = new TargetAllowList(flags.allowTargets ?? null);
  } catch (err) {
    throw new UserError(`--allow-targets is not a regular expression: ${(err as Error).message}`);
  }
  const ctx: ProbeContext = {
    scrubber: new Scrubber(),
    allow,
    timeoutMs: parseWatchDuration(flags.timeout, '--timeout'),
    maxBytes: flags.maxBytes,
    metricsTop: flags.metricsTop,
    group: { modulePath: flags.module ?? null, ignore: { top: flags.ignoreTop, any: flags.ignoreAny, createdBy: flags.ignoreCreatedBy } },
  };
  let server;
  try {
    server = await startServer(address, probeRoutes(), ctx);
  } catch (err) {
    throw new UserError(`--listen ${flags.listen}: cannot listen: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  process.stderr.write(`goroscope: serving ${server.url}/probe?target=... (${allow.source === null ? 'loopback targets only' : `targets matching ${allow.source}`})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT_OK;
}
