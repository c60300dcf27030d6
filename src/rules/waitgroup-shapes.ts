// Two more ways a wg.Wait() never returns, read from the package model (waitgroup-wait-unsatisfied):
//   - Add with no Done anywhere: a WaitGroup field, package variable or local that is added to
//     and waited on, while nothing in the package (no method, no goroutine, no helper it is
//     passed to) ever calls Done on it;
//   - Wait inside the loop that starts the goroutines: the goroutine started in this iteration
//     sends on an unbuffered channel that is only received after the Wait (later in the loop
//     body or after the loop), so it never finishes and Wait never returns.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { callEffects, placeName, valueModel } from '../model/index.js';
import type { Op } from '../model/values.js';
import { localChannels } from './lib/channels.js';
import { statementOf } from './lib/sync.js';
import type { RuleContext } from './types.js';

/** Add and Wait on a WaitGroup that nothing in the package ever marks done. */
export function checkNoDone(ctx: RuleContext): void {
  const pkg = ctx.pkg;
  const model = valueModel(pkg);
  const byId = new Map<string, Op[]>();
  for (const op of model.ops) {
    if (op.place.type.kind !== 'waitgroup' || !op.place.id) continue;
    const id = model.canon(op.place.id);
    const list = byId.get(id) ?? [];
    list.push(op);
    byId.set(id, list);
  }
  for (const [id, ops] of byId) {
    const adds = ops.filter((o) => o.kind === 'add');
    const wait = ops.find((o) => o.kind === 'wait');
    if (adds.length === 0 || !wait || ops.some((o) => o.kind === 'done' || o.kind === 'wggo' || o.kind === 'escape')) continue;
    // Exported: other packages may call Done; a parameter: the caller may.
    const p = adds[0]!.place;
    if (p.root.kind === 'param' || p.root.kind === 'unknown' || /^[A-Z]/.test(p.path[p.path.length - 1] ?? (p.root.kind === 'var' ? p.root.name : ''))) continue;
    if (doneThroughCalls(pkg, id) || hiddenUse(pkg, p.path[p.path.length - 1] ?? placeName(p) ?? '')) continue;
    const name = placeName(wait.place) ?? wait.ref.text;
    ctx.report({
      node: wait.node,
      goroutine: null,
      message: `\`${name}.Wait()\` blocks forever: \`${placeName(adds[0]!.place) ?? adds[0]!.ref.text}.Add\` counts work, but nothing in the package ever calls \`Done()\` on this WaitGroup`,
      related: [{ node: statementOf(adds[0]!.node), message: 'the counter is raised here and never lowered' }],
      fix: `call \`defer ${name}.Done()\` at the start of each goroutine the Add counts`,
    });
  }
}

/** Whether some call passes the WaitGroup to same-package code that calls Done on it, or to code out of view. */
function doneThroughCalls(pkg: GoPackage, id: string): boolean {
  const model = valueModel(pkg);
  for (const { site } of model.sitesPassing(id)) {
    const e = callEffects(pkg, site);
    if (e.partial || e.effects.some((x) => (x.kind === 'done' || x.kind === 'escape') && x.place.id && model.canon(x.place.id) === id)) return true;
  }
  return false;
}

/** A function body the scanner did not copy that names the WaitGroup: it may call Done. */
function hiddenUse(pkg: GoPackage, name: string): boolean {
  if (!name) return true;
  const re = new RegExp(`\\b${name}\\b`);
  for (const f of pkg.files) {
    for (const decl of f.root.children) {
      const body = decl.child('body');
      if (body?.elided && re.test(body.text)) return true;
    }
  }
  return false;
}

/**
 * `for ... { wg.Add(1); go work(ch); wg.Wait() }` where the goroutine sends on an unbuffered
 * local channel that is received only after that Wait: the goroutine blocks on its send, never
 * calls Done, and the Wait never returns.
 */
export function checkWaitInLoop(ctx: RuleContext): void {
  const model = valueModel(ctx.pkg);
  for (const ch of localChannels(ctx.pkg)) {
    if (ch.escape || ch.capacity.value !== 0) continue;
    const sends = ch.ops.filter((o) => o.kind === 'send' && o.owner && !o.cancellable);
    const recvs = ch.ops.filter((o) => o.kind === 'recv' || o.kind === 'range');
    if (sends.length === 0 || recvs.length === 0 || recvs.some((r) => r.owner !== null)) continue;
    for (const send of sends) {
      const go = send.owner!;
      const loop = go.ancestor('for_statement');
      if (!loop || !ch.home.contains(loop) || loop.contains(ch.make)) continue;
      // A Wait in the same loop, after the go statement, on a WaitGroup the goroutine marks done.
      const wait = waitAfter(go, loop, model.functions.get(ch.home)?.ops ?? []);
      if (!wait) continue;
      if (!recvs.every((r) => r.site.start > wait.node.end)) continue;
      ctx.report({
        node: wait.node,
        goroutine: go,
        message: `\`${wait.ref.text}.Wait()\` inside the loop waits for the goroutine started in this iteration, but that goroutine blocks sending on unbuffered channel \`${ch.name}\`, which is received only after the Wait: neither ever proceeds`,
        related: [
          { node: send.op.node, message: 'the goroutine blocks on this send' },
          { node: recvs[0]!.site, message: `\`${ch.name}\` is received only here` },
        ],
        fix: `call \`${wait.ref.text}.Wait()\` after the loop (and receive before it), or make \`${ch.name}\` buffered with room for every value`,
      });
      break;
    }
  }
}

function waitAfter(go: SNode, loop: SNode, ops: Op[]): Op | null {
  return ops.find((o) => o.kind === 'wait' && o.place.type.kind === 'waitgroup' && loop.contains(o.node) && o.node.start > go.end) ?? null;
}
