// Splits `goroscope test` arguments into goroscope's own options (always `--long` form) and the
// arguments passed to `go test` unchanged (Go's single-dash flags and the package patterns).
import { UserError } from '../cli/exit.js';

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
  /** Arguments for go test, in order, packages included. */
  goArgs: string[];
  /** The package patterns among goArgs (for go list); ["."] when none. */
  packages: string[];
  /** Build flags among goArgs that go list must see too (-tags, -mod, -race...). */
  buildFlags: string[];
}

/** go test / go build flags that take a value as the next argument (when not written -f=v). */
const VALUE_FLAGS = new Set([
  'run', 'skip', 'bench', 'benchtime', 'count', 'cpu', 'timeout', 'parallel', 'list', 'shuffle',
  'coverprofile', 'covermode', 'coverpkg', 'cpuprofile', 'memprofile', 'memprofilerate',
  'blockprofile', 'blockprofilerate', 'mutexprofile', 'mutexprofilefraction', 'outputdir', 'trace',
  'fuzz', 'fuzztime', 'fuzzminimizetime', 'exec', 'o', 'tags', 'ldflags', 'gcflags', 'asmflags',
  'gccgoflags', 'mod', 'modfile', 'pkgdir', 'p', 'vet', 'toolexec', 'C', 'pgo', 'covermode',
]);

/** Build flags go list must also receive so it sees the same files. */
const BUILD_FLAGS = new Set(['tags', 'mod', 'modfile', 'race', 'msan', 'asan', 'cover', 'buildvcs', 'C']);

export function parseTestArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): TestOptions {
  const o: TestOptions = {
    format: 'text',
    output: null,
    settleMs: 2000,
    attribute: true,
    runs: 1,
    cpus: [],
    go: env.GOROSCOPE_GO || 'go',
    goArgs: [],
    packages: [],
    buildFlags: [],
  };
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UserError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') ? splitInline(arg) : [arg, undefined];
    const take = () => (inline !== undefined ? inline : value(i++, flag));
    switch (flag) {
      case '--format': {
        const f = take();
        if (!['text', 'json', 'sarif', 'junit'].includes(f)) throw new UserError(`--format must be text, json, sarif or junit, not "${f}"`);
        o.format = f as TestFormat;
        continue;
      }
      case '--output':
        o.output = take();
        continue;
      case '--settle':
        o.settleMs = parseDuration(take(), '--settle');
        continue;
      case '--no-attribute':
        o.attribute = false;
        continue;
      case '--count':
        o.runs = positiveInt(take(), '--count');
        continue;
      case '--cpu':
        o.cpus = take().split(',').map((c) => positiveInt(c.trim(), '--cpu'));
        continue;
      case '--go':
        o.go = take();
        continue;
    }
    if (arg === '-args' || arg === '--args') {
      // Everything after -args goes to the test binary.
      o.goArgs.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) throw new UserError(`unknown option ${flag} (go test's own flags take one dash, e.g. -run)`);
    if (arg === '-overlay' || arg.startsWith('-overlay=')) throw new UserError('-overlay cannot be combined with goroscope test, which uses it itself');
    o.goArgs.push(arg);
    if (arg.startsWith('-')) {
      const name = arg.replace(/^-+/, '').split('=')[0]!;
      const hasInline = arg.includes('=');
      const isBuild = BUILD_FLAGS.has(name);
      if (isBuild) o.buildFlags.push(arg);
      if (!hasInline && VALUE_FLAGS.has(name) && i + 1 < argv.length) {
        o.goArgs.push(argv[++i]!);
        if (isBuild) o.buildFlags.push(argv[i]!);
      }
    } else {
      o.packages.push(arg);
    }
  }
  if (o.packages.length === 0) o.packages.push('.');
  return o;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function positiveInt(s: string, name: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} takes a whole number of at least 1, not "${s}"`);
  return n;
}

/** "500ms", "2s", "1m" or a plain number of milliseconds. */
export function parseDuration(s: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) throw new UserError(`${name} takes a duration like 500ms, 2s or 1m, not "${s}"`);
  const n = Number(m[1]);
  return Math.round(m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n);
}
