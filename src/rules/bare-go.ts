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
import type { GoPackage } from '../gosrc/package.js';
import { scopeFor, type FuncScope } from '../gosrc/scope.js';
import { goroutineTargets, isTimerChannel, loopsForever, startedForProgramLifetime } from './lib/loops.js';
import { loopExits } from '../model/paths.js';
import type { Rule, RuleContext } from './types.js';

/** Kinds of value whose presence means the goroutine can be stopped or waited for. */
const MECHANISM_KINDS = new Set(['context', 'chan', 'waitgroup', 'cond']);

/** Methods whose call means the goroutine observes a stop signal or is waited for. */
const MECHANISM_METHODS = new Set(['Done', 'Wait', 'Err']);

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
    const reported = new Set<SNode>();
    for (const target of goroutineTargets(pkg)) {
      const goStmt = target.goStmt;
      if (reported.has(goStmt) || startedForProgramLifetime(goStmt, pkg)) continue;
      const loop = endlessLoop(target.body, target.scope);
      if (!loop) continue;
      const call = goStmt.type === 'go_statement' ? goStmt.namedChildren[0] : null;
      const fn = target.literal ?? target.fn!.node;
      if ((call && argumentsGiveMechanism(call, pkg)) || hasStopMechanism(fn, target.scope) || receiverHasMechanism(fn, pkg)) continue;
      reported.add(goStmt);
      const label = target.fn ? `\`${call?.child('function')?.text ?? target.fn.name}\` ` : '';
      const loopText = `\`${loopHeader(loop)}\`` + (isRangeLoop(loop) ? ' (a timer channel is never closed)' : '');
      ctx.report({
        node: goStmt,
        goroutine: goStmt,
        message: `goroutine ${label}loops forever in ${loopText} and nothing can stop or wait for it: it gets no context, done channel or WaitGroup, and the loop has no return or break`,
        related: [{ node: loop, message: 'this loop never exits' }],
        fix: 'pass a `ctx context.Context` and leave the loop on `case <-ctx.Done(): return` in a select (or close a done channel from the owner\'s Close/Stop method), and track the goroutine with a sync.WaitGroup if its owner must wait for it',
      });
    }
  },
};

/** The first loop in the goroutine's own code (not nested func literals) that never ends. */
function endlessLoop(body: SNode, scope: FuncScope): SNode | null {
  let found: SNode | null = null;
  body.walk((n) => {
    if (found) return false;
    if (n.type === 'func_literal') return false;
    if (n.type === 'for_statement' && loopsForever(n, scope) && loopExits(n, { scope }).length === 0) found = n;
    return undefined;
  });
  return found;
}

/**
 * A method whose receiver holds a context, channel, WaitGroup or Cond: the owner has a way to
 * stop or wait for it, which no-exit-loop judges (it reports a loop that ignores one).
 */
function receiverHasMechanism(fn: SNode, pkg: GoPackage): boolean {
  if (fn.type !== 'method_declaration') return false;
  const typeName = fn.child('receiver')?.namedChildren.find((c) => c.type === 'parameter_declaration')?.child('type')?.text.replace(/^\*/, '').replace(/\[.*$/s, '').trim();
  const fields = typeName ? pkg.structs.get(typeName) : undefined;
  return [...(fields?.values() ?? [])].some((t) => MECHANISM_KINDS.has(t.kind));
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
        if (!scope.isPackageName(n)) {
          const kind = scope.typeOf(n).kind;
          found = MECHANISM_KINDS.has(kind) && !(kind === 'chan' && isTimerChannel(n, scope));
        }
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
