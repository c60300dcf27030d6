// `goroscope watch [TARGET...]`: sample running Go services, keep every stack group's history and
// alert on the groups that leak. `--report` prints a stored period instead of sampling.
// Exit 0 without alerts, 1 when an alert fired, 2 on usage errors or when no target answered.
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { colorWanted, palette } from '../report/color.js';
import { formatDuration, parseWatchDuration } from '../watch/duration.js';
import { renderLiveView } from '../watch/live.js';
import { WatchOutputs } from '../watch/outputs.js';
import { Scrubber, secretsOf } from '../watch/redact.js';
import { anyAlert, attachSourceToReport, buildReport, emptyReport, renderReportJson, renderReportText, type WatchReportJson } from '../watch/report.js';
import { DEFAULT_METRICS_TOP } from '../watch/serve/exposition.js';
import { parseServeAddress, ServeAddressError, startServer, type RunningServer, type ServeAddress } from '../watch/serve/server.js';
import { StoreError, WatchStore } from '../watch/store.js';
import { parseTarget, TargetError, type Target } from '../watch/target.js';
import { DEFAULT_SETTINGS, type WatchSettings } from '../watch/target-watch.js';
import { MIN_WINDOW_INTERVALS } from '../watch/trend.js';
import { DEFAULT_PPROF_URL } from '../watch/triage/rank.js';
import { PrometheusError } from '../watch/triage/prometheus-api.js';
import { renderTriageText, triageFleet, type TriageJson } from '../watch/triage/triage.js';
import { Watcher } from '../watch/watcher.js';
import { Webhook } from '../watch/webhook.js';
import { emit } from './dump-command.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError } from './exit.js';
import { parseCount, parseSize } from './units.js';

const D = DEFAULT_SETTINGS;
/** Flag defaults as the user writes them. */
const DEFAULTS = {
  interval: formatDuration(D.intervalMs),
  timeout: formatDuration(D.timeoutMs),
  window: formatDuration(D.windowMs),
  stale: formatDuration(D.staleMinutes * 60_000),
  snapshotInterval: formatDuration(D.snapshotIntervalMs),
  db: 'goroscope-watch.db',
  retention: '7d',
};

interface WatchFlags {
  targets?: string;
  source?: string;
  interval: string;
  timeout: string;
  window: string;
  minGrowth: number;
  maxGoroutines?: number;
  maxGroup?: number;
  stale: string;
  staleFloor: number;
  leakProfile?: string;
  snapshotInterval: string;
  snapshotDir: string;
  snapshots: boolean;
  snapshotMaxGoroutines: number;
  duration?: string;
  format: 'text' | 'json';
  output?: string;
  webhook?: string;
  db: string | false;
  retention: string;
  report: boolean;
  since?: string;
  until?: string;
  module?: string;
  ignoreTop: string[];
  ignoreAny: string[];
  ignoreCreatedBy: string[];
  maxBytes: number;
  quiet?: boolean;
  serve?: string;
  servePublic?: boolean;
  metricsTop?: number;
  prometheus?: string;
  selector?: string;
  range: string;
  worst: number;
  pprofUrl: string;
  pprofPort?: number;
}

export const collect = (value: string, previous: string[]) => [...previous, value];

export function count(what: string, min: number) {
  return (value: string): number => parseCount(value, what, min);
}

