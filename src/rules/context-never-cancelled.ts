// context-never-cancelled: a goroutine's only way out is `<-ctx.Done()`, but ctx is
// context.Background() or TODO() (possibly wrapped in WithValue), made in the same function.
// Such a context has no cancel func and no deadline, so Done() never closes: Background's Done
// is even a nil channel, and receiving from it blocks forever.
//
// Only contexts whose whole history is visible are judged: a ctx from a parameter, a field,
// r.Context() or any With{Cancel,Timeout,Deadline} may be cancelled by someone, so stay silent.
import type { SNode } from '../gosrc/ast.js';
import { enclosingFunction, scopeFor, type FuncScope } from '../gosrc/scope.js';
import { argsOf, stdlibCall } from './lib/paths.js';
import { isEndless, loopExits } from '../model/paths.js';
import type { Rule, RuleContext } from './types.js';
import { nodesOfType } from '../gosrc/nodes.js';
import type { GoFile } from '../gosrc/package.js';

export const rule: Rule = {
  meta: {
    id: 'context-never-cancelled',
    title: 'Goroutine waits on Done() of a context that is never cancelled',
    category: 'context',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      'A goroutine can only exit through `<-ctx.Done()`, but ctx is context.Background() or context.TODO() (or a WithValue of one) ' +
      'with no cancel func and no deadline. Its Done channel never closes, so the goroutine never exits. Derive the context ' +
      'with context.WithCancel and call cancel when the goroutine should stop, or accept a ctx from the caller.',
  },
  run(ctx) {
    const waitsOnBackground = (f: GoFile) => f.file.source.includes('.Done()') && /\b(Background|TODO)\(\)/.test(f.file.source);
    for (const n of nodesOfType(ctx.pkg, 'unary_expression', waitsOnBackground)) {
      if (n.child('operator')?.type === '<-' && n.child('operand')?.type === 'call_expression') checkReceive(n, ctx);
    }
  },
};

function checkReceive(recv: SNode, ctx: RuleContext): void {
  const call = recv.child('operand')!;
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression' || fn.child('field')?.text !== 'Done' || argsOf(call).length > 0) return;
  const goStmt = goroutineOf(recv);
  if (!goStmt) return;
  const scope = scopeFor(recv, ctx.pkg);
  if (!scope) return;
  const origin = uncancellableOrigin(fn.child('operand'), scope, 0);
  if (!origin) return;
  if (!onlyExit(recv, goStmt)) return;
  const name = fn.child('operand')!.text;
  ctx.report({
    node: recv,
    goroutine: goStmt,
    message:
      `goroutine waits on \`<-${name}.Done()\`, but \`${name}\` comes from ${origin.text} with no cancel func and no deadline: ` +
      `its Done channel never closes, so this goroutine never exits`,
    related: origin.node !== call ? [{ node: origin.node, message: `\`${name}\` is created here and nothing can cancel it` }] : [],
    fix:
      `derive a cancellable context, \`ctx, cancel := context.WithCancel(context.Background())\`, and call \`cancel()\` when the ` +
      `goroutine should stop (e.g. \`defer cancel()\` in the function that starts it), or take ctx from the caller`,
  });
}

/** The go statement whose function literal directly contains `node`, or null. */
function goroutineOf(node: SNode): SNode | null {
  const lit = enclosingFunction(node);
  if (lit?.type !== 'func_literal') return null;
  const call = lit.parent;
  return call?.type === 'call_expression' && call.parent?.type === 'go_statement' ? call.parent : null;
}

/**
 * For an expression holding a context: where it was made, when that is Background()/TODO()
 * (through WithValue and local variables that are never re-assigned), or null.
 */
function uncancellableOrigin(expr: SNode | null, scope: FuncScope, depth: number): { node: SNode; text: string } | null {
  if (!expr || depth > 4) return null;
  if (expr.type === 'call_expression') {
    const callee = stdlibCall(expr, scope);
    if (callee?.path !== 'context') return null;
    if (callee.name === 'Background' || callee.name === 'TODO') return { node: expr, text: `context.${callee.name}()` };
    if (callee.name === 'WithValue') {
      const inner = uncancellableOrigin(argsOf(expr)[0] ?? null, scope, depth + 1);
      if (!inner) return null;
      return { node: expr, text: inner.text.endsWith('(via WithValue)') ? inner.text : `${inner.text} (via WithValue)` };
    }
    return null;
  }
  if (expr.type !== 'identifier') return null;
  const b = scope.resolve(expr);
  if (!b || (b.declKind !== 'short' && b.declKind !== 'var') || b.initIndex >= 0 || !b.init) return null;
  // Assigned again somewhere: the value at the receive may be another context.
  if (scope.references(b).some((r) => r !== b.node && r.parent?.type === 'expression_list' && r.parent.field === 'left')) return null;
  const inner = uncancellableOrigin(b.init, scope, depth + 1);
  return inner ? { node: b.node, text: inner.text } : null;
}

/**
 * Whether the receive is the goroutine's only way out: a statement of its own, or a case of a
 * select inside an endless loop in which nothing else returns, panics or breaks out.
 */
function onlyExit(recv: SNode, goStmt: SNode): boolean {
  if (recv.parent?.type === 'expression_statement') return true;
  const comm = recv.parent?.type === 'receive_statement' ? recv.parent : recv;
  const ownCase = comm.parent;
  if (ownCase?.type !== 'communication_case' || comm.field !== 'communication') return false;
  const loop = ownCase.ancestor('for_statement', 'func_literal');
  // An endless `for {` whose only exits are in the Done case.
  return loop?.type === 'for_statement' && goStmt.contains(loop) && isEndless(loop) && loopExits(loop, { except: ownCase }).length === 0;
}
