// `goroscope scan [PATH|PATTERN]...`: static analysis of Go source for goroutine leaks.
// Exit 0 when nothing is at or above --fail-on, 1 when something is, 2 on usage or I/O errors
// (a path that does not exist or holds no Go files, a bad config, an unwritable --output) and,
// unless --allow-errors, when a file could not be analysed; the report is written whole first.
import { readFileSync, writeFileSync } from 'node:fs';
import type { EvidenceInput } from '../join/evidence.js';
import { Command, Option } from 'commander';
import { discover, PatternError } from '../gosrc/walk.js';
import { RULES } from '../rules/registry.js';
import { colorWanted } from '../report/color.js';
import { formatGithub } from '../report/github.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import { diskLineReader, formatText } from '../report/text.js';
import { ConfigError } from '../scan/config.js';
import { runScan, type ScanOutcome, type ScanProgress } from '../scan/engine.js';
import { rerunWithSmallPool, scanWantsSmallPool } from './relaunch.js';
import { isUnanalysed, SEVERITY_ORDER, type Finding, type ScanError, type ScanResult, type Severity } from '../scan/finding.js';
import { fixFindings, type FixReport } from '../fix/run.js';
import { VERSION } from '../version.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UserError } from './exit.js';
import { assertWritableOutput } from './output.js';
import { terminalProgress } from './progress.js';
import { parseCount, parseSize } from './units.js';

type Format = 'text' | 'json' | 'sarif' | 'github';

interface ScanFlags {
  format: Format;
  output?: string;
  config?: string | boolean;
  rules: string[];
  failOn?: Severity;
  includeVendor?: boolean;
  tests: boolean;
  maxFileSize?: number;
  workers?: number;
  allowErrors?: boolean;
  quiet?: boolean;
  evidence: string[];
  fix?: boolean;
  fixDryRun?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('Find goroutine leaks in Go source code (static analysis; no build needed).')
    .argument('[paths...]', 'files, package directories, or patterns like ./... and ./pkg/... (default: ./...)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github']).default('text'))
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('-q, --quiet', 'no progress on stderr (shown only when stderr is a terminal)')
    .option('-c, --config <file>', 'config file (default: the nearest .goroscope.yaml at or above the first path)')
    .option('--no-config', 'ignore .goroscope.yaml files')
    .addOption(
      new Option('--rules <list>', 'rules to run: "a,b" runs exactly these (opt-in rules included); "+a,-b" adds to / removes from the configured set; repeatable')
        .argParser(collect)
        .default([], 'the rules on by default, as configured'),
    )
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding has this severity or higher (default: failOn from config, else warning)').choices(['error', 'warning', 'info']))
    .option('--include-vendor', 'also scan vendor directories')
    .option('--no-tests', 'skip _test.go files (files named explicitly are still scanned)')
    .option('--max-file-size <size>', 'skip and report files larger than this: 2MiB, 512KiB, 1MB, bytes (default: 2MiB)', (v) => parseSize(v, '--max-file-size'))
    .option('-j, --workers <n>', 'worker threads; 0 runs in the main thread (default: one per core)', (v) => parseCount(v, '--workers'))
    .option('--allow-errors', 'files that could not be analysed are reported, but the exit code follows the findings alone')
    .addOption(
      new Option('--evidence <file>', 'goroutine dumps of the running program (files, URLs, -): findings they confirm are marked, raised to error and listed first; repeatable')
        .argParser(collect)
        .default([], 'none'),
    )
    .addOption(new Option('--fix', 'apply the fixes findings carry as edits; the report lists what is left').conflicts('fixDryRun'))
    .option('--fix-dry-run', 'print the fixes as a unified diff on stdout instead of the report; change nothing')
    .addHelpText(
      'after',
      `
Patterns: a directory scans that package only; dir/... scans it and everything below, skipping
testdata, vendor (see --include-vendor), names starting with "." or "_" and symlinked
directories, as the go tool does. A directory or pattern with no Go files is an error. Files
with a //go:build ignore constraint are skipped.

Suppress a finding with //goroscope:ignore <rule>[,<rule>] <reason> on its line or the line
above, or //nolint:goroscope on its line. Config: docs/config.md. JSON/SARIF: docs/json-schema.md.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or I/O error, a path with
no Go files, or a file that could not be analysed (unreadable, binary, over --max-file-size, an
internal error); --allow-errors reports such files and lets the findings decide. Syntax errors
are reported and never change the exit code.

Examples:
  goroscope scan ./...
  goroscope scan --format sarif --output goroscope.sarif ./...
  goroscope scan --rules +bare-go --fail-on error ./cmd/... ./internal/...
  goroscope scan -f json --no-tests ./pkg/server
  goroscope scan --evidence prod-goroutines.txt ./...
  goroscope scan --fix-dry-run ./... && goroscope scan --fix ./...`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      process.exitCode = await runScanCommand(paths.length > 0 ? paths : ['./...'], flags);
    });
}