/** --since/--until: an ISO time, or a duration ago ("2h" means two hours before now). */
function timeArg(value: string, name: string, now: number): number {
  const iso = Date.parse(value);
  if (/^\d{4}-\d\d-\d\d/.test(value) && !Number.isNaN(iso)) return iso;
  try {
    return now - parseWatchDuration(value, name);
  } catch {
    throw new UserError(`${name} takes an ISO time (2025-01-31T12:00:00Z) or a duration ago (2h, 30m), not "${value}"`);
  }
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('sample running Go services (net/http/pprof URLs, gops://HOST:PORT, PIDs with a gops agent), keep every stack group\'s history and alert on the groups that leak')
    .argument('[targets...]', 'http(s)://HOST:PORT/debug/pprof/goroutine (or the /debug/pprof/ base), gops://HOST:PORT, or a PID')
    .option('--targets <file>', 'file with one target a line, read again when it changes')
    .option('--interval <duration>', 'time between samples of a target', DEFAULTS.interval)
    .option('--timeout <duration>', 'time limit of each read from a target', DEFAULTS.timeout)
    .option('--window <duration>', 'how far back growth is judged', DEFAULTS.window)
    .option('--min-growth <n>', 'smallest rise of a group over the window that is growth', count('--min-growth', 1), D.minGrowth)
    .option('--max-goroutines <n>', 'alert when a target has more goroutines in total', count('--max-goroutines', 1))
    .option('--max-group <n>', 'alert when a group (not a benign one) has more goroutines', count('--max-group', 1))
    .option('--stale <duration>', 'a goroutine blocked in user code this long is stale (needs snapshots)', DEFAULTS.stale)
    .option('--stale-floor <n>', 'stale alerts a group that does not grow only when it held this many goroutines over the window', count('--stale-floor', 1), D.staleFloor)
    .option('--leak-profile <duration>', "read the runtime's goroutineleak profile (Go 1.26+) this often; each read costs the target a GC cycle")
    .option('--snapshot-interval <duration>', 'time between full debug=2 snapshots of a target (one is also taken when an alert fires)', DEFAULTS.snapshotInterval)
    .option('--snapshot-dir <dir>', 'where snapshots are written, gzipped', D.snapshotDir!)
    .option('--no-snapshots', 'take no debug=2 snapshots (alerts of pprof targets then carry no creator or state, and get no stale verdict)')
    .option('--snapshot-max-goroutines <n>', 'skip snapshots (and gops stack dumps) above this many goroutines: the target stops while writing one', count('--snapshot-max-goroutines', 1), D.snapshotMaxGoroutines)
    .option('--duration <duration>', 'stop after this long and print the report (for CI and load tests)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('-q, --quiet', 'no live view and no periodic summary; alert changes are still logged')
    .option('--webhook <url>', 'POST each alert change as JSON (with a Slack-compatible "text")')
    .option('--db <file>', 'SQLite file of the history', DEFAULTS.db)
    .option('--no-db', 'keep the history in memory only')
    .option('--retention <duration>', 'history older than this is deleted; older samples are thinned first', DEFAULTS.retention)
    .option('--report', 'print the report of the history in --db instead of sampling')
    .option('--since <time>', 'with --report: start of the period (ISO time, or a duration ago like 2h)')
    .option('--until <time>', 'with --report: end of the period (ISO time, or a duration ago)')
    .option('--module <path>', "the program's module path: its frames count as user code")
    .option('--source <dir>', "the program's source (a directory of its module): the report gives each alert's group the scan findings at its line, go statement or function, else the model's explanation")
    .addOption(new Option('--ignore-top <func>', 'ignore goroutines whose top function is FUNC (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-any <func>', 'ignore goroutines with FUNC anywhere in the stack (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--ignore-created-by <func>', 'ignore goroutines started by FUNC (repeatable)').argParser(collect).default([], 'none'))
    .addOption(new Option('--max-bytes <size>', 'largest answer accepted from a target (e.g. 64MiB)').argParser((v) => parseSize(v, '--max-bytes')).default(D.maxBytes, '64MiB'))
    .option('--serve <addr>', 'serve the dashboard, its JSON API and /metrics at HOST:PORT (127.0.0.1 unless --serve-public)')
    .option('--serve-public', 'allow --serve on an address other than loopback (it shows stack traces, paths and target names)')
    .addOption(new Option('--metrics-top <n>', 'groups per target with a /metrics series of their own; the rest are summed into group="other"').argParser(count('--metrics-top', 0)).default(undefined, String(DEFAULT_METRICS_TOP)))
    .option('--prometheus <url>', 'fleet triage: read the goroutine totals of many instances from this Prometheus, watch the worst growing ones')
    .option('--selector <promql>', 'with --prometheus: the totals, one series per instance (e.g. \'go_goroutines{job="api"}\')')
    .option('--range <duration>', 'with --prometheus: how far back growth is judged on the totals', '1h')
    .option('--worst <n>', 'with --prometheus: how many growing instances are watched', count('--worst', 1), 5)
    .option('--pprof-url <template>', 'with --prometheus: goroutine profile of an instance, {host} {port} {instance} from its instance label', DEFAULT_PPROF_URL)
    .option('--pprof-port <n>', "with --prometheus: the port of {port} (default: the instance label's own)", count('--pprof-port', 1))
    .addHelpText(
      'after',
      `
Examples:
  goroscope watch http://127.0.0.1:6060/debug/pprof/goroutine          one service, until Ctrl-C
  goroscope watch --targets services.txt --webhook https://hooks.example/T0 --db watch.db
  goroscope watch --duration 10m --format json -o watch.json gops://127.0.0.1:4321   (CI, load tests)
  goroscope watch --db watch.db --report --since 24h                   what a stored watch saw
  goroscope watch --targets services.txt --serve 127.0.0.1:9464        a dashboard at / and metrics at /metrics
  goroscope watch --prometheus http://prometheus:9090 --selector 'go_goroutines{job="api"}'
                                                                       the fleet's growing instances

Durations: 500ms, 15s, 30m, 1h, 7d (a plain number is seconds). Sizes: 64MiB, 512MB.
Exit codes: 0 no alert, 1 an alert fired, 2 usage error or no target could be reached.
Everything else: docs/watch.md; metrics and triage: docs/prometheus.md.`,
    )
    .action(async (specs: string[], flags: WatchFlags) => {
      // A bad --source fails at once, not after the watch.
      if (flags.source !== undefined) await sourceCheckout(flags.source);
      process.exitCode = flags.report ? await runReport(specs, flags) : await runWatch(specs, flags);
    });
}

function parseTargets(specs: readonly string[], scrubber: Scrubber): Target[] {
  const targets: Target[] = [];
  for (const spec of specs) {
    try {
      const t = parseTarget(spec);
      scrubber.add(t.secrets);
      if (!targets.some((o) => o.name === t.name)) targets.push(t);
    } catch (err) {
      throw new UserError(err instanceof TargetError ? err.message : String(err));
    }
  }
  return targets;
}

/** How better-sqlite3 fails when its native module was not built or was built for another Node. */
const NATIVE_MISSING = /bindings file|better_sqlite3\.node|NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|MODULE_NOT_FOUND.*better-sqlite3/s;

function openStore(file: string | null): WatchStore {
  try {
    return new WatchStore(file);
  } catch (err) {
    if (err instanceof StoreError) throw new UserError(`${file}: ${err.message}`);
    const e = err as NodeJS.ErrnoException;
    if (NATIVE_MISSING.test(`${e.code ?? ''} ${e.message}`)) {
      throw new UserError(
        'watch keeps its history in SQLite through better-sqlite3 (an optional dependency), which is not installed or whose native module is missing or was built for another Node.js: ' +
          'run `npm i better-sqlite3@12.11.1` or `npm rebuild better-sqlite3` where goroscope is installed (where npm blocks install scripts: `npm i --allow-scripts=better-sqlite3 ...`); ' +
          'building needs python3, make and a C++ compiler when no prebuilt binary can be downloaded',
      );
    }
    throw new UserError(`cannot open the database ${file}: ${e.code ?? e.message}`);
  }
}

function settingsFrom(flags: WatchFlags): WatchSettings {
  const intervalMs = parseWatchDuration(flags.interval, '--interval');
  const windowMs = parseWatchDuration(flags.window, '--window');
  if (windowMs < intervalMs * MIN_WINDOW_INTERVALS) {
    throw new UserError(`--window ${flags.window} must be at least ${MIN_WINDOW_INTERVALS} times --interval ${flags.interval}, so that growth is judged over enough samples`);
  }
  return {
    intervalMs,
    timeoutMs: parseWatchDuration(flags.timeout, '--timeout'),
    windowMs,
    minGrowth: flags.minGrowth,
    maxGoroutines: flags.maxGoroutines ?? null,
    maxGroup: flags.maxGroup ?? null,
    staleMinutes: Math.max(1, Math.ceil(parseWatchDuration(flags.stale, '--stale') / 60_000)),
    staleFloor: flags.staleFloor,
    maxBytes: flags.maxBytes,
    leakProfileMs: flags.leakProfile === undefined ? null : parseWatchDuration(flags.leakProfile, '--leak-profile'),
    snapshotIntervalMs: parseWatchDuration(flags.snapshotInterval, '--snapshot-interval'),
    snapshots: flags.snapshots,
    snapshotDir: flags.snapshots ? flags.snapshotDir : null,
    snapshotMaxGoroutines: flags.snapshotMaxGoroutines,
    group: { modulePath: flags.module ?? null, ignore: { top: flags.ignoreTop, any: flags.ignoreAny, createdBy: flags.ignoreCreatedBy } },
  };
}

async function sourceCheckout(dir: string) {
  const { checkoutAt, SourceError } = await import('../join/sourcemap.js');
  try {
    return checkoutAt(dir);
  } catch (err) {
    if (err instanceof SourceError) throw new UserError(`--source: ${err.message}`);
    throw err;
  }
}

/** --source: the alerts' groups joined with the source; what could not be read goes to stderr. */
async function withSource(report: WatchReportJson, flags: WatchFlags): Promise<WatchReportJson> {
  if (flags.source === undefined) return report;
  const checkout = await sourceCheckout(flags.source);
  for (const problem of await attachSourceToReport(report, checkout, process.cwd())) process.stderr.write(`goroscope: --source: ${problem}\n`);
  return report;
}

function printReport(report: WatchReportJson, flags: WatchFlags, scrubber: Scrubber): void {
  const p = palette(!flags.output && colorWanted(process.stdout));
  const text = flags.format === 'json' ? renderReportJson(report) : `${report.triage ? `${renderTriageText(report.triage, p)}\n` : ''}${renderReportText(report, p)}`;
  emit(scrubber.scrub(text), flags.output);
}

/** --prometheus: the growing instances to watch, and the triage for the report. */
async function triageTargets(flags: WatchFlags, specs: readonly string[], settings: WatchSettings, scrubber: Scrubber): Promise<{ triage: TriageJson; targets: Target[] }> {
  if (!flags.selector) throw new UserError("--prometheus needs --selector, the totals of the instances (e.g. 'go_goroutines{job=\"api\"}')");
  if (specs.length > 0 || flags.targets) throw new UserError('--prometheus chooses the targets: give no TARGET and no --targets');
  let prometheus: URL;
  try {
    prometheus = new URL(flags.prometheus!);
  } catch {
    throw new UserError('--prometheus is not a valid URL');
  }
  if (prometheus.protocol !== 'http:' && prometheus.protocol !== 'https:') throw new UserError('--prometheus takes an http(s) URL');
  scrubber.add(secretsOf(prometheus));
  try {
    const { json, targets } = await triageFleet({
      prometheus,
      selector: flags.selector,
      rangeMs: parseWatchDuration(flags.range, '--range'),
      worst: flags.worst,
      pprofUrl: flags.pprofUrl,
      pprofPort: flags.pprofPort ?? null,
      minGrowth: settings.minGrowth,
      timeoutMs: settings.timeoutMs,
      maxBytes: settings.maxBytes,
      now: Date.now(),
    });
    for (const t of targets) scrubber.add(t.secrets);
    return { triage: json, targets };
  } catch (err) {
    if (err instanceof PrometheusError) throw new UserError(scrubber.scrub(err.message));
    throw err;
  }
}

async function runReport(specs: string[], flags: WatchFlags): Promise<number> {
  if (flags.db === false) throw new UserError('--report reads the history in --db: it cannot be combined with --no-db');
  if (!existsSync(flags.db)) throw new UserError(`no watch history at ${flags.db} (--db)`);
  const scrubber = new Scrubber();
  const names = specs.length > 0 ? parseTargets(specs, scrubber).map((t) => t.name) : null;
  const store = openStore(flags.db);
  try {
    const range = store.timeRange();
    const now = Date.now();
    const since = flags.since ? timeArg(flags.since, '--since', now) : (range?.first ?? now);
    const until = flags.until ? timeArg(flags.until, '--until', now) : Math.max(range?.last ?? now, since);
    if (until < since) throw new UserError('--until is before --since');
    const report = await withSource(buildReport(store, since, until, names), flags);
    printReport(report, flags, scrubber);
    return anyAlert(report) ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    store.close();
  }
}

async function runWatch(specs: string[], flags: WatchFlags): Promise<number> {
  const scrubber = new Scrubber();
  const settings = settingsFrom(flags);
  let triage: TriageJson | null = null;
  let targets: Target[];
  if (flags.prometheus !== undefined) {
    const found = await triageTargets(flags, specs, settings, scrubber);
    triage = found.triage;
    targets = found.targets;
    // The report repeats it at the end; --quiet leaves it there.
    if (!flags.quiet) process.stderr.write(scrubber.scrub(renderTriageText(triage, palette(colorWanted(process.stderr)))));
    if (targets.length === 0) {
      const now = Date.now();
      printReport({ ...emptyReport(now), triage }, flags, scrubber);
      return EXIT_OK;
    }
  } else {
    if (flags.selector !== undefined) throw new UserError('--selector only applies with --prometheus URL');
    targets = parseTargets(specs, scrubber);
  }
  if (targets.length === 0 && !flags.targets) throw new UserError('no target: give URLs, gops://HOST:PORT or PIDs, or --targets FILE');
  if (flags.targets && !existsSync(flags.targets)) throw new UserError(`cannot read the targets file ${flags.targets}: no such file`);
  const durationMs = flags.duration === undefined ? null : parseWatchDuration(flags.duration, '--duration');
  const retentionMs = parseWatchDuration(flags.retention, '--retention');
  let webhookUrl: URL | null = null;
  if (flags.webhook) {
    try {
      webhookUrl = new URL(flags.webhook);
    } catch {
      throw new UserError('--webhook is not a valid URL');
    }
    if (webhookUrl.protocol !== 'http:' && webhookUrl.protocol !== 'https:') throw new UserError('--webhook takes an http(s) URL');
    // The whole URL is a secret (a Slack webhook's path is its key).
    scrubber.add([webhookUrl.href, `${webhookUrl.pathname}${webhookUrl.search}`, ...secretsOf(webhookUrl)].filter((s) => s.length > 1 && s !== '/'));
  }
  let serveAddress: ServeAddress | null = null;
  if (flags.serve !== undefined) {
    try {
      serveAddress = parseServeAddress(flags.serve, flags.servePublic === true);
    } catch (err) {
      throw new UserError(err instanceof ServeAddressError ? err.message : String(err));
    }
  } else if (flags.servePublic) throw new UserError('--serve-public only applies with --serve ADDR');
  else if (flags.metricsTop !== undefined) throw new UserError('--metrics-top only applies with --serve ADDR');
  const store = openStore(flags.db === false ? null : flags.db);
  // The live view takes the terminal unless the JSON report is to be printed there.
  const live = !flags.quiet && process.stdout.isTTY === true && (flags.format === 'text' || flags.output !== undefined);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const webhook = webhookUrl ? new Webhook(webhookUrl, { log: (m) => log(scrubber.scrub(`goroscope: ${m}`)) }) : null;
  let redrawPending = false;
  let watcher: Watcher | null = null;
  let ended = false;
  const draw = () => {
    redrawPending = false;
    if (watcher === null || ended) return;
    const p = palette(colorWanted(process.stdout));
    const view = renderLiveView(watcher.targets(), { intervalMs: settings.intervalMs, windowMs: settings.windowMs, now: Date.now() }, p);
    process.stdout.write(`\u001b[H\u001b[2J${scrubber.scrub(view)}`);
  };
  const outputs = new WatchOutputs({
    log: live ? null : log,
    webhook,
    scrubber,
    redraw: live
      ? () => {
          if (redrawPending) return;
          redrawPending = true;
          setTimeout(draw, 250);
        }
      : null,
  });
  watcher = new Watcher({ targets, targetsFile: flags.targets ?? null, durationMs, retentionMs }, settings, store, scrubber, outputs);
  let server: RunningServer | null = null;
  if (serveAddress) {
    try {
      // The routes (and prom-client) are loaded only when something is served.
      const { serveRoutes } = await import('../watch/serve/routes.js');
      server = await startServer(serveAddress, serveRoutes(), { watcher, store, settings, scrubber, metricsTop: flags.metricsTop ?? DEFAULT_METRICS_TOP });
    } catch (err) {
      store.close();
      throw new UserError(`--serve ${flags.serve}: cannot listen: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    log(`goroscope: serving ${server.url}`);
  }
  const stop = () => void watcher!.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const summaryEvery = Math.max(60_000, settings.intervalMs);
  const summary = live || flags.quiet ? null : setInterval(() => outputs.summary(watcher!.targets()), summaryEvery);
  const redraw = live ? setInterval(draw, 1000) : null;
  try {
    await watcher.run();
  } finally {
    ended = true;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (summary) clearInterval(summary);
    if (redraw) clearInterval(redraw);
    await server?.close();
  }
  if (live) process.stdout.write('\u001b[H\u001b[2J');
  await webhook?.flush(10_000);
  try {
    const report = await withSource(buildReport(store, watcher.startedAt, watcher.endedAt ?? Date.now(), watcher.targets().map((t) => t.name)), flags);
    printReport(triage ? { ...report, triage } : report, flags, scrubber);
    if (!watcher.anyReached()) {
      process.stderr.write('goroscope: no target could be reached\n');
      return EXIT_USAGE;
    }
    return anyAlert(report) ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    store.close();
  }
}
