// A sync.Cond that is waited on but never signalled: nothing in the package calls Signal or
// Broadcast on it, so every waiter sleeps forever. Conds are matched by struct field name for
// fields (methods of a type signal each other's fields), by binding for locals and by name for
// package variables. Whenever the cond can reach other code (passed to a call, stored, returned,
// exported) the rule stays silent: that code may be the signaller.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { enclosingGoStatement } from '../model/index.js';
import { functionBodies, ownSyncOps, withoutComments, type FunctionBody, type SyncOp } from './lib/sync.js';
import type { Rule, RuleContext } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'cond-wait-no-signal',
    title: 'sync.Cond waited on but never signalled',
    category: 'sync',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      'Finds c.Wait() on a sync.Cond that nothing in the package ever wakes with Signal or Broadcast, and that no other code can reach: the waiting goroutine sleeps forever.',
  },
  run(ctx) {
    const verdicts = new Map<string, boolean>();
    for (const fb of functionBodies(ctx.pkg)) {
      for (const wait of ownSyncOps(fb.body, fb.scope)) {
        if (wait.kind !== 'cond' || wait.method !== 'Wait') continue;
        if (!neverSignalled(wait, fb, ctx.pkg, verdicts)) {
          checkConditionChanges(wait, fb, ctx);
          continue;
        }
        const name = wait.key.slice(wait.key.lastIndexOf('.') + 1);
        ctx.report({
          node: wait.call,
          message: `\`${wait.key}.Wait()\` waits for a wake-up that never comes: nothing in the package calls \`Signal()\` or \`Broadcast()\` on \`${name}\`, so this goroutine sleeps forever`,
          goroutine: enclosingGoStatement(wait.call),
          fix: `call \`${wait.key}.Broadcast()\` (or \`Signal()\`) wherever the condition the waiter checks changes, while holding \`${wait.key}.L\``,
        });
      }
    }
  },
};

/**
 * `for !s.ready { s.cond.Wait() }` where nothing in the package ever assigns what the loop
 * condition reads: every wake-up finds the condition unchanged and waits again, forever.
 */
function checkConditionChanges(wait: SyncOp, fb: FunctionBody, ctx: RuleContext): void {
  let loop: SNode | null = null;
  for (let p = wait.call.parent; p && p !== fb.body; p = p.parent) {
    if (p.type === 'func_literal') return;
    if (p.type === 'for_statement') {
      loop = p;
      break;
    }
  }
  const cond = loop?.namedChildren.find((c) => c.field !== 'body' && c.type !== 'comment');
  if (!loop || !cond || cond.type === 'for_clause' || cond.type === 'range_clause') return;
  // Only fields and variables: a method call or a function may compute anything.
  if (cond.findAll('call_expression').some((c) => c.child('function')?.text !== 'len')) return;
  const fields = new Set<string>();
  const locals = new Set<string>();
  for (const n of cond.findAll('selector_expression', 'identifier')) {
    if (n.type === 'selector_expression') {
      const f = n.child('field')?.text;
      if (f) fields.add(f);
    } else if (n.parent?.type !== 'selector_expression' && !/^(len|nil|true|false)$/.test(n.text) && !fb.scope.isPackageName(n)) locals.add(n.text);
  }
  if (fields.size === 0 && locals.size === 0) return;
  const assigns = (name: string, dotted: boolean) =>
    new RegExp(`${dotted ? '\\.' : '(?<![\\w.])'}${name}\\s*(?:=(?!=)|\\+\\+|--|[-+*/%&|^]=|<<=|>>=)|&[\\w.]*${dotted ? '\\.' : '\\b'}${name}\\b`);
  for (const f of ctx.pkg.files) {
    const src = withoutComments(f.file.source);
    for (const name of fields) if (assigns(name, true).test(src)) return;
    for (const name of locals) if (assigns(name, false).test(src)) return;
  }
  ctx.report({
    node: wait.call,
    message: `\`${wait.key}.Wait()\` waits for \`${cond.text}\` to change, but nothing in the package ever assigns what it reads: every wake-up finds it unchanged and waits again, forever`,
    goroutine: enclosingGoStatement(wait.call),
    related: [{ node: cond, message: 'the condition the loop waits on' }],
    fix: `set the state the condition reads (under \`${wait.key}.L\`) before calling \`${wait.key}.Broadcast()\``,
  });
}