/** Bytes of Go source the scan would read; 0 when the paths are wrong (the scan itself says how). */
function goSourceBytes(paths: string[], cwd: string, flags: ScanFlags): number {
  try {
    const found = discover(paths, { cwd, includeVendor: Boolean(flags.includeVendor), tests: flags.tests, maxFileSize: flags.maxFileSize });
    return found.packages.reduce((n, p) => n + p.bytes, 0);
  } catch {
    return 0;
  }
}

async function runScanCommand(paths: string[], flags: ScanFlags): Promise<number> {
  const cwd = process.cwd();
  if (flags.output !== undefined) assertWritableOutput(flags.output);
  if (scanWantsSmallPool(flags.workers, () => goSourceBytes(paths, cwd, flags))) {
    const code = await rerunWithSmallPool();
    if (code !== null) return code;
  }
  // Quick scans stay silent: the live line appears once the scan has run for a second.
  const progress = terminalProgress({ quiet: flags.quiet, delayMs: 1000 });
  const scanOnce = async (): Promise<ScanOutcome> => {
    try {
      return await runScan(paths, {
        cwd,
        // With --no-config defined, commander sets `config` to true when neither flag is given.
        config: typeof flags.config === 'string' ? flags.config : flags.config === false ? false : undefined,
        rules: flags.rules,
        includeVendor: Boolean(flags.includeVendor),
        tests: flags.tests,
        maxFileSize: flags.maxFileSize,
        workers: flags.workers,
        onProgress: (p) => progress.status(`${p.done}/${p.total} packages`),
      });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof PatternError) throw new UserError(err.message);
      throw err;
    } finally {
      progress.clear();
    }
  };
  let outcome = await scanOnce();
  let { result } = outcome;
  let diff: string | null = null;
  if (flags.fix || flags.fixDryRun) {
    const fixes = fixFindings(result, cwd, Boolean(flags.fix));
    writeFixSummary(fixes, Boolean(flags.fix));
    // The report after --fix is a new scan of the fixed code: what is left, at its new lines.
    if (flags.fix && fixes.files.length > 0) ({ result } = outcome = await scanOnce());
    if (flags.fixDryRun) diff = fixes.files.map((f) => f.diff).join('');
  }
  // Evidence marks the findings of the final scan (after --fix, what is left).
  let evidenceFailed = false;
  if (flags.evidence.length > 0) ({ result, failed: evidenceFailed } = await withEvidence(result, flags.evidence, cwd, flags.quiet));
  const report = render(result, flags.format, cwd, flags.output === undefined && diff === null);
  if (diff !== null) {
    process.stdout.write(diff);
    if (flags.output !== undefined) writeReport(flags.output, report);
  } else if (flags.output !== undefined) {
    try {
      writeFileSync(flags.output, report);
    } catch (err) {
      throw new UserError(`cannot write ${flags.output}: ${(err as Error).message}`);
    }
  } else {
    process.stdout.write(report);
  }
  // Also on stderr: with --format json or --output the report alone is easy to overlook.
  const pathErrors = result.errors.filter((e) => e.kind === 'path');
  for (const e of pathErrors) process.stderr.write(`goroscope: ${e.message}\n`);
  const unanalysed = result.errors.filter(isUnanalysed);
  if (unanalysed.length > 0 && !flags.allowErrors) {
    // The text report on stdout lists them already; other formats are for tools, so say it here.
    const inReport = flags.format === 'text' && flags.output === undefined;
    if (!inReport) for (const e of unanalysed.slice(0, MAX_LISTED)) process.stderr.write(`goroscope: ${location(e)}: ${e.message}\n`);
    const where = inReport ? ' (listed above)' : unanalysed.length > MAX_LISTED ? ` (the first ${MAX_LISTED} above; all in the report)` : '';
    const count = unanalysed.length === 1 ? '1 file or package' : `${unanalysed.length} files or packages`;
    process.stderr.write(`goroscope: ${count} could not be analysed${where}: exit 2; --allow-errors reports them and lets the findings decide\n`);
  }
  if (pathErrors.length > 0 || evidenceFailed || (unanalysed.length > 0 && !flags.allowErrors)) return EXIT_USAGE;
  const failOn = flags.failOn ?? outcome.config.failOn ?? 'warning';
  return result.findings.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn]) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Reads the --evidence inputs (an unreadable one is reported on stderr, the others still count)
 * and marks the findings they confirm: goroutine dumps and profiles, judged with the scanned
 * module as the program's module, and `goroscope test --format json` reports.
 */
