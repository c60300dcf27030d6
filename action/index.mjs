// The goroscope GitHub Action. Plain Node (no dependencies, nothing to build): it runs the
// goroscope CLI from npm (or $GOROSCOPE_ACTION_CLI, a local main.js, for tests), writes SARIF
// for code scanning, puts the checklist in the job summary, and fails the step on findings.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

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

function goroscope(args) {
  const local = process.env.GOROSCOPE_ACTION_CLI;
  if (local) return spawnSync(process.execPath, [local, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const version = input('version') || JSON.parse(readFileSync(path.join(here, '..', 'package.json'), 'utf8')).version;
  return spawnSync('npx', ['--yes', `goroscope@${version}`, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
}

export function run() {
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
  // whichever command gates the step.
  const scan = goroscope(['scan', '--format', 'sarif', '--output', sarif, '--fail-on', failOn, ...(command === 'scan' ? extra : []), ...paths]);
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
    const text = goroscope(['scan', '--format', 'github', '--fail-on', failOn, ...extra, ...paths]);
    process.stdout.write(text.stdout ?? '');
  }
  setOutput('exit-code', String(code));
  if (code === 1) console.log(`::error title=goroscope::goroscope ${command} found goroutine leaks (see the annotations and ${sarif})`);
  else if (code !== 0) console.log(`::error title=goroscope::goroscope ${command} failed (exit ${code}): a usage error, or code it could not analyse (see the errors above; --allow-errors in args lets the findings decide)`);
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = run();
