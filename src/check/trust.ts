// What `goroscope check` takes from a repository's own .goroscope.yaml when it is not told to
// trust it (--trust-config). In CI on a pull request the contributor controls that file, so it
// must not make goroscope run a command (check.load), reach an address (check.service) or pass
// go test a flag that names a program to run or a file to read or write (-exec, -toolexec,
// -ldflags=-extld=..., -o, -coverprofile, -modfile, -C...). Such settings are ignored and reported;
// the rest of the config (items to skip, gate thresholds, test selection) still applies, since
// it can only change what is checked, which a reviewer sees in the pull request's diff.
import { isFlagArg, readGoFlag } from '../testrun/goflags.js';
import type { CheckConfig } from './config.js';

/** go test flags an untrusted config may set: they select tests or turn on build checks. */
const SAFE_GO_FLAGS = new Set([
  'race', 'msan', 'asan', 'short', 'failfast', 'v', 'json', 'cover', 'covermode', 'coverpkg', 'benchmem', 'fullpath',
  'trimpath', 'buildvcs', 'run', 'skip', 'count', 'cpu', 'parallel', 'timeout', 'shuffle', 'tags', 'vet', 'mod', 'p',
  'bench', 'benchtime', 'list',
]);

/** goroscope test's own options an untrusted config may set, and whether they take a value. */
const SAFE_GOROSCOPE_OPTIONS = new Map([
  ['--count', true],
  ['--cpu', true],
  ['--settle', true],
  ['--no-attribute', false],
  ['--shake', true],
  ['--shake-seed', true],
  ['--shake-prob', true],
  ['--shake-deps', false],
  ['--shake-until-found', false],
]);

export interface TrustedCheckConfig {
  config: CheckConfig;
  /** Why check.service/check.load were ignored (with file and line), or null when they were not. */
  loadIgnored: string | null;
  /** Which check.testFlags entries were ignored and why, or null when none was. */
  testFlagsIgnored: string | null;
}

export function applyConfigTrust(config: CheckConfig, trusted: boolean): TrustedCheckConfig {
  if (trusted) return { config, loadIgnored: null, testFlagsIgnored: null };
  const out: CheckConfig = { ...config };
  let testFlagsIgnored: string | null = null;
  const where = (key: 'service' | 'load' | 'testFlags') => config.locations?.[key] ?? '.goroscope.yaml';
  let loadIgnored: string | null = null;
  const ignoredKeys = (['service', 'load'] as const).filter((k) => config[k] !== undefined);
  if (ignoredKeys.length > 0) {
    delete out.service;
    delete out.load;
    const names = ignoredKeys.map((k) => `check.${k} (${where(k)})`).join(' and ');
    loadIgnored = `${names} ignored: a repository's .goroscope.yaml is not trusted to name a command to run or an address to read (pass --trust-config, or give --service and --load on the command line)`;
  }
  if (config.testFlags) {
    const { kept, dropped } = splitTestFlags(config.testFlags);
    if (dropped.length > 0) {
      out.testFlags = kept;
      testFlagsIgnored = `check.testFlags (${where('testFlags')}): ignored ${dropped.join(' ')}: a repository's .goroscope.yaml is not trusted to pass go test flags beyond test selection and build checks (${[...SAFE_GO_FLAGS].slice(0, 8).map((f) => `-${f}`).join(', ')}, ...); flags that name a program to run or a file to read or write need --trust-config`;
    }
  }
  return { config: out, loadIgnored, testFlagsIgnored };
}

/** The entries of an untrusted testFlags list that may be used, and the ones that may not. */
export function splitTestFlags(flags: readonly string[]): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const arg = flags[i]!;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), true] : [arg, false];
      const takesValue = SAFE_GOROSCOPE_OPTIONS.get(name);
      const withValue = takesValue === true && !inline && i + 1 < flags.length ? [arg, flags[++i]!] : [arg];
      (takesValue === undefined ? dropped : kept).push(...withValue);
      continue;
    }
    if (!isFlagArg(arg)) {
      // A package pattern or a test-binary argument: not a setting a config may add.
      dropped.push(arg);
      continue;
    }
    const f = readGoFlag(arg);
    const withValue = f.known && f.takesValue && f.inline === undefined && i + 1 < flags.length ? [arg, flags[++i]!] : [arg];
    (f.known && SAFE_GO_FLAGS.has(f.name) ? kept : dropped).push(...withValue);
  }
  return { kept, dropped };
}
