// Goroutines that are expected to be alive in a healthy program: the Go runtime's and standard
// library's own, server and keep-alive loops, the testing runner, and whatever the user ignores
// with goleak-style rules. None of them can be a leak suspect.
import type { Goroutine } from '../model.js';
import { classifyKind, type BlockKind } from './kinds.js';
import { BUNDLED_FACTS, type CodeFacts } from './user-code.js';

/** goleak's ignore options: exact function names. */
export interface IgnoreRules {
  /** The goroutine's top function (IgnoreTopFunction). */
  top: string[];
  /** Any function in the stack (IgnoreAnyFunction). */
  any: string[];
  /** The function that started the goroutine (IgnoreCreatedBy). */
  createdBy: string[];
}

export const NO_IGNORES: IgnoreRules = { top: [], any: [], createdBy: [] };

/**
 * The top function as goleak sees it, made independent of the dump's detail level: SIGQUIT and
 * GOTRACEBACK=system dumps print runtime.gopark/chanrecv frames that runtime.Stack hides, so the
 * first frame outside package runtime counts as the top too.
 */
export function topFunctions(g: Goroutine): string[] {
  const first = g.frames[0]?.func;
  const firstNonRuntime = g.frames.find((f) => !f.func.startsWith('runtime.'))?.func;
  return [first, firstNonRuntime].filter((f): f is string => Boolean(f));
}

const hasFunc = (g: Goroutine, names: ReadonlySet<string>) => g.frames.some((f) => names.has(f.func));

const SIGNAL_TOP = new Set(['os/signal.signal_recv', 'os/signal.loop']);
const SIGNAL_ANY = new Set(['runtime.ensureSigM']);
const TRACE_ANY = new Set(['runtime.ReadTrace']);
const HTTP_SERVER_ANY = new Set(['net/http.(*Server).Serve', 'net/http.(*Server).ServeTLS', 'net/http.(*connReader).backgroundRead']);
const HTTP_KEEPALIVE_ANY = new Set(['net/http.(*persistConn).readLoop', 'net/http.(*persistConn).writeLoop']);
const HTTP_CONN_SERVE = new Set(['net/http.(*conn).serve', 'net/http.(*http2serverConn).serve']);
const TESTING_TOP = new Set([
  'testing.RunTests',
  'testing.runTests',
  'testing.(*T).Run',
  'testing.(*T).Parallel',
  'testing.tRunner',
  'testing.(*M).Run',
  'testing.runFuzzing',
  'testing.runFuzzTests',
]);
const WAITING_ON_CHANNEL: ReadonlySet<BlockKind> = new Set<BlockKind>(['chan receive', 'select']);

/** The goroutine that runs main.main: nobody created it, and its outermost own frame is main.main. */
export function isMainGoroutine(g: Goroutine): boolean {
  if (g.createdBy !== null) return false;
  const own = g.frames.filter((f) => !f.func.startsWith('runtime.'));
  return own.length > 0 && own[own.length - 1]!.func === 'main.main';
}

function builtinReason(g: Goroutine, kind: BlockKind, facts: CodeFacts): string | null {
  const tops = topFunctions(g);
  if (tops.some((f) => SIGNAL_TOP.has(f)) || hasFunc(g, SIGNAL_ANY)) return 'os/signal handler loop';
  if (hasFunc(g, TRACE_ANY)) return 'runtime/trace reader';
  if (kind === 'runtime internal') return 'Go runtime goroutine';
  if (hasFunc(g, HTTP_SERVER_ANY)) return 'net/http server loop';
  if (hasFunc(g, HTTP_KEEPALIVE_ANY)) return 'net/http keep-alive connection loop';
  if (kind === 'IO wait' && hasFunc(g, HTTP_CONN_SERVE)) return 'net/http server connection waiting for the next request';
  if (WAITING_ON_CHANNEL.has(kind) && tops.some((f) => TESTING_TOP.has(f))) return 'testing runner';
  if (WAITING_ON_CHANNEL.has(kind) && g.frames.some((f) => f.file.endsWith('_testmain.go'))) return 'go test main goroutine';
  if (kind === 'select no cases' && isMainGoroutine(g)) return 'main goroutine parked with select {} (keeps a server alive)';
  // Started by the runtime or standard library and never entering user code: its owner cleans it up.
  const creator = g.createdBy;
  if (creator && facts.isStd(creator) && g.frames.length > 0 && g.frames.every((f) => facts.isStd(f)))
    return 'standard library goroutine';
  return null;
}

function userReason(g: Goroutine, rules: IgnoreRules): string | null {
  const top = topFunctions(g).find((f) => rules.top.includes(f));
  if (top) return `ignored by --ignore-top ${top}`;
  const any = g.frames.find((f) => rules.any.includes(f.func));
  if (any) return `ignored by --ignore-any ${any.func}`;
  if (g.createdBy && rules.createdBy.includes(g.createdBy.func)) return `ignored by --ignore-created-by ${g.createdBy.func}`;
  return null;
}

/**
 * Why the goroutine is expected to be alive, or null when it may be a leak. `facts` tell the
 * standard library's frames from the user's (see user-code.ts).
 */
export function benignReason(g: Goroutine, rules: IgnoreRules = NO_IGNORES, kind?: BlockKind, facts: CodeFacts = BUNDLED_FACTS): string | null {
  return userReason(g, rules) ?? builtinReason(g, kind ?? classifyKind(g, facts), facts);
}
