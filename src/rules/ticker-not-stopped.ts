// ticker-not-stopped: a time.NewTicker / time.NewTimer whose result is never stopped.
//
// Before Go 1.23 the runtime holds every started timer until it fires (a ticker: forever), so
// an unstopped ticker is never garbage-collected. From Go 1.23 unreferenced timers and tickers
// are collected, so a *local* one is only wasteful until it goes out of reach (severity info);
// one kept alive in a field, a global or an endless loop still ticks for the program's life.
//
// Silent whenever the value escapes (returned, passed, stored in a struct literal or a channel):
// whoever receives it may stop it.
import type { SNode } from '../gosrc/ast.js';
import { atLeast } from '../gosrc/gomod.js';
import type { GoFile, GoPackage } from '../gosrc/package.js';
import { enclosingFunction, outermostFunction, placeKey, scopeFor, type Binding, type FuncScope } from '../gosrc/scope.js';
import { ownStatement, statementAfter, type SourceEdit } from './lib/edits.js';
import type { Severity } from '../scan/finding.js';
import { stdlibCall } from './lib/paths.js';
import { isEndless, loopExits } from '../model/paths.js';
import { placeName, valueModel } from '../model/index.js';
import { placeOf } from '../model/places.js';
import type { Rule, RuleContext, RuleReport } from './types.js';
import { nodesOfType } from '../gosrc/nodes.js';

