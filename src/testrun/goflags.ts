// The flags `go test` itself knows (Go 1.19 to 1.27: cmd/go/internal/test/testflag.go, the build
// flags of cmd/go/internal/work/build.go and base/flag.go). goroscope needs them to split a
// command line exactly as go does: an argument go does not know as a flag ends the package list,
// and it and what follows go to the test binary.

/** Flags that take a value (`-run X` or `-run=X`). */
const VALUE = [
  // test flags passed on to the test binary
  'bench', 'benchtime', 'blockprofile', 'blockprofilerate', 'count', 'coverprofile', 'cpu', 'cpuprofile',
  'fuzz', 'fuzzminimizetime', 'fuzztime', 'list', 'memprofile', 'memprofilerate', 'mutexprofile',
  'mutexprofilefraction', 'outputdir', 'parallel', 'run', 'shuffle', 'skip', 'timeout', 'trace',
  // go test's own
  'covermode', 'coverpkg', 'exec', 'o', 'vet',
  // build flags
  'C', 'asmflags', 'buildmode', 'compiler', 'debug-actiongraph', 'debug-deprunes', 'debug-runtime-trace',
  'debug-trace', 'gccgoflags', 'gcflags', 'installsuffix', 'ldflags', 'mod', 'modfile', 'overlay', 'p',
  'pgo', 'pkgdir', 'tags', 'toolexec',
] as const;

/** Boolean flags (`-race`, `-race=false`); a following argument is never their value. */
const BOOL = [
  'benchmem', 'failfast', 'fullpath', 'short', 'v',
  'artifacts', 'c', 'cover', 'i', 'json',
  'a', 'asan', 'buildvcs', 'linkshared', 'modcacherw', 'msan', 'n', 'race', 'trimpath', 'work', 'x',
] as const;

/** Test flags go test also accepts as -test.<name> (cmd/go's passFlagToTest). */
const PASSED_TO_TEST = new Set([
  'bench', 'benchmem', 'benchtime', 'blockprofile', 'blockprofilerate', 'count', 'coverprofile', 'cpu',
  'cpuprofile', 'failfast', 'fullpath', 'fuzz', 'fuzzminimizetime', 'fuzztime', 'list', 'memprofile',
  'memprofilerate', 'mutexprofile', 'mutexprofilefraction', 'outputdir', 'parallel', 'run', 'short',
  'shuffle', 'skip', 'timeout', 'trace', 'v',
]);

const TAKES_VALUE = new Map<string, boolean>([...VALUE.map((n) => [n, true] as const), ...BOOL.map((n) => [n, false] as const)]);

export interface GoFlag {
  /** The flag's name as go test knows it, without dashes, `=value` or a `test.` prefix. */
  name: string;
  /** Whether go test knows it; an unknown flag goes to the test binary. */
  known: boolean;
  /** A known flag that takes a value. */
  takesValue: boolean;
  /** The value written inline (`-run=X`), or undefined. */
  inline: string | undefined;
}

/** Reads one argument that starts with "-" the way go test's flag parser does. */
export function readGoFlag(arg: string): GoFlag {
  const body = arg.replace(/^--?/, '');
  const eq = body.indexOf('=');
  const raw = eq < 0 ? body : body.slice(0, eq);
  const inline = eq < 0 ? undefined : body.slice(eq + 1);
  const name = raw.startsWith('test.') && PASSED_TO_TEST.has(raw.slice(5)) ? raw.slice(5) : raw;
  const takesValue = TAKES_VALUE.get(name);
  return { name, known: takesValue !== undefined, takesValue: takesValue === true, inline };
}

/** Whether an argument is syntactically a flag for go's flag parser ("-" alone is not). */
export function isFlagArg(arg: string): boolean {
  return arg.length > 1 && arg.startsWith('-');
}
