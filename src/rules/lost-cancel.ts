// lost-cancel: the cancel func of context.WithCancel/WithTimeout/WithDeadline (and the *Cause
// variants) is discarded, or some return path neither calls nor defers nor hands it on.
//
// Like go vet's lostcancel, but it stays silent wherever vet is known to cry wolf: the cancel is
// stored in a field or a wider-scoped variable, captured by a closure or goroutine, or passed to
// code whose behaviour is not visible. Then someone else owns it and this rule cannot tell.
import type { SNode } from '../gosrc/ast.js';
import { enclosingFunction, outermostFunction, scopeFor, type Binding, type FuncScope } from '../gosrc/scope.js';
import { deleteStatement, nameUsedIn, replaceNode, statementAfter, type SourceEdit } from './lib/edits.js';
import { argsOf, exitWithout, stdlibCall, type UnusedExit } from './lib/paths.js';
import type { Rule, RuleContext } from './types.js';
import { callDoesToArg } from '../model/index.js';
import type { OpKind } from '../model/values.js';
import { nodesOfType } from '../gosrc/nodes.js';
import type { GoFile } from '../gosrc/package.js';

const WITH_CANCEL = /^With(Cancel|Timeout|Deadline)(Cause)?$/;

export const rule: Rule = {
  meta: {
    id: 'lost-cancel',
    title: 'Cancel func of a derived context is not called on every path',
    category: 'context',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'The cancel function returned by context.WithCancel, WithTimeout or WithDeadline is discarded or skipped on some return path. ' +
      'Until it is called, the derived context stays registered with its parent (and WithTimeout keeps its timer), and goroutines ' +
      'waiting on its Done channel keep waiting until the parent is cancelled. Call `defer cancel()` right after the call.',
  },
  run(ctx) {
    // Cheap textual prefilter: most files never derive a cancellable context.
    const derives = (f: GoFile) => /With(Cancel|Timeout|Deadline)/.test(f.file.source);
    for (const n of nodesOfType(ctx.pkg, 'call_expression', derives)) {
      if (WITH_CANCEL.test(n.child('function')?.child('field')?.text ?? '')) checkCall(n, ctx);
    }
  },
};

