// cond-wait-no-loop (opt-in lint): sync.Cond.Wait outside a loop. Wait returns after any
// Signal or Broadcast, which does not mean the condition the caller waits for holds (another
// waiter may have taken it, or the broadcast was for something else); code that checks once
// and waits once can proceed on a false condition, or wait again for a wake-up already spent.
// The Go documentation's pattern is `for !condition() { c.Wait() }`.
import { enclosingGoStatement } from '../model/index.js';
import { functionBodies, ownSyncOps } from './lib/sync.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'cond-wait-no-loop',
    title: 'sync.Cond.Wait outside a loop',
    category: 'style',
    defaultSeverity: 'info',
    enabledByDefault: false,
    description:
      'Reports c.Wait() on a sync.Cond that is not inside a for loop re-checking the condition. A wake-up does not mean the condition holds: wait in `for !cond { c.Wait() }`.',
  },
  run(ctx) {
    for (const fb of functionBodies(ctx.pkg)) {
      for (const wait of ownSyncOps(fb.body, fb.scope)) {
        if (wait.kind !== 'cond' || wait.method !== 'Wait') continue;
        let inLoop = false;
        for (let p = wait.call.parent; p && p !== fb.body; p = p.parent) if (p.type === 'for_statement') inLoop = true;
        if (inLoop) continue;
        ctx.report({
          node: wait.call,
          message: `\`${wait.key}.Wait()\` is not in a loop that re-checks the condition: a wake-up does not mean the condition holds, so this can proceed too early or wait for a wake-up already spent`,
          goroutine: enclosingGoStatement(wait.call),
          fix: `wait in a loop on the condition: \`for !ready { ${wait.key}.Wait() }\`, holding \`${wait.key}.L\``,
        });
      }
    }
  },
};
