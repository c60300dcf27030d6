// The goroscope GitHub Action. Plain Node (no dependencies of its own): it runs the goroscope CLI
// built from the action's own checkout (npm ci, then tsc, the first time in a job; or
// $GOROSCOPE_ACTION_CLI, a main.js given by tests), writes SARIF for code scanning, puts the
// checklist in the job summary, and fails the step on findings. When goroscope itself cannot be
// built or run, the step fails with that error, never as "found goroutine leaks".
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The action's checkout: the goroscope repository at the ref named in `uses:`. */
const ACTION_ROOT = path.resolve(here, '..');
/** Reports and npm logs are read whole; spawnSync's default of 1 MiB would cut a large one. */
const MAX_OUTPUT = 256 * 1024 * 1024;

/** goroscope could not be built or did not run to a result: the step fails with this message. */
class GoroscopeFailure extends Error {}

/** An input as the runner passes it: INPUT_<NAME> with spaces as underscores, upper-cased. */
export function input(name, fallback = '') {
  const v = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

/** Splits an argument string on spaces, keeping "quoted parts" together. */
export function splitArgs(s) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

function setOutput(name, value) {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** Why a finished child process gave no result, or '' when it exited with one of `okCodes`. */
function failureOf(r, okCodes) {
  if (r.error) return `could not run (${r.error.message})`;
  if (r.signal) return `was killed by ${r.signal}`;
  if (!okCodes.includes(r.status)) return `exited ${r.status}`;
  return '';
}

/** The first lines of a build's output that say what went wrong, for the error annotation. */
function buildError(output) {
  const lines = output.split('\n').map((l) => l.trimEnd()).filter((l) => l && !/^npm error$|complete log of this run/i.test(l));
  const errors = lines.filter((l) => /error/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(0, 5).join('\n');
}

/** npm: the one beside the node running this action (the runner's node ships it), else PATH's. */
function npmCommand() {
  const bin = path.dirname(process.execPath);
  for (const cli of [path.join(bin, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), path.join(bin, 'node_modules', 'npm', 'bin', 'npm-cli.js')]) {
    if (existsSync(cli)) return { command: process.execPath, prefix: [cli] };
  }
  return { command: 'npm', prefix: [] };
}

/** Runs one build step in the action's checkout, its output folded into the log. */
function buildStep(title, command, args) {
  console.log(`::group::goroscope: ${title}`);
  const r = spawnSync(command, args, { cwd: ACTION_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: MAX_OUTPUT });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
  console.log('::endgroup::');
  const failure = failureOf(r, [0]);
  if (failure) throw new GoroscopeFailure(`could not build goroscope in ${ACTION_ROOT}: ${title} ${failure}\n${buildError(output)}`.trimEnd());
}

/**
 * dist/cli/main.js of the action's checkout, built the first time the action runs in a job:
 * `npm ci` installs the locked dependencies without running their install scripts (goroscope
 * needs none: it parses Go with tree-sitter's wasm build), then scripts/prepare.mjs compiles
 * dist/. A marker in node_modules (which npm ci empties) says the build finished.
 */
function builtCli() {
  const cli = path.join(ACTION_ROOT, 'dist', 'cli', 'main.js');
  const modules = path.join(ACTION_ROOT, 'node_modules');
  const marker = path.join(modules, '.goroscope-action-built');
  if (existsSync(marker) && existsSync(cli)) return cli;
  // npm ci empties node_modules, and through a symbolic link (a working tree sharing another's
  // dependencies) it empties the other tree's: such a tree is used as it is, never rebuilt.
  if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) {
    if (existsSync(cli)) return cli;
    throw new GoroscopeFailure(`goroscope is not built in ${ACTION_ROOT}, and its node_modules is a symbolic link that npm ci would empty: run npm run build there`);
  }
  const npm = npmCommand();
  buildStep('npm ci', npm.command, [...npm.prefix, 'ci', '--ignore-scripts', '--include=dev', '--no-audit', '--no-fund']);
  buildStep('build', process.execPath, [path.join(ACTION_ROOT, 'scripts', 'prepare.mjs')]);
  if (!existsSync(cli)) throw new GoroscopeFailure(`could not build goroscope in ${ACTION_ROOT}: the build finished without ${path.relative(ACTION_ROOT, cli)}`);
  mkdirSync(modules, { recursive: true });
  writeFileSync(marker, '');
  return cli;
}

/**
 * Runs goroscope and returns its result when it produced one (exit 0 or 1). Anything else (it
 * could not start, was killed, exited 2 or with a crash's code, or exited 1 with no report on
 * stdout, as Node does on an uncaught exception) throws GoroscopeFailure. Its stderr goes
 * straight to the log, so a long check shows its progress and the error is next to the failure.
 */
function goroscope(args, okCodes = [0, 1]) {
  const cli = process.env.GOROSCOPE_ACTION_CLI || builtCli();
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: MAX_OUTPUT });
  const failure = failureOf(r, okCodes);
  if (failure) throw new GoroscopeFailure(`goroscope ${args[0]} ${failure}${r.status === 2 ? ' (usage or I/O error)' : ''}; its error is in the log above`);
  if (r.status === 1 && !args.includes('--output') && !(r.stdout ?? '').trim()) {
    throw new GoroscopeFailure(`goroscope ${args[0]} exited 1 without writing its report; its error is in the log above`);
  }
  return r;
}

