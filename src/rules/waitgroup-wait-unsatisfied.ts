// A wg.Wait() that can never return because the Add count exceeds the Done calls that can ever
// happen. Three shapes, each checked in the function that calls Wait:
//   - the WaitGroup is passed by value to the goroutine, whose Done decrements a copy;
//   - a constant `wg.Add(N)` with fewer goroutines started that call Done;
//   - a loop that counts a goroutine (Add before the loop, or Add early in the body) and then
//     skips starting it with `continue`/`break`.
import { jumpTarget } from '../model/paths.js';
import type { SNode } from '../gosrc/ast.js';
import type { FuncScope } from '../gosrc/scope.js';
import {
  callText,
  declaredInside,
  functionBodies,
  goroutineTarget,
  helperDoneKeys,
  ownSyncOps,
  statementOf,
  toParentKey,
  type FunctionBody,
  type GoroutineTarget,
  type SyncOp,
} from './lib/sync.js';
import { walkOwn } from '../model/paths.js';
import type { Rule, RuleContext } from './types.js';
import { checkNoDone, checkWaitInLoop } from './waitgroup-shapes.js';

export const rule: Rule = {
  meta: {
    id: 'waitgroup-wait-unsatisfied',
    title: 'wg.Wait can never be satisfied',
    category: 'sync',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'Finds wg.Wait() calls that block forever because more is added to the WaitGroup than can ever be marked done: a WaitGroup passed by value to the goroutine, a constant Add larger than the goroutines started, a loop that counts a goroutine and then skips starting it, an Add with no Done anywhere in the package, or a Wait inside the loop that starts a goroutine which blocks on a channel received only after that Wait.',
  },
  run(ctx) {
    checkNoDone(ctx);
    checkWaitInLoop(ctx);
    for (const fb of functionBodies(ctx.pkg)) {
      const ops = ownSyncOps(fb.body, fb.scope);
      const waits = ops.filter((o) => o.kind === 'waitgroup' && o.method === 'Wait');
      if (waits.length === 0) continue;
      const gos: GoInfo[] = [];
      walkOwn(fb.body, (n) => {
        if (n.type !== 'go_statement') return;
        const target = goroutineTarget(n, ctx.pkg);
        if (target) gos.push({ target, dones: doneCounts(target) });
      });
      const reported = new Set<SyncOp>();
      const report = (wait: SyncOp, r: Omit<Parameters<RuleContext['report']>[0], 'node'>) => {
        if (reported.has(wait)) return;
        reported.add(wait);
        ctx.report({ node: wait.call, ...r });
      };
      checkByValue(gos, waits, report);
      checkCount(fb, ops, gos, waits, report);
      checkLoopSkip(fb, ops, gos, waits, report);
    }
  },
};

type Reporter = (wait: SyncOp, r: Omit<Parameters<RuleContext['report']>[0], 'node'>) => void;

interface GoInfo {
  target: GoroutineTarget;
  /** Parent-side WaitGroup key → Done calls in the goroutine's own body ("inLoop" when one repeats). */
  dones: Map<string, { count: number; inLoop: boolean; byValue: boolean; first: SNode }>;
}

/** The Done calls a goroutine makes, keyed by the parent's name for each WaitGroup. */
function doneCounts(target: GoroutineTarget): GoInfo['dones'] {
  const out: GoInfo['dones'] = new Map();
  const ops = ownSyncOps(target.body, target.scope);
  const byCall = new Set(ops.map((o) => o.call));
  const add = (key: string, call: SNode) => {
    if (declaredInside(target.body, key, target.scope)) return;
    const parentKey = toParentKey(target, key);
    if (!parentKey) return;
    const root = key.split('.')[0]!;
    const idx = target.paramNames.indexOf(root);
    const t = idx >= 0 ? target.paramTypes[idx] : undefined;
    const byValue = key === root && t?.kind === 'waitgroup' && !t.pointer;
    const loop = call.ancestor('for_statement');
    const inLoop = !!loop && target.body.contains(loop);
    const cur = out.get(parentKey);
    if (cur) {
      cur.count++;
      cur.inLoop ||= inLoop;
    } else out.set(parentKey, { count: 1, inLoop, byValue, first: call });
  };
  for (const op of ops) if (op.kind === 'waitgroup' && op.method === 'Done') add(op.key, op.call);
  walkOwn(target.body, (n) => {
    if (n.type === 'call_expression' && !byCall.has(n)) for (const k of helperDoneKeys(n, target.scope)) add(k, n);
  });
  return out;
}