function checkCall(call: SNode, ctx: RuleContext): void {
  const scope = scopeFor(call, ctx.pkg);
  if (!scope) return;
  const callee = stdlibCall(call, scope);
  if (!callee || callee.path !== 'context' || !WITH_CANCEL.test(callee.name)) return;
  const what = `context.${callee.name}`;
  const parent = call.parent;
  if (parent?.type === 'expression_statement') return reportDiscarded(call, what, ctx);
  if (parent?.type !== 'expression_list' || parent.field !== 'right' || parent.namedChildren.length !== 1) return;
  const stmt = parent.parent!;
  if (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement') return;
  const target = stmt.child('left')?.namedChildren[1];
  if (!target) return;
  if (target.type === 'identifier' && target.text === '_') return reportDiscarded(call, what, ctx, keepCancelEdits(stmt, target, callee.name, scope));
  // Stored in a field, an index, a package variable...: its owner calls it elsewhere.
  if (target.type !== 'identifier' || stmt.parent?.type !== 'statement_list') return;
  const binding = scope.resolve(target);
  if (!binding || (binding.declKind !== 'short' && binding.declKind !== 'var')) return;
  // A variable of an enclosing function: the closure hands the cancel outwards.
  if (enclosingFunction(binding.node) !== enclosingFunction(call)) return;
  const uses = usesOf(binding, target, call, scope, ctx);
  if (!uses) return;
  // Leaving from a `case <-ctx.Done():` (of the derived context or its parent) is not a lost
  // cancel: that context is already done, and its parent has already let go of it.
  const contexts = new Set([stmt.child('left')?.namedChildren[0]?.text, argsOf(call)[0]?.text].filter((t): t is string => !!t));
  const exit = exitWithout(stmt, binding.scope, (n) => uses.some((u) => n.contains(u)) || (n.type === 'return_statement' && inDoneCase(n, contexts)));
  // Only WithCancelCause's cancel takes an argument (the cause; nil means context.Canceled).
  if (!exit) return;
  const callText = callee.name === 'WithCancelCause' ? `${target.text}(nil)` : `${target.text}()`;
  reportSkipped(call, what, callText, exit, ctx, deferCancelEdits(stmt, callText, uses, scope));
}

/**
 * `defer cancel()` on the line after the call, and an existing `defer cancel()` further down the
 * same block removed (it would only repeat it): sure when the cancel is only ever called (not
 * handed on) and the derived context does not outlive the function.
 */
function deferCancelEdits(stmt: SNode, callText: string, uses: SNode[], scope: FuncScope): SourceEdit[] | null {
  if (!deferIsSafe(stmt, scope)) return null;
  const later: SNode[] = [];
  for (const use of uses) {
    const call = use.parent;
    if (call?.type !== 'call_expression' || use.field !== 'function') return null;
    const deferred = call.parent?.type === 'defer_statement' ? call.parent : null;
    if (deferred && deferred.parent === stmt.parent && deferred.text.replace(/\s+/g, '') === `defer${callText}`) later.push(deferred);
  }
  const insert = statementAfter(stmt, `defer ${callText}`);
  const removals = later.map(deleteStatement);
  if (!insert || removals.some((r) => r === null)) return null;
  return [insert, ...(removals as SourceEdit[])];
}

/** `ctx, cancel := ...` for `ctx, _ := ...`, and `defer cancel()` after it. */
function keepCancelEdits(stmt: SNode, blank: SNode, ctor: string, scope: FuncScope): SourceEdit[] | null {
  const top = outermostFunction(stmt);
  if (stmt.type !== 'short_var_declaration' || stmt.parent?.type !== 'statement_list' || !top || nameUsedIn(top, 'cancel')) return null;
  if (!deferIsSafe(stmt, scope)) return null;
  const insert = statementAfter(stmt, ctor === 'WithCancelCause' ? 'defer cancel(nil)' : 'defer cancel()');
  return insert ? [replaceNode(blank, 'cancel'), insert] : null;
}

/**
 * Whether cancelling when the function returns is sure to keep its meaning: the call is not in a
 * loop (defers would pile up until the function returns) and the derived context is used only by
 * the function's own code (calls it makes, its methods), never returned, stored, captured by a
 * function literal or handed to a goroutine, which could still need it after the return.
 */
function deferIsSafe(stmt: SNode, scope: FuncScope): boolean {
  const fn = enclosingFunction(stmt);
  if (stmt.ancestor('for_statement', 'func_literal', 'function_declaration', 'method_declaration')?.type === 'for_statement') return false;
  const derived = stmt.child('left')?.namedChildren[0];
  if (!derived || derived.type !== 'identifier') return false;
  if (derived.text === '_') return true;
  const b = scope.resolve(derived);
  if (!b || b.node !== derived) return false;
  for (const ref of scope.references(b)) {
    if (ref === derived) continue;
    if (enclosingFunction(ref) !== fn || ref.ancestor('go_statement')) return false;
    const p = ref.parent!;
    if (p.type === 'selector_expression' && ref.field === 'operand') continue;
    if (p.type === 'argument_list' && p.parent?.type === 'call_expression') continue;
    return false;
  }
  return true;
}

/**
 * The references that count as using the cancel func (calling, deferring, returning it, or
 * passing it to a same-package function that calls it), or null when it escapes to code this
 * rule cannot follow.
 */
function usesOf(b: Binding, target: SNode, call: SNode, scope: FuncScope, ctx: RuleContext): SNode[] | null {
  const fn = enclosingFunction(call);
  const uses: SNode[] = [];
  for (const ref of scope.references(b)) {
    if (ref === b.node || ref === target) continue;
    const p = ref.parent!;
    // Re-assigned: the new value is another call's business; not a use of this one.
    if (p.type === 'expression_list' && p.field === 'left') continue;
    // Captured by a closure or goroutine, which may call it at any time.
    if (enclosingFunction(ref) !== fn) return null;
    // Copied somewhere: another variable, a struct literal, a channel.
    if (p.type === 'expression_list' && p.field === 'right' && p.parent?.type !== 'return_statement') return null;
    if (p.type === 'literal_element' || p.type === 'keyed_element' || p.type === 'send_statement') return null;
    if (p.type === 'argument_list' && !calleeCallsArg(p, ref, ctx)) return null;
    uses.push(ref);
  }
  return uses;
}

/** Whether `ref`, an argument of a call, goes to a same-package function that calls that parameter. */
function calleeCallsArg(args: SNode, ref: SNode, ctx: RuleContext): boolean {
  const call = args.parent!;
  return callDoesToArg(ctx.pkg, call, argsOf(call).indexOf(ref), CALLS, true);
}

/** Calling a cancel func (or any func value) passed in. */
const CALLS: ReadonlySet<OpKind> = new Set<OpKind>(['cancel', 'call']);

/** Whether `ret` sits in a select case receiving from `<x>.Done()` for one of these contexts. */
function inDoneCase(ret: SNode, contexts: Set<string>): boolean {
  const kase = ret.ancestor('communication_case', 'func_literal');
  if (kase?.type !== 'communication_case') return false;
  const recv = kase.child('communication')?.findAll('unary_expression').find((u) => u.child('operator')?.type === '<-');
  const done = recv?.child('operand');
  const fn = done?.type === 'call_expression' ? done.child('function') : null;
  return fn?.type === 'selector_expression' && fn.child('field')?.text === 'Done' && contexts.has(fn.child('operand')?.text ?? '');
}

function reportDiscarded(call: SNode, what: string, ctx: RuleContext, edits: SourceEdit[] | null = null): void {
  ctx.report({
    node: call,
    message:
      `the cancel func of ${what} is discarded: the derived context is never cancelled, so it stays registered with its parent ` +
      `(with its timer, if any) and goroutines waiting on its Done() keep waiting until the parent is cancelled`,
    fix: `keep the cancel func and release it when done: \`ctx, cancel := ${what}(...)\` followed by \`defer cancel()\``,
    edits,
  });
}

/** `callText` is how the cancel is called: `cancel()`, or `cancel(nil)` for a cause func. */
function reportSkipped(call: SNode, what: string, callText: string, exit: UnusedExit, ctx: RuleContext, edits: SourceEdit[] | null): void {
  const name = callText.slice(0, callText.indexOf('('));
  const where =
    exit.kind === 'return'
      ? `the return at line ${exit.node.pos.line} leaves without calling it`
      : `the ${endsFunction(exit.node) ? 'function' : 'block'} ends at line ${exit.node.pos.line} without calling it`;
  ctx.report({
    node: call,
    message:
      `\`${name}\` from ${what} is not called on every path: ${where}, so the derived context stays alive ` +
      `(and goroutines waiting on its Done() keep waiting) until the parent is cancelled`,
    related: [{ node: exit.node, message: exit.kind === 'return' ? `this return skips \`${callText}\`` : `\`${name}\` goes out of scope here uncalled` }],
    fix: `call \`defer ${callText}\` right after \`${what}(...)\``,
    edits,
  });
}

/** Whether a scope's closing brace is the end of a function body. */
function endsFunction(closing: SNode): boolean {
  const body = closing.type === '}' ? closing.parent : closing;
  return ['function_declaration', 'method_declaration', 'func_literal'].includes(body?.parent?.type ?? '');
}
