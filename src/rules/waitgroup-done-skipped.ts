// A goroutine that calls wg.Done() without defer, and returns early on some path before
// reaching it: the WaitGroup counter never gets back to zero and wg.Wait() blocks forever.
// Only returns in the goroutine's own body count (not in nested function literals), and only
// when the goroutine's normal exit does call Done (so Done is owed on every path).
import type { SNode } from '../gosrc/ast.js';
import { scopeFor } from '../gosrc/scope.js';
import {
  declaredInside,
  functionBodies,
  goroutineTarget,
  helperDone,
  helperDoneKeys,
  ownSyncOps,
  statementOf,
  syncOp,
  toParentKey,
  type GoroutineTarget,
  type SyncOp,
  ownGoStatements,
} from './lib/sync.js';
import { deleteStatement, firstStatementOf, type SourceEdit } from './lib/edits.js';
import { deferHas, statementsOf, tracePaths, walkOwn, type Effect } from '../model/paths.js';
import type { Rule, RuleContext } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'waitgroup-done-skipped',
    title: 'wg.Done skipped by an early return',
    category: 'sync',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'Finds goroutines that call wg.Done() without defer and can return before reaching it: the WaitGroup never reaches zero, so wg.Wait() blocks forever.',
  },
  run(ctx) {
    // A function started by several go statements is checked once.
    const seenBodies = new Set<SNode>();
    for (const fb of functionBodies(ctx.pkg)) {
      for (const goStmt of ownGoStatements(ctx.pkg, fb.fn)) {
        const target = goroutineTarget(goStmt, ctx.pkg);
        if (!target || seenBodies.has(target.body)) continue;
        seenBodies.add(target.body);
        checkGoroutine(target, fb.body, ctx);
      }
    }
  },
};

function checkGoroutine(target: GoroutineTarget, parentBody: SNode, ctx: RuleContext): void {
  checkLateDefer(target, parentBody, ctx);
  const ops = ownSyncOps(target.body, target.scope);
  const byCall = new Map(ops.map((o) => [o.call, o] as const));
  const dones = new Map<string, SNode>();
  for (const op of ops) if (op.kind === 'waitgroup' && op.method === 'Done' && !op.call.ancestor('defer_statement') && !dones.has(op.key)) dones.set(op.key, op.call);
  walkOwn(target.body, (n) => {
    if (n.type !== 'call_expression' || byCall.has(n) || n.ancestor('defer_statement')) return;
    for (const key of helperDoneKeys(n, target.scope)) if (!dones.has(key)) dones.set(key, n);
  });
  for (const [key, done] of dones) {
    if (declaredInside(target.body, key, target.scope)) continue;
    const effectOf = (call: SNode): Effect => {
      const op = byCall.get(call);
      if (op) return op.key === key && op.method === 'Done' ? 'release' : null;
      return helperDone(call, key, target.scope) ? 'release' : null;
    };
    if (deferHas(target.body, effectOf, 'release')) continue;
    // Starting owing one Done; the normal exit must pay it, or this is not the pattern.
    const result = tracePaths(target.body, 'yes', effectOf);
    if (result.mainExit !== 'no') continue;
    const wait = parentWait(target, key, parentBody, ctx);
    const related = [{ node: statementOf(done), message: `\`${key}.Done()\` is only called here` }];
    if (wait) related.push({ node: statementOf(wait), message: `\`${key}.Wait()\` waits for it` });
    const edits = deferDoneEdits(target, key, done, ops);
    for (const r of result.returns) {
      if (r.state !== 'yes') continue;
      ctx.report({
        node: r.node,
        message: `goroutine returns here without calling \`${key}.Done()\` (it is not deferred): the WaitGroup never reaches zero, so \`${key}.Wait()\` blocks forever`,
        goroutine: target.goStmt,
        related,
        fix: `make \`defer ${key}.Done()\` the goroutine's first statement and remove the later \`${key}.Done()\``,
        edits,
      });
    }
  }
}

/**
 * `defer wg.Done()` that is not the first thing the goroutine does: a return before the defer
 * statement runs leaves without it, and the Done is never called.
 */
