// wg.Add(1) inside the goroutine it counts. The parent's wg.Wait() can run before the goroutine
// is scheduled, see a zero counter and return at once; the goroutine then runs on unobserved
// (and, if the WaitGroup is reused, Go panics "WaitGroup is reused before previous Wait has
// returned"). The Add must happen in the parent, before the go statement.
import type { SNode } from '../gosrc/ast.js';
import {
  declaredInside,
  functionBodies,
  goroutineTarget,
  helperDone,
  ownSyncOps,
  statementOf,
  toParentKey,
  type GoroutineTarget,
  type SyncOp,
  ownGoStatements,
} from './lib/sync.js';
import { walkOwn } from '../model/paths.js';
import type { Rule, RuleContext } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'waitgroup-add-in-goroutine',
    title: 'wg.Add called inside the goroutine it counts',
    category: 'sync',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      'Finds wg.Add inside a goroutine that also calls wg.Done, while the parent calls wg.Wait: Wait may run before Add, return early and leave the goroutine running unobserved.',
  },
  run(ctx) {
    const reported = new Set<SNode>();
    for (const fb of functionBodies(ctx.pkg)) {
      const parentOps = ownSyncOps(fb.body, fb.scope);
      const waits = parentOps.filter((o) => o.kind === 'waitgroup' && o.method === 'Wait');
      if (waits.length === 0) continue;
      for (const goStmt of ownGoStatements(ctx.pkg, fb.fn)) {
        const target = goroutineTarget(goStmt, ctx.pkg);
        if (target) check(target, waits, reported, ctx);
      }
    }
  },
};

function check(target: GoroutineTarget, waits: SyncOp[], reported: Set<SNode>, ctx: RuleContext): void {
  // A goroutine that starts goroutines of its own may Add for them, which is correct.
  let spawns = false;
  walkOwn(target.body, (n) => {
    if (n.type === 'go_statement') spawns = true;
  });
  if (spawns) return;
  const ops = ownSyncOps(target.body, target.scope);
  for (const add of ops) {
    if (add.kind !== 'waitgroup' || add.method !== 'Add' || reported.has(add.call)) continue;
    if (declaredInside(target.body, add.key, target.scope)) continue;
    if (!marksDone(target, add.key, ops)) continue;
    const parentKey = toParentKey(target, add.key);
    const wait = parentKey && waits.find((w) => w.key === parentKey && w.call.start > target.goStmt.start);
    if (!wait) continue;
    reported.add(add.call);
    ctx.report({
      node: add.call,
      message: `\`${add.key}.Add\` runs inside the goroutine it counts: \`${parentKey}.Wait()\` can run first, see a zero counter and return while this goroutine is still running`,
      goroutine: target.goStmt,
      related: [{ node: statementOf(wait.call), message: `\`${parentKey}.Wait()\` may return before the Add` }],
      fix: `call \`${parentKey}.Add(1)\` before the \`go\` statement and remove it from the goroutine`,
    });
  }
}

/** Whether the goroutine itself calls Done on the WaitGroup (directly, deferred or via a helper). */
function marksDone(target: GoroutineTarget, key: string, ops: SyncOp[]): boolean {
  if (ops.some((o) => o.key === key && o.method === 'Done')) return true;
  let found = false;
  walkOwn(target.body, (n) => {
    if (!found && n.type === 'call_expression' && helperDone(n, key, target.scope)) found = true;
  });
  return found;
}
