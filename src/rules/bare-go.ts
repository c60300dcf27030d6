// bare-go (opt-in style check): a goroutine that loops forever while nothing can stop it or
// wait for it. It takes no context, no done/quit channel and no WaitGroup, does not select on
// any channel, and its endless loop has no return, break, goto or fatal call. Such a goroutine
// lives until the process exits, however short-lived its owner is.
//
// Deliberately narrow, to stay quiet on correct code:
// - Only goroutines with an endless loop (`for {`, `for ;; {`, `for true {`, or a range over a
//   ticker's C or time.Tick, which is never closed). A one-shot goroutine ends by itself, or
//   blocks on a channel operation, which the channel rules judge with their partner analysis.
// - Any hint of a stop or wait mechanism anywhere in the goroutine silences the rule: a value
//   of kind context, channel or WaitGroup; a send, receive, close or select on a non-timer
//   channel; a `.Done()`, `.Wait()` or `.Err()` call.
// - Goroutines started from main() or init(), or inside once.Do, run for the life of the
//   program by design.
// - The goroutine's code must be visible: a func literal, or a function or method of this package.
import type { SNode } from '../gosrc/ast.js';
import type { FuncInfo, GoPackage } from '../gosrc/package.js';
import { scopeFor, scopeOfFunc, type FuncScope } from '../gosrc/scope.js';
import { isTimerChannel, loopsForever, startedForProgramLifetime } from './lib/loops.js';
import type { Rule, RuleContext } from './types.js';

/** Kinds of value whose presence means the goroutine can be stopped or waited for. */
const MECHANISM_KINDS = new Set(['context', 'chan', 'waitgroup', 'cond']);

/** Methods whose call means the goroutine observes a stop signal or is waited for. */
const MECHANISM_METHODS = new Set(['Done', 'Wait', 'Err']);

/** Calls that end the goroutine (or the program) from inside a loop. */
const EXITING_METHODS = new Set(['Exit', 'Fatal', 'Fatalf', 'Fatalln', 'Panic', 'Panicf', 'Panicln', 'Goexit', 'FailNow', 'SkipNow', 'Skip', 'Skipf']);

/** Statements an unlabeled break exits; only when that is the loop itself does break end it. */
const BREAKABLE = ['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'];

interface Target {
  /** The body the goroutine runs. */
  body: SNode;
  /** The whole function (parameters and receiver included), searched for a stop mechanism. */
  fn: SNode;
  scope: FuncScope;
  /** How the message names the goroutine. */
  label: string;
}

export const rule: Rule = {
  meta: {
    id: 'bare-go',
    title: 'Goroutine that loops forever with no way to stop it',
    category: 'style',
    defaultSeverity: 'info',
    enabledByDefault: false,
    description:
      'Reports a go statement whose goroutine runs an endless loop (for {} or a range over a ticker) but has no way to be stopped or waited for: it receives no context, no done channel and no WaitGroup, selects on no channel, and the loop has no return or break. The goroutine outlives whatever started it. Pass a context and return on ctx.Done(), or close a done channel from the owner\'s Close method.',
  },
  run(ctx: RuleContext): void {
    const { pkg } = ctx;
    for (const file of pkg.files) {
      for (const goStmt of file.root.findAll('go_statement')) {
        if (startedForProgramLifetime(goStmt, pkg)) continue;
        const call = goStmt.namedChildren[0];
        if (!call || call.type !== 'call_expression') continue;
        const target = goroutineTarget(call, pkg);
        if (!target || target.body.elided) continue;
        const loop = endlessLoop(target.body, target.scope);
        if (!loop) continue;
        if (argumentsGiveMechanism(call, pkg) || hasStopMechanism(target.fn, target.scope)) continue;
        const loopText = `\`${loopHeader(loop)}\`` + (isRangeLoop(loop) ? ' (a timer channel is never closed)' : '');
        ctx.report({
          node: goStmt,
          goroutine: goStmt,
          message: `goroutine ${target.label}loops forever in ${loopText} and nothing can stop or wait for it: it gets no context, done channel or WaitGroup, and the loop has no return or break`,
          related: [{ node: loop, message: 'this loop never exits' }],
          fix: 'pass a `ctx context.Context` and leave the loop on `case <-ctx.Done(): return` in a select (or close a done channel from the owner\'s Close/Stop method), and track the goroutine with a sync.WaitGroup if its owner must wait for it',
        });
      }
    }
  },
};