async function withEvidence(result: ScanResult, inputs: string[], cwd: string, quiet?: boolean): Promise<{ result: ScanResult; failed: boolean }> {
  const [{ readInputs }, { analyzeDump }, evidence, { findGoMod }] = await Promise.all([
    import('./dump-command.js'),
    import('../dump/analyze/index.js'),
    import('../join/evidence.js'),
    import('../gosrc/gomod.js'),
  ]);
  const modulePath = findGoMod(cwd)?.modulePath ?? null;
  let failed = false;
  const read: EvidenceInput[] = [];
  for (const input of inputs) {
    const json = jsonText(input);
    const report = json === null ? null : evidence.testReportEvidence(input, json);
    if (report) {
      read.push(report);
      continue;
    }
    const dumps = await readInputs([input], {}, quiet);
    failed ||= dumps.failed;
    if (dumps.dumps[0]) read.push(evidence.dumpEvidence(input, analyzeDump(dumps.dumps[0], { modulePath })));
  }
  return { result: evidence.applyEvidence(result, read, cwd), failed };
}

/** The text of a local file that holds a JSON object (a `goroscope test` report), else null. */
function jsonText(input: string): string | null {
  if (input === '-' || /^https?:\/\//i.test(input)) return null;
  try {
    const text = readFileSync(input, 'utf8');
    return text.trimStart().startsWith('{') ? text : null;
  } catch {
    return null; // reported by the dump reader, which says why
  }
}

function writeReport(file: string, report: string): void {
  try {
    writeFileSync(file, report);
  } catch (err) {
    throw new UserError(`cannot write ${file}: ${(err as Error).message}`);
  }
}

/** What --fix did (or --fix-dry-run would do), one line per finding, on stderr. */
function writeFixSummary(fixes: FixReport, applied: boolean): void {
  const at = (f: Finding) => `${f.file}:${f.line}: ${f.rule}`;
  const verb = applied ? 'fixed' : 'would fix';
  for (const file of fixes.files) for (const f of file.fixed) process.stderr.write(`goroscope: ${verb} ${at(f)}\n`);
  for (const { finding, reason } of fixes.left) process.stderr.write(`goroscope: not fixed ${at(finding)}: ${reason}\n`);
  const count = fixes.files.reduce((n, f) => n + f.fixed.length, 0);
  const files = fixes.files.length === 1 ? '1 file' : `${fixes.files.length} files`;
  process.stderr.write(
    `goroscope: ${verb} ${count} finding${count === 1 ? '' : 's'} in ${files}; ${fixes.left.length} with a fix left, ${fixes.noFix.length} with no automatic fix\n`,
  );
}

/** Unanalysed files listed on stderr when the report goes elsewhere; the report has them all. */
const MAX_LISTED = 10;

function location(e: ScanError): string {
  return e.line > 0 ? `${e.file}:${e.line}` : e.file;
}

function render(result: ScanResult, format: Format, cwd: string, toStdout: boolean): string {
  const readLine = diskLineReader(cwd);
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, { rules: RULES.map((r) => r.meta), cwd, readLine, version: VERSION });
    case 'github':
      return formatGithub(result);
    case 'text':
      return formatText(result, { color: toStdout && colorWanted(process.stdout), readLine });
  }
}
