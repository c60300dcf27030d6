// A Lock whose Unlock some return path skips: the function returns with the mutex held, and the
// next Lock on it (in any goroutine) blocks forever. To stay clear of lock-handoff helpers, the
// rule fires only when the function's normal exit releases the lock (so holding it on return is
// not the function's contract) and an early return or a `continue` does not.
import type { SNode } from '../gosrc/ast.js';
import { placeKey, type FuncScope } from '../gosrc/scope.js';
import {
  argKey,
  functionBodies,
  helperUnlocks,
  ownSyncOps,
  statementOf,
  type FunctionBody,
  type SyncOp,
} from './lib/sync.js';
import { enclosingGoStatement } from '../model/index.js';
import { deferHas, isEndless, jumpTarget, statementsOf, tracePaths, walkOwn, type Effect } from '../model/paths.js';
import type { Rule, RuleContext } from './types.js';
import { ownStatement, statementBefore, type SourceEdit } from './lib/edits.js';

/** Names of helpers that acquire a lock for their caller or run with it held by contract. */
const HANDOFF_NAME = /locked$|^lock|lock$/i;
/** Doc comments that document a lock contract ("returns with mu held", "caller must unlock"). */
const HANDOFF_DOC = /\b(held|locked)\b|\bcaller (must|should|will) (unlock|release)/i;

export const rule: Rule = {
  meta: {
    id: 'lock-not-released',
    title: 'Mutex left locked on a return path',
    category: 'sync',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'Finds a Lock or RLock whose Unlock is skipped by an early return (or a continue in a loop) while the normal path unlocks: the function returns with the mutex held, so the next Lock on it blocks forever.',
  },
  run(ctx) {
    for (const fb of functionBodies(ctx.pkg)) checkFunction(fb, ctx);
  },
};

function checkFunction(fb: FunctionBody, ctx: RuleContext): void {
  if (fb.name && HANDOFF_NAME.test(fb.name)) return;
  if (fb.fn.type !== 'func_literal' && HANDOFF_DOC.test(docComment(fb.fn))) return;
  const ops = ownSyncOps(fb.body, fb.scope);
  const locks = new Map<string, SyncOp>();
  for (const op of ops) {
    if (op.method === 'Lock' || op.method === 'RLock') {
      const key = lockKey(op);
      if (!locks.has(key)) locks.set(key, op);
    }
  }
  const byCall = new Map(ops.map((o) => [o.call, o] as const));
  for (const [key, lock] of locks) checkLock(fb, key, lock, ops, byCall, ctx);
}

/** "s.mu#w" for Lock/Unlock, "s.mu#r" for RLock/RUnlock. */
function lockKey(op: SyncOp): string {
  return `${op.key}#${op.method.startsWith('R') || op.method === 'TryRLock' ? 'r' : 'w'}`;
}