function lineOf(n: SNode): number {
  return n.pos.line;
}

/** `go worker(wg)` with `func worker(wg sync.WaitGroup)`: Done marks a copy. */
function checkByValue(gos: GoInfo[], waits: SyncOp[], report: Reporter): void {
  for (const g of gos) {
    for (const [key, d] of g.dones) {
      if (!d.byValue) continue;
      const wait = waits.find((w) => w.key === key && w.call.start > g.target.goStmt.start);
      if (!wait) continue;
      report(wait, {
        message: `\`${key}.Wait()\` blocks forever: the goroutine started at line ${lineOf(g.target.goStmt)} receives \`${key}\` by value, so its \`Done()\` marks a copy and \`${key}\`'s counter never reaches zero`,
        goroutine: g.target.goStmt,
        related: [{ node: statementOf(d.first), message: 'Done is called on the copy here' }],
        fix: `declare the parameter as \`*sync.WaitGroup\` and pass \`&${key}\``,
      });
    }
  }
}

function insideLoop(n: SNode, body: SNode): SNode | null {
  const loop = n.ancestor('for_statement');
  return loop && body.contains(loop) ? loop : null;
}

function intLiteral(call: SNode): number | null {
  const args = call.child('arguments')?.namedChildren ?? [];
  return args.length === 1 && args[0]!.type === 'int_literal' ? Number(args[0]!.text) : null;
}

/** `wg.Add(3)` with only two goroutines started that call Done. */
function checkCount(fb: FunctionBody, ops: SyncOp[], gos: GoInfo[], waits: SyncOp[], report: Reporter): void {
  const byKey = new Map<string, SyncOp[]>();
  for (const op of ops) if (op.kind === 'waitgroup') byKey.set(op.key, [...(byKey.get(op.key) ?? []), op]);
  for (const [key, list] of byKey) {
    const adds = list.filter((o) => o.method === 'Add');
    if (adds.length !== 1 || list.some((o) => o.method === 'Done')) continue;
    const add = adds[0]!;
    const n = intLiteral(add.call);
    if (n === null || insideLoop(add.call, fb.body)) continue;
    const counted = gos.filter((g) => g.dones.has(key));
    if (counted.some((g) => g.dones.get(key)!.inLoop || g.dones.get(key)!.byValue || insideLoop(g.target.goStmt, fb.body))) continue;
    if (!onlyKnownUses(key, fb, add, counted) || parentHelperDone(fb, key)) continue;
    const dones = counted.reduce((sum, g) => sum + g.dones.get(key)!.count, 0);
    if (dones >= n) continue;
    const wait = list.find((o) => o.method === 'Wait' && o.call.start > add.call.start);
    if (!wait) continue;
    report(wait, {
      message: `\`${key}.Wait()\` blocks forever: \`${callText(add.call)}\` expects ${n} Done calls, but the goroutines started here call \`${key}.Done()\` only ${dones} time${dones === 1 ? '' : 's'}`,
      goroutine: counted[0]?.target.goStmt ?? null,
      related: [{ node: statementOf(add.call), message: `the counter is set to ${n} here` }],
      fix: `make the count match the goroutines started (\`${key}.Add(${dones})\`), or call \`${key}.Add(1)\` right before each \`go\` statement`,
    });
  }
}

/**
 * Every use of a local WaitGroup is its Add, its Waits, or inside the goroutines counted, so
 * no other code can call Done on it.
 */
function onlyKnownUses(key: string, fb: FunctionBody, add: SyncOp, counted: GoInfo[]): boolean {
  if (key.includes('.')) return false;
  const scope: FuncScope = fb.scope;
  const ident = add.operand;
  const b = ident.type === 'identifier' ? scope.resolve(ident) : null;
  if (!b || (b.declKind !== 'var' && b.declKind !== 'short') || !fb.body.contains(b.node)) return false;
  for (const ref of scope.references(b)) {
    if (ref === b.node) continue;
    if (counted.some((g) => g.target.goStmt.contains(ref))) continue;
    const sel = ref.parent;
    const method = sel?.type === 'selector_expression' && ref.field === 'operand' ? sel.child('field')?.text : null;
    if (method === 'Wait' || (method === 'Add' && sel!.parent === add.call)) continue;
    return false;
  }
  return true;
}