/** The code the go statement runs, when this package holds it. */
function goroutineTarget(call: SNode, pkg: GoPackage): Target | null {
  const fn = call.child('function');
  const scope = scopeFor(call, pkg);
  if (!fn || !scope) return null;
  if (fn.type === 'func_literal') {
    const body = fn.child('body');
    return body ? { body, fn, scope, label: '' } : null;
  }
  let info: FuncInfo | undefined;
  if (fn.type === 'identifier' && scope.resolve(fn) === null) {
    info = pkg.funcs.get(fn.text);
  } else if (fn.type === 'selector_expression') {
    const operand = fn.child('operand');
    const method = fn.child('field')?.text;
    if (operand && method && !(operand.type === 'identifier' && scope.isPackageName(operand))) {
      const named = scope.typeOf(operand).named;
      if (named) info = pkg.funcs.get(`${named}.${method}`);
    }
  }
  if (!info?.body) return null;
  return { body: info.body, fn: info.node, scope: scopeOfFunc(info, pkg), label: `\`${fn.text}\` ` };
}

/** The first loop in the goroutine's own code (not nested func literals) that never ends. */
function endlessLoop(body: SNode, scope: FuncScope): SNode | null {
  let found: SNode | null = null;
  body.walk((n) => {
    if (found) return false;
    if (n.type === 'func_literal') return false;
    if (n.type === 'for_statement' && loopsForever(n, scope) && !hasExit(n)) found = n;
    return undefined;
  });
  return found;
}

/** The loop's text up to its body, with whitespace collapsed: `for {`, `for range t.C {`. */
function loopHeader(loop: SNode): string {
  const body = loop.child('body');
  const head = body ? loop.file.source.slice(loop.start, body.start) : 'for ';
  return head.replace(/\s+/g, ' ').trim() + ' {';
}

function isRangeLoop(loop: SNode): boolean {
  return loop.namedChildren[0]?.type === 'range_clause';
}

/** Whether a loop can end from inside: return, goto, a break that leaves it, a labeled continue, panic or a fatal call. */
function hasExit(loop: SNode): boolean {
  let exits = false;
  loop.child('body')?.walk((n) => {
    if (exits || n.type === 'func_literal') return false;
    switch (n.type) {
      case 'return_statement':
      case 'goto_statement':
        exits = true;
        break;
      case 'break_statement':
        // A labeled break may leave this loop or an outer one; either ends this loop.
        if (n.namedChildren.length > 0 || n.ancestor(...BREAKABLE) === loop) exits = true;
        break;
      case 'continue_statement':
        // `continue outer` leaves this loop for the next iteration of an enclosing one.
        if (n.namedChildren.length > 0) exits = true;
        break;
      case 'call_expression': {
        const fn = n.child('function');
        if (fn?.type === 'identifier' && fn.text === 'panic') exits = true;
        if (fn?.type === 'selector_expression' && EXITING_METHODS.has(fn.child('field')?.text ?? '')) exits = true;
        break;
      }
    }
    return undefined;
  });
  return exits;
}

/** A context, channel or WaitGroup handed to the goroutine as an argument. */
function argumentsGiveMechanism(call: SNode, pkg: GoPackage): boolean {
  const scope = scopeFor(call, pkg);
  if (!scope) return true;
  return (call.child('arguments')?.namedChildren ?? []).some((a) => MECHANISM_KINDS.has(scope.typeOf(a).kind));
}

/**
 * Whether anything in the goroutine's function (its parameters, even unused ones, and nested
 * literals, which may signal it) is a way to stop or wait for it. One walk; each node is typed
 * at most once.
 */
function hasStopMechanism(fn: SNode, scope: FuncScope): boolean {
  let found = false;
  fn.walk((n) => {
    if (found) return false;
    switch (n.type) {
      case 'select_statement':
        found = true;
        break;
      case 'send_statement':
        found = !isTimerChannel(n.child('channel'), scope);
        break;
      case 'unary_expression':
        if (n.child('operator')?.type === '<-') found = !isTimerChannel(n.child('operand'), scope);
        break;
      case 'range_clause': {
        const right = n.child('right');
        found = scope.typeOf(right).kind === 'chan' && !isTimerChannel(right, scope);
        break;
      }
      case 'call_expression': {
        const fn = n.child('function');
        if (fn?.type === 'selector_expression' && MECHANISM_METHODS.has(fn.child('field')?.text ?? '')) found = true;
        if (fn?.type === 'identifier' && fn.text === 'close' && scope.resolve(fn) === null) found = true;
        break;
      }
      case 'identifier':
        if (!scope.isPackageName(n)) found = MECHANISM_KINDS.has(scope.typeOf(n).kind);
        break;
      case 'selector_expression': {
        const kind = scope.typeOf(n).kind;
        found = MECHANISM_KINDS.has(kind) && !(kind === 'chan' && isTimerChannel(n, scope));
        break;
      }
    }
    return undefined;
  });
  return found;
}