export const rule: Rule = {
  meta: {
    id: 'ticker-not-stopped',
    title: 'Ticker or timer is never stopped',
    category: 'timers',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      'A time.NewTicker or time.NewTimer is never stopped: no Stop call, and it is not returned or handed on. Before Go 1.23 the ' +
      'runtime keeps an unstopped ticker (and a timer until it fires) alive even when nothing references it; from Go 1.23 a local ' +
      'one is collected once unreachable (reported as info), but one kept in a field or an endless loop ticks forever. ' +
      'An unstopped one-shot timer is info at any version. Also finds a ticker field replaced without stopping the old ticker. ' +
      'Add `defer t.Stop()` right after creating it.',
  },
  run(ctx) {
    // A test binary's timers die with it; and most files make none.
    const makesTimers = (f: GoFile) => !f.isTest && /\bNew(Ticker|Timer)\(/.test(f.file.source);
    // Only needed for fields and globals, so computed on first use.
    let names: Set<string> | null = null;
    const stopped = { has: (name: string) => (names ??= stoppedNames(ctx.pkg)).has(name) };
    for (const n of nodesOfType(ctx.pkg, 'call_expression', makesTimers)) {
      if (/^New(Ticker|Timer)$/.test(n.child('function')?.child('field')?.text ?? '')) checkCall(n, stopped, ctx);
    }
  },
};

/** A report that may lower its severity (RuleReport gains `severity` in the engine; see report). */
type ReportWithSeverity = RuleReport & { severity?: Severity };

/** Why the value stays reachable: it lives in a field or global, or an endless loop reads it. */
type Holder = { kind: 'field' | 'global'; name: string } | { kind: 'loop' } | null;

function checkCall(call: SNode, stopped: { has(name: string): boolean }, ctx: RuleContext): void {
  const scope = scopeFor(call, ctx.pkg);
  const fileOf = ctx.pkg.files.find((f) => f.file === call.file);
  // Package-level `var t = time.NewTicker(d)` has no function scope: resolve against the file.
  const callee = scope ? stdlibCall(call, scope) : fileOf?.imports.get(call.child('function')?.child('operand')?.text ?? '') === 'time' ? { path: 'time', name: call.child('function')!.child('field')!.text } : null;
  if (!callee || callee.path !== 'time') return;
  const target = assignedTo(call);
  if (!target) return;
  const what = callee.name === 'NewTicker' ? 'ticker' : 'timer';
  // A timer fires once and is released then: one kept in a field or global is not a leak.
  const keptCounts = what === 'ticker';
  if (target.type === 'selector_expression') {
    const field = target.child('field')?.text ?? '';
    // A field of another package's struct (an options value): that package stops it.
    const owner = scope ? scope.typeOf(target.child('operand')).named : undefined;
    if (!keptCounts || !owner || !ctx.pkg.structs.get(owner)?.has(field)) return;
    if (!stopped.has(field)) report(call, what, callee.name, placeKey(target) ?? field, { kind: 'field', name: placeKey(target) ?? field }, ctx);
    else checkOverwrite(call, target, ctx);
    return;
  }
  if (target.type !== 'identifier' || target.text === '_') return;
  const binding = scope?.resolve(target) ?? null;
  if (!binding || !scope) {
    if (keptCounts && !stopped.has(target.text)) report(call, what, callee.name, target.text, { kind: 'global', name: target.text }, ctx);
    return;
  }
  if (binding.declKind !== 'short' && binding.declKind !== 'var') return;
  // A program's own ticker, made in main or init: it lives as long as the program does.
  const top = outermostFunction(call);
  if (ctx.pkg.name === 'main' && top?.type === 'function_declaration' && /^(main|init)$/.test(top.child('name')?.text ?? '')) return;
  const fate = localFate(binding, scope);
  if (fate === 'stopped' || (fate && !keptCounts)) return;
  report(call, what, callee.name, target.text, fate, ctx, fate === null ? deferStopEdit(call, binding, scope) : null);
}

/**
 * `defer t.Stop()` on the line after `t := time.NewTicker(d)`, when that is sure to mean the same
 * apart from the leak: the declaration is a statement of its own, not in a loop (a defer there
 * would pile up), `t` is never assigned again (the defer binds the first ticker) and no function
 * literal uses it (a goroutine could still read it after the function returns).
 */
function deferStopEdit(call: SNode, b: Binding, scope: FuncScope): SourceEdit[] | null {
  const stmt = call.parent?.parent;
  if (stmt?.type !== 'short_var_declaration' || b.declKind !== 'short' || !ownStatement(stmt)) return null;
  const fn = enclosingFunction(call);
  if (call.ancestor('for_statement', 'func_literal', 'function_declaration', 'method_declaration')?.type === 'for_statement') return null;
  for (const ref of scope.references(b)) {
    if (ref === b.node) continue;
    if (enclosingFunction(ref) !== fn) return null;
    if (ref.parent?.type === 'expression_list' && ref.parent.field === 'left') return null;
  }
  const edit = statementAfter(stmt, `defer ${b.name}.Stop()`);
  return edit ? [edit] : null;
}

/**
 * A ticker field assigned again (in a loop, or by a method where another one was already made)
 * with no Stop of the old one first: the old ticker keeps ticking, unreachable, and every
 * re-assignment adds one.
 */
function checkOverwrite(call: SNode, target: SNode, ctx: RuleContext): void {
  const model = valueModel(ctx.pkg);
  const scope = scopeFor(call, ctx.pkg);
  const p = scope ? placeOf(target, scope, model.placeContext) : null;
  if (!p?.id || p.root.kind !== 'recv') return;
  const id = model.canon(p.id);
  const makes = model.creationsOf(id).filter((c) => c.kind === 'ctor');
  const inLoop = call.ancestor('for_statement', 'func_literal')?.type === 'for_statement';
  if (makes.length < 2 && !inLoop) return;
  const fn = call.ancestor('function_declaration', 'method_declaration', 'func_literal');
  // Stopped (or checked) before the new one is made, in the same function.
  const stopsFirst = model.opsOf(id).some((o) => o.kind === 'stop' && fn?.contains(o.node) && o.node.start < call.start);
  if (stopsFirst || (fn && new RegExp(`\\.${p.path[p.path.length - 1]}\\s*!=\\s*nil`).test(fn.text))) return;
  ctx.report({
    node: call,
    message: `ticker field \`${placeName(p) ?? target.text}\` is assigned a new ticker without stopping the one it holds: the old ticker is no longer reachable but keeps ticking for the life of the program, one more each time this runs`,
    fix: `stop the old ticker first (\`if ${target.text} != nil { ${target.text}.Stop() }\`), or keep one ticker and call \`${target.text}.Reset(d)\``,
    severity: 'warning',
  });
}

/** The variable or field a call's single result is assigned to, or null. */
function assignedTo(call: SNode): SNode | null {
  const list = call.parent;
  if (list?.type !== 'expression_list') return null;
  const index = list.namedChildren.indexOf(call);
  const stmt = list.parent;
  if (list.field === 'right' && (stmt?.type === 'short_var_declaration' || stmt?.type === 'assignment_statement')) {
    return stmt.child('left')?.namedChildren[index] ?? null;
  }
  if (list.field === 'value' && stmt?.type === 'var_spec') return stmt.childrenOf('name')[index] ?? null;
  return null;
}

/** What happens to a local ticker: stopped or handed on ('stopped'), or what keeps it alive. */
function localFate(b: Binding, scope: FuncScope): 'stopped' | Holder {
  let holder: Holder = null;
  for (const ref of scope.references(b)) {
    if (ref === b.node) continue;
    const p = ref.parent!;
    if (p.type === 'selector_expression' && ref.field === 'operand') {
      const member = p.child('field')?.text;
      if (member === 'Stop') return 'stopped';
      if (member === 'C' && readForever(p)) holder = { kind: 'loop' };
      continue;
    }
    // Re-assigned (`t = time.NewTicker(d)` again) is not a hand-off; anything else is.
    if (p.type === 'expression_list' && p.field === 'left') continue;
    return 'stopped';
  }
  return holder;
}

/** Whether `t.C` is ranged over (a ticker channel never closes) or read in an endless loop. */
function readForever(sel: SNode): boolean {
  if (sel.parent?.type === 'range_clause' && sel.field === 'right') return true;
  const loop = sel.ancestor('for_statement', 'func_literal');
  return loop?.type === 'for_statement' && isEndless(loop) && loopExits(loop).length === 0;
}

/** Last names of everything stopped anywhere in the package: `s.tick.Stop()` gives "tick". */
function stoppedNames(pkg: GoPackage): Set<string> {
  const out = new Set<string>();
  for (const n of nodesOfType(pkg, 'call_expression')) {
    const fn = n.child('function');
    if (fn?.type !== 'selector_expression' || fn.child('field')?.text !== 'Stop') continue;
    const key = placeKey(fn.child('operand'));
    if (key) out.add(key.slice(key.lastIndexOf('.') + 1));
  }
  return out;
}

function report(call: SNode, what: 'ticker' | 'timer', ctor: string, name: string, holder: Holder, ctx: RuleContext, edits: SourceEdit[] | null = null): void {
  const modern = atLeast(ctx.pkg.goVersion, 1, 23);
  let why: string;
  if (holder) {
    const where = holder.kind === 'loop' ? 'an endless loop keeps reading it' : `it is kept in ${holder.kind === 'field' ? 'field' : 'package variable'} \`${holder.name}\` and nothing in the package stops it`;
    why = `${where}, so it stays reachable and keeps ticking for the life of the program, whatever the Go version`;
  } else if (modern) {
    why = `it is collected since Go 1.23 once unreferenced, but still ${what === 'ticker' ? 'ticking' : 'pending'} until then; stop it to free it promptly`;
  } else {
    why =
      what === 'ticker'
        ? 'before Go 1.23 an unstopped ticker is never garbage-collected, so it keeps firing and holds its memory for the life of the program'
        : 'before Go 1.23 the runtime keeps an unstopped timer alive until it fires, even when nothing references it';
  }
  const finding: ReportWithSeverity = {
    node: call,
    message: `${what} \`${name}\` from time.${ctor} is never stopped: ${why}`,
    fix: holder?.kind === 'field' || holder?.kind === 'global'
      ? `call \`${holder.name}.Stop()\` in the Close/Stop method that ends its owner's life`
      : `add \`defer ${name}.Stop()\` right after \`time.${ctor}(...)\``,
    // A one-shot timer that simply expires names no goroutine and no growing resource: info.
    // A ticker read by an endless loop lives as long as that loop: the goroutine running it is
    // what may leak (no-exit-loop, bare-go), not a growing number of tickers.
    severity: (modern && !holder) || what === 'timer' || holder?.kind === 'loop' ? 'info' : 'warning',
    edits,
  };
  ctx.report(finding);
}