/** A loop that counts a goroutine and then skips starting it with continue or break. */
function checkLoopSkip(fb: FunctionBody, ops: SyncOp[], gos: GoInfo[], waits: SyncOp[], report: Reporter): void {
  for (const g of gos) {
    const loop = insideLoop(g.target.goStmt, fb.body);
    const loopBody = loop?.child('body');
    if (!loop || !loopBody) continue;
    for (const [key, d] of g.dones) {
      if (d.byValue || d.inLoop) continue;
      const keyOps = ops.filter((o) => o.key === key && o.kind === 'waitgroup');
      // The parent marking Done itself (say, before skipping) balances the count.
      if (keyOps.some((o) => o.method === 'Done')) continue;
      const wait = waits.find((w) => w.key === key && w.call.start > loop.end);
      if (!wait) continue;
      const adds = keyOps.filter((o) => o.method === 'Add');
      const addsIn = adds.filter((a) => insideLoop(a.call, fb.body) === loop);
      const addsBefore = adds.filter((a) => !loop.contains(a.call) && a.call.start < loop.start && !insideLoop(a.call, fb.body));
      if (addsIn.length + addsBefore.length !== adds.length) continue;
      // Another goroutine of the loop started before the skip may be the one counted for it.
      const earlier = gos.filter((o) => o !== g && o.dones.has(key) && loop.contains(o.target.goStmt));
      const skip = firstSkip(loopBody, loop, g.target.goStmt, (s) => {
        if (earlier.some((o) => o.target.goStmt.start < s.start)) return false;
        if (addsIn.length > 0) return addsIn.some((a) => a.call.start < s.start && statementListOf(a.call)?.contains(s) === true);
        return addsBefore.length > 0 && addsBefore.every((a) => intLiteral(a.call) !== 1);
      });
      if (!skip || parentHelperDone(fb, key)) continue;
      const word = skip.type === 'continue_statement' ? 'continue' : 'break';
      const add = addsIn[0] ?? addsBefore[0]!;
      report(wait, {
        message:
          addsIn.length > 0
            ? `\`${key}.Wait()\` blocks forever when the \`${word}\` at line ${lineOf(skip)} runs: \`${callText(add.call)}\` has already counted a goroutine that is then never started, so its \`${key}.Done()\` never comes`
            : `\`${key}.Wait()\` blocks forever when the \`${word}\` at line ${lineOf(skip)} runs: \`${callText(add.call)}\` counted a goroutine for every iteration, but this one starts none, so the counter never reaches zero`,
        goroutine: g.target.goStmt,
        related: [
          { node: statementOf(add.call), message: 'the goroutine is counted here' },
          { node: skip, message: `this \`${word}\` skips the \`go\` statement` },
        ],
        fix:
          addsIn.length > 0
            ? `move \`${callText(add.call)}\` after the checks that can skip, right before the \`go\` statement`
            : `call \`${key}.Add(1)\` right before the \`go\` statement instead of \`${callText(add.call)}\` before the loop`,
      });
    }
  }
}

/** The first continue/break leaving `loop` that comes before `goStmt` and passes `counts`. */
function firstSkip(loopBody: SNode, loop: SNode, goStmt: SNode, counts: (skip: SNode) => boolean): SNode | null {
  let found: SNode | null = null;
  walkOwn(loopBody, (n) => {
    if (found || (n.type !== 'continue_statement' && n.type !== 'break_statement')) return;
    if (n.start < goStmt.start && jumpTarget(n) === loop && counts(n)) found = n;
  });
  return found;
}

/** Whether the parent marks the WaitGroup done itself through a helper (`markDone(&wg)`). */
function parentHelperDone(fb: FunctionBody, key: string): boolean {
  let found = false;
  walkOwn(fb.body, (n) => {
    if (!found && n.type === 'call_expression' && helperDoneKeys(n, fb.scope).includes(key)) found = true;
  });
  return found;
}

/** The statement list a call's statement sits in. */
function statementListOf(call: SNode): SNode | null {
  return statementOf(call).parent;
}
