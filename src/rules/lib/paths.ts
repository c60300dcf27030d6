// "Is X used on every path after this statement", for lost-cancel (is the cancel func used
// before each return?), and "can this select case go round the loop again" for time-in-loop.
// Loop exits and the three-valued path trace live in model/paths.ts.
//
// This is not a control-flow graph. It is one structured pass over the statements after a point,
// in source order, that follows if/switch/select/for the way Go executes them and stops at the
// first return that no "use" precedes. Each statement is visited at most once per query, so a
// query is linear in the size of the function. break/continue are followed to their target.
// Whatever it cannot follow (goto, a loop body going round again, a jump out to a statement
// that encloses the variable's scope) ends the path silently: a missed finding is better than
// a false one.
import type { SNode } from '../../gosrc/ast.js';
import type { FuncScope } from '../../gosrc/scope.js';
import { importPathOf } from '../../gosrc/types.js';
import { isNoReturnCall, jumpTarget, loopsForever, statementsOf } from '../../model/paths.js';

/** Where a path leaves without a use: a return statement, or the end of the variable's scope. */
export interface UnusedExit {
  kind: 'return' | 'end';
  /** The return statement, or the closing brace (or case) where the scope ends. */
  node: SNode;
}

interface Flow {
  /** A reachable exit that no use precedes. */
  exit: UnusedExit | null;
  /** Whether control can continue after the statement with no use having happened. */
  falls: boolean;
  /** The first break/continue reached with no use that leaves the statement for an outer one. */
  jump: SNode | null;
}

const USED: Flow = { exit: null, falls: false, jump: null };
const FALLS: Flow = { exit: null, falls: true, jump: null };

const CASE_TYPES = new Set(['expression_case', 'type_case', 'default_case', 'communication_case']);

/**
 * The first exit reachable after statement `stmt` on which `uses` holds for no statement,
 * looking no further than the end of `scope` (the block or case declaring the variable).
 * Returns null when every path uses it, and also when a path cannot be followed.
 */
export function exitWithout(stmt: SNode, scope: SNode, uses: (n: SNode) => boolean): UnusedExit | null {
  let current = asListed(stmt);
  for (;;) {
    const list = current.parent;
    if (!list || list.type !== 'statement_list') return null;
    const stmts = list.namedChildren;
    const rest = stmts.slice(stmts.indexOf(current) + 1);
    const flow = scanList(rest, uses);
    if (flow.exit) return flow.exit;
    // A break or continue that leaves the variable's scope leaves it unused.
    if (flow.jump) return scope.contains(flow.jump) && !scope.contains(jumpTarget(flow.jump) ?? scope) ? { kind: 'end', node: closingOf(scope) } : null;
    if (!flow.falls) return null;
    // The rest of this list falls through unused: where does control go next?
    const owner = list.parent!;
    if (owner === scope) return { kind: 'end', node: closingOf(owner) };
    const next = continuationOf(owner);
    if (!next) return null;
    current = next;
  }
}

/** The statement after which control continues when `owner` (a block or case) falls off its end. */
function continuationOf(owner: SNode): SNode | null {
  if (CASE_TYPES.has(owner.type)) return owner.parent ? asListed(owner.parent) : null;
  if (owner.type !== 'block') return null;
  const parent = owner.parent;
  if (!parent) return null;
  if (parent.type === 'statement_list') return owner;
  if (parent.type === 'if_statement') {
    let top = parent;
    while (top.parent?.type === 'if_statement' && top.field === 'alternative') top = top.parent;
    return asListed(top);
  }
  // Loop bodies go round again and function bodies end the function: not followed.
  return null;
}

/** A statement as it sits in its statement_list (through any label). */
function asListed(stmt: SNode): SNode {
  return stmt.parent?.type === 'labeled_statement' ? stmt.parent : stmt;
}

function closingOf(scope: SNode): SNode {
  const last = scope.children[scope.children.length - 1];
  return last && last.type === '}' ? last : scope;
}

function scanList(stmts: SNode[], uses: (n: SNode) => boolean): Flow {
  let jump: SNode | null = null;
  for (const s of stmts) {
    if (s.type === 'break_statement' || s.type === 'continue_statement') return { exit: null, falls: false, jump: jump ?? s };
    if (s.type === 'fallthrough_statement') break;
    const flow = scanStatement(s, uses);
    jump ??= flow.jump;
    if (flow.exit || !flow.falls) return { exit: flow.exit, falls: false, jump };
  }
  return { exit: null, falls: true, jump };
}

