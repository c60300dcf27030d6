// Splits `goroscope test` arguments into goroscope's own options (always `--long` form) and the
// arguments passed to `go test` unchanged (Go's single-dash flags and the package patterns).
import { UsageError, UserError } from '../cli/exit.js';
import { parseCount, parseDuration } from '../cli/units.js';
import { isFlagArg, readGoFlag } from './goflags.js';
import { parseShakeFlag, resolveShakeOptions, type ShakeFlags, type ShakeOptions } from './shake/options.js';

export type TestFormat = 'text' | 'json' | 'sarif' | 'junit';

export interface TestOptions {
  format: TestFormat;
  output: string | null;
  /** How long the harness waits for goroutines to finish after the tests, in ms. */
  settleMs: number;
  attribute: boolean;
  /** Separate runs of the whole suite (schedule-dependent leaks). */
  runs: number;
  /** GOMAXPROCS values, one run each (times `runs`). Empty: the default. */
  cpus: number[];
  /** The go binary. */
  go: string;
  /** Exit 0 rather than 1 when some package's leak check could not run (--allow-unchecked). */
  allowUnchecked: boolean;
  /** go test -json: go's event stream keeps stdout, goroscope's report goes to stderr or --output. */
  goJson: boolean;
  /** No progress on stderr (--quiet). */
  quiet: boolean;
  /** Join each leak with a scan of its package (--source): findings, else the model's explanation. */
  source: boolean;
  /** Arguments for go test, in order, packages included. */
  goArgs: string[];
  /** The package patterns among goArgs (for go list); ["."] when none. */
  packages: string[];
  /** Where the package patterns are in goArgs (empty when none was given). */
  packageIndexes: number[];
  /** --shake: runs on perturbed schedules; null without it. */
  shake: ShakeOptions | null;
  /** Build flags among goArgs that go list must see too (-tags, -mod, -race...). */
  buildFlags: string[];
  /** The -timeout the user gave go test, or null (attribution's runs get it too). */
  timeout: string | null;
}

/** Build flags go list must also receive so it sees the same files (not -cover: go list of Go 1.19 rejects it, and it changes no file list). */
const BUILD_FLAGS = new Set(['tags', 'mod', 'modfile', 'race', 'msan', 'asan', 'buildvcs', 'C']);

/** go test flags with which no test binary runs, so no leak check can either. */
const NO_RUN_FLAGS: Record<string, string> = {
  c: '-c only compiles the test binaries',
  n: '-n only prints the commands',
};

export function parseTestArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): TestOptions {
  const o: TestOptions = {
    format: 'text',
    output: null,
    settleMs: 2000,
    attribute: true,
    runs: 1,
    cpus: [],
    go: env.GOROSCOPE_GO || 'go',
    allowUnchecked: false,
    goJson: false,
    quiet: false,
    source: false,
    goArgs: [],
    packages: [],
    packageIndexes: [],
    buildFlags: [],
    timeout: null,
    shake: null,
  };
  const shakeFlags: ShakeFlags = {};
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  // go test's own split (cmd/go/internal/test/testflag.go): the package list is the first run of
  // non-flag arguments; an argument go does not know as a flag, a non-flag argument after the
  // package list, "--" and "-args" hand the rest to the test binary.
  let packagesSeen = false;
  let inPackageList = false;
  let afterUnknownFlagWithoutValue = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const wasAfterUnknown = afterUnknownFlagWithoutValue;
    afterUnknownFlagWithoutValue = false;
    const [flag, inline] = arg.startsWith('--') ? splitInline(arg) : [arg, undefined];
    const take = () => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '--format': {
        const f = take();
        if (!['text', 'json', 'sarif', 'junit'].includes(f)) throw new UsageError(`--format must be text, json, sarif or junit, not "${f}"`);
        o.format = f as TestFormat;
        continue;
      }
      case '--output':
        o.output = take();
        continue;
      case '--settle':
        o.settleMs = parseDuration(take(), '--settle', { allowZero: true });
        continue;
      case '--quiet':
        o.quiet = true;
        continue;
      case '--source':
        o.source = true;
        continue;
      case '--no-attribute':
        o.attribute = false;
        continue;
      case '--allow-unchecked':
        o.allowUnchecked = true;
        continue;
      case '--count':
        o.runs = parseCount(take(), '--count', 1);
        continue;
      case '--cpu':
        o.cpus = take().split(',').map((c) => parseCount(c, '--cpu', 1));
        continue;
      case '--go':
        o.go = take();
        continue;
    }
    if (parseShakeFlag(flag, () => take(), shakeFlags)) continue;
    if (arg === '-args' || arg === '--args' || arg === '--') {
      // Everything after -args goes to the test binary; go passes "--" on with the rest too.
      o.goArgs.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) throw new UsageError(`unknown option ${flag} (go test's own flags take one dash, e.g. -run)`);
    if (!isFlagArg(arg)) {
      if (packagesSeen && !inPackageList) {
        if (wasAfterUnknown) {
          // Possibly the value of the unknown flag before it: go keeps reading its own flags.
          o.goArgs.push(arg);
          continue;
        }
        o.goArgs.push(...argv.slice(i));
        break;
      }
      packagesSeen = inPackageList = true;
      o.packages.push(arg);
      o.packageIndexes.push(o.goArgs.length);
      o.goArgs.push(arg);
      continue;
    }
    inPackageList = false;
    const f = readGoFlag(arg);
    o.goArgs.push(arg);
    if (!f.known) {
      // A flag for the test binary: the package list, if any, is complete.
      packagesSeen = true;
      afterUnknownFlagWithoutValue = f.inline === undefined;
      continue;
    }
    if (f.name === 'overlay') throw new UserError('-overlay cannot be combined with goroscope test, which uses it itself');
    if (NO_RUN_FLAGS[f.name] && f.inline !== 'false') throw new UserError(`${NO_RUN_FLAGS[f.name]}: no test runs, so goroscope test has nothing to check`);
    let flagValue = f.inline;
    if (f.takesValue && f.inline === undefined) {
      if (i + 1 >= argv.length) throw new UserError(`flag needs an argument: ${arg}`);
      flagValue = argv[++i]!;
      o.goArgs.push(flagValue);
    }
    if (f.name === 'timeout' && flagValue !== undefined) o.timeout = flagValue;
    if (f.name === 'json') o.goJson = f.inline === undefined || f.inline === 'true' || f.inline === '1';
    if (BUILD_FLAGS.has(f.name)) o.buildFlags.push(...(f.takesValue && f.inline === undefined ? [arg, flagValue!] : [arg]));
  }
  if (o.packages.length === 0) o.packages.push('.');
  o.shake = resolveShakeOptions(shakeFlags);
  return o;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