function checkLock(fb: FunctionBody, key: string, lock: SyncOp, ops: SyncOp[], byCall: Map<SNode, SyncOp>, ctx: RuleContext): void {
  const place = lock.key;
  const read = key.endsWith('#r');
  const unlockName = read ? 'RUnlock' : 'Unlock';
  // TryLock makes the state depend on a result we do not track.
  if (ops.some((o) => o.key === place && o.method.startsWith('Try'))) return;
  if (escapes(fb.body, place, fb.scope)) return;
  const effectOf = (call: SNode): Effect => {
    const op = byCall.get(call);
    if (op && op.key === place) {
      if (op.method === (read ? 'RLock' : 'Lock')) return 'acquire';
      if (op.method === unlockName) return 'release';
      return null;
    }
    return helperUnlocks(call, key, fb.scope) ? 'release' : null;
  };
  if (deferHas(fb.body, effectOf, 'release')) return;
  const unlocks = ops.filter((o) => o.key === place && o.method === unlockName && !o.call.ancestor('defer_statement'));
  if (unlocks.length === 0) return;
  // Entered holding the lock (it releases before it ever takes it: it unlocks, waits and
  // relocks): its contract with the caller is not visible here.
  const first = ops.find((o) => o.key === place && (o.method === unlockName || o.method === (read ? 'RLock' : 'Lock')));
  if (first?.method === unlockName) return;
  const result = tracePaths(fb.body, 'no', effectOf);
  // Inside an endless loop whose every iteration releases the lock, a path that leaves the loop
  // holding it is judged against the loop's back edge, not the function's exit.
  const loopOf = (n: SNode): SNode | null => {
    const loop = ownLoop(n, fb.body);
    return loop && isEndless(loop) && result.backEdges.get(loop) === 'no' && loop.contains(lock.call) ? loop : null;
  };
  const stmts = statementsOf(fb.body);
  const endsInLoop = stmts.length > 0 && isEndless(stmts[stmts.length - 1]!);
  // Holding the lock at the normal exit is the function's contract (a handoff), not a slip.
  if (result.mainExit === 'yes' && !endsInLoop) return;
  // Name the mutex as written: `r.RLock()` on an embedded RWMutex, not `r.RWMutex.RLock()`.
  const shown = placeKey(lock.operand) ?? place;
  const lockCall = `${shown}.${read ? 'RLock' : 'Lock'}()`;
  const unlockCall = `${shown}.${unlockName}()`;
  const goroutine = enclosingGoStatement(fb.body);
  const related = [{ node: statementOf(lock.call), message: `\`${lockCall}\` acquires the lock here` }];
  for (const r of result.returns) {
    // A continue that skips the unlock makes the loop's exit state "maybe"; returns are only
    // judged against a normal exit that definitely unlocks.
    if (r.state !== 'yes' || (result.mainExit !== 'no' && !loopOf(r.node))) continue;
    ctx.report({
      node: r.node,
      message: `return leaves \`${shown}\` locked: \`${lockCall}\` is not released on this path (other paths${result.mainExit === 'no' ? '' : ' round the loop'} call \`${unlockCall}\`), so the next \`${shown}.Lock()\` blocks forever`,
      goroutine,
      related,
      fix: `call \`${unlockCall}\` before this return, or put \`defer ${unlockCall}\` right after \`${lockCall}\``,
      edits: unlockBeforeEdits(r.node, unlockCall, fb),
    });
  }
  for (const b of result.breaks) {
    const loop = jumpTarget(b.node);
    if (b.state !== 'yes' || !loop || loop !== loopOf(b.node) || result.mainExit === 'no') continue;
    ctx.report({
      node: b.node,
      message: `break leaves the loop with \`${shown}\` locked: every iteration calls \`${unlockCall}\`, but this path out skips it, so the next \`${shown}.Lock()\` blocks forever`,
      goroutine,
      related,
      fix: `call \`${unlockCall}\` before this break, or move the locked section into a function with \`defer ${unlockCall}\``,
    });
  }
  for (const c of result.continues) {
    if (c.state !== 'yes' || c.loopEntry !== 'no') continue;
    ctx.report({
      node: c.node,
      message: `continue skips \`${unlockCall}\`: the loop's next \`${lockCall}\` on the still-locked \`${shown}\` blocks forever`,
      goroutine,
      related,
      fix: `call \`${unlockCall}\` before this continue, or move the locked section into a function with \`defer ${unlockCall}\``,
    });
  }
}

/** The innermost for loop around `n` in the function's own code (not across a func literal). */
function ownLoop(n: SNode, body: SNode): SNode | null {
  for (let p = n.parent; p && p !== body; p = p.parent) {
    if (p.type === 'func_literal') return null;
    if (p.type === 'for_statement') return p;
  }
  return null;
}