function scanStatement(s: SNode, uses: (n: SNode) => boolean): Flow {
  switch (s.type) {
    case 'labeled_statement': {
      const inner = s.namedChildren.find((c) => c.type !== 'label_name');
      return inner ? scanStatement(inner, uses) : FALLS;
    }
    case 'return_statement':
      return uses(s) ? USED : { exit: { kind: 'return', node: s }, falls: false, jump: null };
    case 'block':
      return scanList(statementsOf(s), uses);
    case 'if_statement': {
      if (headerUses(s, ['consequence', 'alternative'], uses)) return USED;
      const then = scanList(statementsOf(s.child('consequence')), uses);
      if (then.exit) return then;
      const alt = s.child('alternative');
      const other = !alt ? FALLS : alt.type === 'if_statement' ? scanStatement(alt, uses) : scanList(statementsOf(alt), uses);
      return { exit: other.exit, falls: then.falls || other.falls, jump: then.jump ?? other.jump };
    }
    case 'for_statement': {
      if (headerUses(s, ['body'], uses)) return USED;
      const body = scanList(statementsOf(s.child('body')), uses);
      if (body.exit) return body;
      return { exit: null, falls: !loopsForever(s), jump: outward(body.jump, s) };
    }
    case 'expression_switch_statement':
    case 'type_switch_statement':
    case 'select_statement': {
      const cases = s.namedChildren.filter((c) => CASE_TYPES.has(c.type));
      if (headerUses(s, [], uses, cases)) return USED;
      let falls = s.type !== 'select_statement' && !cases.some((c) => c.type === 'default_case');
      let jump: SNode | null = null;
      for (const c of cases) {
        const comm = c.child('communication');
        if (comm && uses(comm)) {
          falls = true; // the case is taken only sometimes; treat its use as not covering
          continue;
        }
        const flow = scanList(statementsOf(c), uses);
        if (flow.exit) return flow;
        // A break out of this switch continues after it, like falling off the case.
        falls ||= flow.falls || (flow.jump !== null && jumpTarget(flow.jump) === s);
        jump ??= outward(flow.jump, s);
      }
      return { exit: null, falls, jump };
    }
    case 'break_statement':
    case 'continue_statement':
      return { exit: null, falls: false, jump: s };
    case 'goto_statement':
      return USED;
    case 'expression_statement':
      if (uses(s)) return USED;
      return isNoReturnCall(s.namedChildren[0] ?? null) ? USED : FALLS;
    default:
      return uses(s) ? USED : FALLS;
  }
}

/** The jump, unless it targets `stmt` (which then handles it). */
function outward(jump: SNode | null, stmt: SNode): SNode | null {
  return jump && jumpTarget(jump) !== stmt ? jump : null;
}

/** Whether the non-body parts of a compound statement (init, condition, switch value) use it. */
function headerUses(s: SNode, bodyFields: string[], uses: (n: SNode) => boolean, bodies: SNode[] = []): boolean {
  return s.namedChildren.some((c) => !bodyFields.includes(c.field ?? '') && !bodies.includes(c) && c.type !== 'comment' && uses(c));
}

/**
 * Whether a case (or block) can end with control continuing after it: it does not always
 * return, panic, or jump out. Used to ask "can this select case go round the loop again?".
 */
export function canFallThrough(body: SNode): boolean {
  const flow = scanList(statementsOf(body), () => false);
  if (flow.falls) return true;
  // Leaving a select or switch by break, or going round by continue, also carries on.
  const target = flow.jump ? jumpTarget(flow.jump) : null;
  return flow.jump?.type === 'continue_statement' || (target !== null && target.type !== 'for_statement');
}

/**
 * Whether control that leaves statement `stmt` normally (falling off its end) reaches the end
 * of `loop`'s body and goes round again: no unconditional return, exit or break out of the
 * loop follows it in the body.
 */
export function reachesBackEdge(stmt: SNode, loop: SNode): boolean {
  const body = loop.child('body');
  let current = asListed(stmt);
  for (;;) {
    const list = current.parent;
    if (!list || list.type !== 'statement_list') return false;
    const stmts = list.namedChildren;
    const flow = scanList(stmts.slice(stmts.indexOf(current) + 1), () => false);
    if (flow.exit) return false;
    if (flow.jump) {
      const target = jumpTarget(flow.jump);
      return flow.jump.type === 'continue_statement' ? target === loop : target !== loop && target !== null && loop.contains(target);
    }
    if (!flow.falls) return false;
    const owner = list.parent!;
    if (owner === body) return true;
    if (CASE_TYPES.has(owner.type)) {
      if (!owner.parent) return false;
      current = asListed(owner.parent);
      continue;
    }
    const next = continuationOf(owner);
    if (!next) return false;
    current = next;
  }
}

/** For `pkg.Name(...)` where pkg is an imported package (not shadowed): its import path and Name. */
export function stdlibCall(call: SNode | null, scope: FuncScope): { path: string; name: string } | null {
  if (!call || call.type !== 'call_expression') return null;
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression') return null;
  const operand = fn.child('operand');
  if (!operand || !scope.isPackageName(operand)) return null;
  const path = importPathOf(operand.text, scope.file);
  return path ? { path, name: fn.child('field')?.text ?? '' } : null;
}

/** The arguments of a call expression. */
export function argsOf(call: SNode): SNode[] {
  return call.child('arguments')?.namedChildren ?? [];
}