/** Checks that the scan that exited with `status` wrote a SARIF log to `file`. */
function expectSarif(file, status) {
  let log;
  try {
    log = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    // Exit 2 with no report is a usage or I/O error (exit 2 with a report: code not analysed).
    if (status === 2) throw new GoroscopeFailure('goroscope scan exited 2 (usage or I/O error); its error is in the log above');
    throw new GoroscopeFailure(`goroscope scan exited ${status} without writing a readable SARIF report to ${file} (${err.code ?? err.message})`);
  }
  if (!Array.isArray(log?.runs)) throw new GoroscopeFailure(`goroscope scan exited ${status} and wrote ${file}, but it is not a SARIF log`);
}

/** A workflow-command message: %, CR and LF percent-encoded (dist/'s escapeData may not be built). */
function escapeData(s) {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function runCommand() {
  const command = input('command', 'scan');
  if (command !== 'scan' && command !== 'check') {
    console.log(`::error title=goroscope::input command must be scan or check, not ${command}`);
    return 2;
  }
  const paths = splitArgs(input('paths', './...'));
  const failOn = input('fail-on', 'warning');
  const sarif = input('sarif-file', 'goroscope.sarif');
  const extra = splitArgs(input('args'));
  // The SARIF report always comes from the static scan, so code scanning gets annotations
  // whichever command gates the step. A report left by an earlier step must not pass for this one.
  rmSync(sarif, { force: true });
  // Exit 2 with a whole SARIF report is a scan that ran but could not analyse some files (scan
  // fails closed on them): a result to report, not a goroscope that failed to run.
  const scan = goroscope(['scan', '--format', 'sarif', '--output', sarif, '--fail-on', failOn, ...(command === 'scan' ? extra : []), ...paths], [0, 1, 2]);
  expectSarif(sarif, scan.status);
  setOutput('sarif-file', sarif);
  let code = scan.status ?? 2;
  if (command === 'check') {
    // A repository's own config may only name commands and addresses when the workflow says so.
    const trust = input('trust-config', 'false') === 'true' ? ['--trust-config'] : [];
    const check = goroscope(['check', '--format', 'markdown', '--fail-on', failOn, ...trust, ...extra, ...paths]);
    process.stdout.write(check.stdout ?? '');
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, check.stdout ?? '');
    code = check.status ?? 2;
  } else {
    const text = goroscope(['scan', '--format', 'github', '--fail-on', failOn, ...extra, ...paths], scan.status === 2 ? [0, 1, 2] : [0, 1]);
    process.stdout.write(text.stdout ?? '');
  }
  setOutput('exit-code', String(code));
  if (code === 1 && command === 'scan') console.log(`::error title=goroscope::goroscope scan found goroutine leaks (see the annotations and ${sarif})`);
  else if (code === 1) console.log(`::error title=goroscope::goroscope check failed (see the checklist in the job summary; the scan's findings are in ${sarif})`);
  else if (code === 2) console.log(`::error title=goroscope::goroscope scan could not analyse some code (see the errors above; --allow-errors in args lets the findings decide)`);
  return code;
}

export function run() {
  if (input('version')) {
    console.log('::warning title=goroscope::the version input is gone: the action runs the goroscope of the ref named in uses:');
  }
  try {
    return runCommand();
  } catch (err) {
    // A bug in this file is reported the same way, as one annotation; the stack only in debug logs.
    const message = err instanceof GoroscopeFailure ? err.message : `internal error in the action: ${err?.message ?? err}`;
    if (!(err instanceof GoroscopeFailure) && process.env.RUNNER_DEBUG === '1') console.log(`::debug::${escapeData(String(err?.stack))}`);
    console.log(`::error title=goroscope::${escapeData(message)}`);
    setOutput('exit-code', '2');
    return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = run();