function neverSignalled(wait: SyncOp, fb: FunctionBody, pkg: GoPackage, verdicts: Map<string, boolean>): boolean {
  const operand = wait.operand;
  if (operand.type === 'selector_expression') {
    // A promoted Wait of an embedded Cond ("s.Cond") or an exported field: other packages reach it.
    const field = operand.child('field')?.text ?? '';
    if (!/^[a-z_]/.test(field) || wait.key !== placeText(operand)) return false;
    return cached(verdicts, `field:${field}`, () => textuallyUnsignalled(pkg, field, true));
  }
  if (operand.type !== 'identifier') return false;
  const b = fb.scope.resolve(operand);
  if (!b) {
    if (!/^[a-z_]/.test(operand.text) || !pkg.vars.has(operand.text)) return false;
    return cached(verdicts, `var:${operand.text}`, () => textuallyUnsignalled(pkg, operand.text, false));
  }
  // A parameter or receiver comes from the caller, which may signal it.
  if (b.declKind !== 'var' && b.declKind !== 'short') return false;
  for (const ref of fb.scope.references(b)) {
    if (ref === b.node) continue;
    const use = useOf(ref);
    if (use === 'signal' || use === 'escape') return false;
  }
  return true;
}

function placeText(n: SNode): string {
  return n.text.replace(/\s+/g, '');
}

function cached(map: Map<string, boolean>, key: string, compute: () => boolean): boolean {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = compute()));
  return v;
}

type Use = 'signal' | 'neutral' | 'escape';

/** How an identifier referring to a local cond is used. */
function useOf(ref: SNode): Use {
  const parent = ref.parent;
  if (parent?.type === 'selector_expression' && ref.field === 'operand') {
    const member = parent.child('field')?.text;
    if (member === 'Signal' || member === 'Broadcast') return 'signal';
    if (member === 'Wait' || member === 'L') return 'neutral';
    return 'escape';
  }
  // `c = sync.NewCond(&mu)`: a (re)initialisation, not a hand-off.
  if (parent?.type === 'expression_list' && parent.field === 'left' && parent.parent?.type === 'assignment_statement') return 'neutral';
  return 'escape';
}

/**
 * Scans the package's source text for the uses of a field (`.name`) or package variable
 * (`name`). Text, not syntax trees, because function bodies without sync tokens are not kept in
 * the trees, and such a body may still hand the cond to other code. Comments are blanked out;
 * string literals can only make the rule quieter.
 */
function textuallyUnsignalled(pkg: GoPackage, name: string, field: boolean): boolean {
  const re = field ? new RegExp(`\\.\\s*${name}\\b`, 'g') : new RegExp(`(?<![\\w.])${name}\\b`, 'g');
  const decl = field ? null : (pkg.vars.get(name)?.node ?? null);
  const keyed = new RegExp(`(?<![\\w.])${name}\\s*:(?!=)\\s*`, 'g');
  for (const f of pkg.files) {
    const src = withoutComments(f.file.source);
    for (let m = re.exec(src); m; m = re.exec(src)) {
      const after = src.slice(m.index + m[0].length, m.index + m[0].length + 40);
      if (/^\s*\.\s*(Signal|Broadcast)\s*\(/.test(after)) return false;
      if (/^\s*\.\s*(Wait\s*\(|L\b)/.test(after)) continue;
      // Assigned (`s.cond = sync.NewCond(...)`) or the package variable's own declaration.
      if (/^\s*=(?!=)/.test(after)) continue;
      if (decl && decl.file === f.file && decl.start === m.index) continue;
      return false;
    }
    // A struct literal key `cond: c` hands over some other cond, which may be signalled as `c`.
    if (field) {
      for (let m = keyed.exec(src); m; m = keyed.exec(src)) {
        if (!/^(&?sync\.(NewCond\(|Cond\s*\{))/.test(src.slice(m.index + m[0].length))) return false;
      }
    }
  }
  return true;
}