/** The lock is handed to other code (`f(&mu)`, `x := &s.mu`, `f(mu.Unlock)`): its unlock may happen there. */
function escapes(body: SNode, place: string, scope: FuncScope): boolean {
  let out = false;
  walkOwn(body, (n) => {
    if (out) return;
    if (n.type === 'unary_expression' && n.child('operator')?.type === '&' && argKey(n) === place) out = true;
    // `release := mu.Unlock`: a method value called later under another name.
    else if (n.type === 'selector_expression' && n.field !== 'function' && /^R?Unlock$/.test(n.child('field')?.text ?? '') && placeKey(n.child('operand')) === place) out = true;
    else if (n.parent?.type === 'argument_list' && argKey(n) === place && scope.typeOf(n).kind !== 'other') out = true;
  });
  return out;
}

/** The comment lines directly above a declaration. */
function docComment(decl: SNode): string {
  const siblings = decl.parent?.children ?? [];
  const lines: string[] = [];
  let line = decl.pos.line;
  for (let i = siblings.indexOf(decl) - 1; i >= 0; i--) {
    const c = siblings[i]!;
    if (c.type !== 'comment' || c.endPos.line < line - 1) break;
    lines.unshift(c.text);
    line = c.pos.line;
  }
  return lines.join('\n');
}

/**
 * `mu.Unlock()` on the line before a return that holds the lock: sure when nothing the return
 * evaluates can read what the lock guards (it returns nothing, locals, constants, or calls of
 * other packages on those) and no deferred call of the function runs on the way out (it may
 * expect the lock held).
 */
function unlockBeforeEdits(ret: SNode, unlockCall: string, fb: FunctionBody): SourceEdit[] | null {
  if (!ownStatement(ret)) return null;
  let deferred = false;
  walkOwn(fb.body, (n) => {
    if (n.type === 'defer_statement') deferred = true;
  });
  if (deferred) return null;
  const values = ret.namedChildren[0]?.namedChildren ?? [];
  if (!values.every((v) => readsNoSharedState(v, fb.scope))) return null;
  const edit = statementBefore(ret, unlockCall);
  return edit ? [edit] : null;
}

/** Literals, locals and parameters (not the receiver), and other packages' names and calls on those. */
function readsNoSharedState(expr: SNode, scope: FuncScope): boolean {
  switch (expr.type) {
    case 'int_literal':
    case 'float_literal':
    case 'rune_literal':
    case 'interpreted_string_literal':
    case 'raw_string_literal':
    case 'nil':
    case 'true':
    case 'false':
      return true;
    case 'identifier': {
      const b = scope.resolve(expr);
      // A package variable may be what the lock guards, unless it is a sentinel error; other
      // package-level names (constants, functions) are not shared state.
      if (!b) return scope.pkg.vars.has(expr.text) ? /^[Ee]rr/.test(expr.text) : true;
      // A local may alias guarded data (a map or slice taken from a field): only values that
      // cannot (errors, strings, numbers, booleans) are safe to read after the unlock.
      if (b.declKind === 'receiver') return false;
      if (b.name === 'err' || scope.typeOf(expr).kind === 'error') return true;
      if (b.typeNode) return /^(error|string|bool|byte|rune|u?int(8|16|32|64)?|float(32|64)|time\.Duration)$/.test(b.typeNode.text);
      return b.init !== null && b.initIndex === -1 && /_literal$/.test(b.init.type) && b.init.type !== 'composite_literal' && b.init.type !== 'func_literal';
    }
    case 'selector_expression': {
      const operand = expr.child('operand');
      return operand !== null && scope.isPackageName(operand);
    }
    case 'unary_expression': {
      const operand = expr.child('operand');
      return operand !== null && expr.child('operator')?.type !== '<-' && readsNoSharedState(operand, scope);
    }
    case 'call_expression': {
      const fn = expr.child('function');
      const operand = fn?.type === 'selector_expression' ? fn.child('operand') : null;
      if (!operand || !scope.isPackageName(operand)) return false;
      return (expr.child('arguments')?.namedChildren ?? []).every((a) => readsNoSharedState(a, scope));
    }
    default:
      return false;
  }
}