function checkLateDefer(target: GoroutineTarget, parentBody: SNode, ctx: RuleContext): void {
  const stmts = statementsOf(target.body);
  for (const stmt of stmts) {
    if (stmt.type !== 'defer_statement') continue;
    const call = stmt.namedChildren[0];
    if (call?.type !== 'call_expression') continue;
    const op = syncOp(call, target.scope);
    const keys = op?.kind === 'waitgroup' && op.method === 'Done' ? [op.key] : helperDoneKeys(call, target.scope);
    for (const key of keys) {
      if (declaredInside(target.body, key, target.scope) || !toParentKey(target, key)) continue;
      const early: SNode[] = [];
      walkOwn(target.body, (n) => {
        if (n.type === 'return_statement' && n.start < stmt.start) early.push(n);
      });
      const wait = parentWait(target, key, parentBody, ctx);
      const edits = moveFirstEdits(target, stmt);
      for (const r of early) {
        ctx.report({
          node: r,
          message: `goroutine returns here before \`defer ${key}.Done()\` has run: the Done is never called, so \`${key}.Wait()\` blocks forever`,
          goroutine: target.goStmt,
          related: [{ node: stmt, message: 'the deferred Done is registered only here' }, ...(wait ? [{ node: statementOf(wait), message: `\`${key}.Wait()\` waits for it` }] : [])],
          fix: `make \`defer ${key}.Done()\` the goroutine's first statement, before anything that can return`,
          edits,
        });
      }
    }
    return;
  }
}

/** The parent's Wait on the same WaitGroup, translating a parameter back to the argument. */
function parentWait(target: GoroutineTarget, key: string, parentBody: SNode, ctx: RuleContext): SNode | null {
  const parentKey = toParentKey(target, key);
  const scope = scopeFor(parentBody, ctx.pkg);
  if (!parentKey || !scope) return null;
  return ownSyncOps(parentBody, scope).find((o) => o.key === parentKey && o.method === 'Wait' && o.kind === 'waitgroup')?.call ?? null;
}

/**
 * `defer wg.Done()` as the first statement of a goroutine literal whose only Done is its last
 * statement: sure, because the Done then ran last on the normal path anyway, and with no other
 * defer in the goroutine the order of deferred calls cannot change.
 */
function deferDoneEdits(target: GoroutineTarget, key: string, done: SNode, ops: SyncOp[]): SourceEdit[] | null {
  if (target.fn.type !== 'func_literal' || hasOwnDefer(target.body)) return null;
  const dones = ops.filter((o) => o.kind === 'waitgroup' && o.method === 'Done' && o.key === key);
  if (dones.length !== 1 || dones[0]!.call !== done) return null;
  const stmts = statementsOf(target.body);
  const stmt = done.parent;
  if (stmt?.type !== 'expression_statement' || stmts[stmts.length - 1] !== stmt || stmts.length < 2) return null;
  const operand = done.child('function')?.child('operand')?.text;
  if (!operand) return null;
  const insert = firstStatementOf(target.body, stmts, `defer ${operand}.Done()`);
  const remove = deleteStatement(stmt);
  return insert && remove ? [insert, remove] : null;
}

/** The late `defer wg.Done()` moved to the top of the goroutine, when no other defer comes before it. */
function moveFirstEdits(target: GoroutineTarget, deferStmt: SNode): SourceEdit[] | null {
  const stmts = statementsOf(target.body);
  let earlierDefer = false;
  walkOwn(target.body, (n) => {
    if (n.type === 'defer_statement' && n !== deferStmt && n.start < deferStmt.start) earlierDefer = true;
  });
  if (earlierDefer || stmts[0] === deferStmt) return null;
  const insert = firstStatementOf(target.body, stmts, deferStmt.text);
  const remove = deleteStatement(deferStmt);
  return insert && remove && !deferStmt.text.includes('\n') ? [insert, remove] : null;
}

function hasOwnDefer(body: SNode): boolean {
  let found = false;
  walkOwn(body, (n) => {
    if (n.type === 'defer_statement') found = true;
  });
  return found;
}
