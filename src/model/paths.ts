// Paths through a function body, shared by every analysis that asks "on which paths": the
// loop exits (how a loop can be left from inside), and a three-valued path trace (a resource is
// held, not held, or "maybe" where disagreeing paths meet) that follows if/switch/select/for,
// break/continue with labels, returns, panics and endless loops the way Go runs them. Lock
// summaries, WaitGroup Done checks and the "is the partner operation reached on every path"
// questions of the channel rules all run on it; it is linear in the function's size (a loop
// body is traced at most three times).
import type { SNode } from '../gosrc/ast.js';
import type { FuncScope } from '../gosrc/scope.js';
import { importPathOf } from '../gosrc/types.js';

/** The statements of a block, a case clause, or a statement_list. Comments are left out. */
export function statementsOf(node: SNode | null): SNode[] {
  if (!node) return [];
  if (node.type === 'statement_list') return node.namedChildren;
  const list = node.childOfType('statement_list');
  return list ? list.namedChildren : [];
}

/**
 * Pre-order walk of the code that runs as part of `root`'s own function: nested function
 * literals are not entered (they run later, elsewhere, or not at all).
 */
export function walkOwn(root: SNode, visit: (n: SNode) => void): void {
  root.walk((n) => {
    if (n !== root && n.type === 'func_literal') return false;
    visit(n);
  });
}

/** Package-qualified calls that do not return: os.Exit, log.Fatal*, log.Panic*, runtime.Goexit. */
const NO_RETURN_FUNCS: Record<string, RegExp> = {
  os: /^Exit$/,
  log: /^(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)$/,
  runtime: /^Goexit$/,
};

/** Methods that do not return: t.Fatal, b.FailNow, t.Skip, logger.Fatalf, klog.Exitf... */
const NO_RETURN_METHODS = /^(Fatal|Fatalf|Fatalln|FailNow|SkipNow|Skip|Skipf|Panic|Panicf|Panicln|Exit|Exitf)$/;

/**
 * Whether a call never returns: panic, os.Exit, runtime.Goexit, log.Fatal* and the like, and
 * t.Fatal-like methods. With a scope, a package-qualified call is checked against the import it
 * names and a local `panic` is not the builtin; without one, the names as written decide.
 */
export function isNoReturnCall(call: SNode | null, scope: FuncScope | null = null): boolean {
  if (!call || call.type !== 'call_expression') return false;
  const fn = call.child('function');
  if (!fn) return false;
  if (fn.type === 'identifier') return fn.text === 'panic' && (!scope || scope.resolve(fn) === null);
  if (fn.type !== 'selector_expression') return false;
  const operand = fn.child('operand');
  const name = fn.child('field')?.text ?? '';
  if (operand?.type === 'identifier' && (scope ? scope.isPackageName(operand) : /^(os|log|runtime)$/.test(operand.text))) {
    const path = scope ? (importPathOf(operand.text, scope.file) ?? '') : operand.text;
    const known = NO_RETURN_FUNCS[path];
    if (known) return known.test(name);
    // Another package's Fatal/Exit (klog.Exitf, glog.Fatal): the same convention.
    return NO_RETURN_METHODS.test(name) && /^(Fatal|Fatalf|Fatalln|Exit|Exitf)$/.test(name);
  }
  return NO_RETURN_METHODS.test(name);
}

/** The for, switch or select statement a break or continue leaves (through its label, if any). */
export function jumpTarget(jump: SNode): SNode | null {
  const label = jump.namedChildren.find((c) => c.type === 'label_name')?.text;
  if (label) {
    for (let p = jump.parent; p && p.type !== 'func_literal'; p = p.parent) {
      if (p.type === 'labeled_statement' && p.child('label')?.text === label) return p.namedChildren.find((c) => c.type !== 'label_name') ?? null;
    }
    return null;
  }
  const kinds = jump.type === 'continue_statement' ? ['for_statement'] : ['for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement'];
  for (let p = jump.parent; p && p.type !== 'func_literal'; p = p.parent) if (kinds.includes(p.type)) return p;
  return null;
}

/** Whether a for statement has no condition, clause or range: `for { ... }`. */
export function isEndless(loop: SNode): boolean {
  return loop.type === 'for_statement' && loop.namedChildren.every((c) => c.field === 'body' || c.type === 'comment');
}

export type LoopExitKind = 'return' | 'break' | 'continue' | 'goto' | 'call';

export interface LoopExit {
  node: SNode;
  /** return; break (out of this loop or past it); continue (of an outer loop); goto; a call that does not return. */
  kind: LoopExitKind;
}

/**
 * Every way a loop can be left from inside: a return, a goto, a break that targets the loop (or,
 * labeled, anything outside it), a labeled continue of an outer loop, and a call that does not
 * return (panic, os.Exit, log.Fatal, t.Fatal...). A break inside a select or switch of the
 * loop leaves only that statement; code in nested func literals and in `except` is not looked at.
 * Rules pick the kinds they need: the channel rules ignore calls that end the program.
 */
export function loopExits(loop: SNode, options: { scope?: FuncScope | null; except?: SNode | null } = {}): LoopExit[] {
  const body = loop.child('body');
  const out: LoopExit[] = [];
  if (!body) return out;
  const except = options.except ?? null;
  body.walk((n) => {
    if (n === except || n.type === 'func_literal') return false;
    switch (n.type) {
      case 'return_statement':
        out.push({ node: n, kind: 'return' });
        break;
      case 'goto_statement':
        out.push({ node: n, kind: 'goto' });
        break;
      case 'break_statement':
      case 'continue_statement': {
        const target = jumpTarget(n);
        // An unresolved label: treat it as leaving, as the compiler would have rejected it otherwise.
        const stays = target !== null && (body.contains(target) || (n.type === 'continue_statement' && target === loop));
        if (!stays) out.push({ node: n, kind: n.type === 'break_statement' ? 'break' : 'continue' });
        break;
      }
      case 'call_expression':
        if (isNoReturnCall(n, options.scope ?? null)) out.push({ node: n, kind: 'call' });
        break;
    }
    return undefined;
  });
  return out;
}

/**
 * Whether a for loop can only be left by return, panic or goto: no condition, no range, and no
 * break that targets it.
 */
export function loopsForever(loop: SNode): boolean {
  if (!isEndless(loop)) return false;
  return !loopExits(loop).some((e) => e.kind === 'break');
}

// ---------------------------------------------------------------------------------------------
// Path tracing. A three-valued state per path: the resource (a lock, an owed Done) is held,
// not held, or "maybe" where paths that disagree meet. Rules report only definite states, so a
// conditional lock (`if need { mu.Lock() }`) never produces a finding.

export type Held = 'no' | 'yes' | 'maybe';
/** What a call does to the traced resource. */
export type Effect = 'acquire' | 'release' | null;

export interface PathExit {
  node: SNode;
  state: Held;
}

export interface PathContinue extends PathExit {
  loop: SNode;
  /** State when the loop was first entered from outside. */
  loopEntry: Held;
}

export interface PathResult {
  /** Every return statement reached, with the state it returns in. */
  returns: PathExit[];
  continues: PathContinue[];
  /** State when control falls off the end of the body; null when it cannot. */
  fallOff: Held | null;
  /**
   * State at the function's normal exit: the trailing return of the body, or falling off its
   * end. Null when the body ends in a statement that never completes (an endless loop).
   */
  mainExit: Held | null;
  /**
   * Per loop, the state on its back edge (falling off the end of the body, or a continue): what
   * the next iteration starts with. Null when no path goes round again.
   */
  backEdges: Map<SNode, Held | null>;
  /** Per break statement, the state it leaves its loop or switch with. */
  breaks: PathExit[];
}

function join(...states: Array<Held | null>): Held | null {
  let out: Held | null = null;
  for (const s of states) {
    if (s === null) continue;
    if (out === null) out = s;
    else if (out !== s) out = 'maybe';
  }
  return out;
}

interface Target {
  node: SNode;
  label: string | null;
  isLoop: boolean;
  breaks: Array<Held | null>;
  conts: Array<Held | null>;
  entry: Held;
}

class Tracer {
  readonly returns: PathExit[] = [];
  readonly continues: PathContinue[] = [];
  readonly backEdges = new Map<SNode, Held | null>();
  readonly breaks: PathExit[] = [];
  private readonly targets: Target[] = [];

  constructor(
    private readonly effectOf: (call: SNode) => Effect,
    private readonly observe: ((node: SNode, before: Held) => void) | null,
  ) {}

  /**
   * Applies the effects of the calls in an expression or simple statement, in source order, and
   * shows each call, send and receive to the observer with the state before it.
   */
  private events(n: SNode | null, s: Held): Held {
    if (!n) return s;
    let out = s;
    walkOwn(n, (c) => {
      if (this.observe && (c.type === 'send_statement' || (c.type === 'unary_expression' && c.child('operator')?.type === '<-'))) this.observe(c, out);
      if (c.type !== 'call_expression') return;
      this.observe?.(c, out);
      const e = this.effectOf(c);
      if (e === 'acquire') out = 'yes';
      else if (e === 'release') out = 'no';
    });
    return out;
  }

  list(stmts: SNode[], s: Held | null): Held | null {
    let cur = s;
    for (const st of stmts) {
      if (cur === null) return null;
      cur = this.stmt(st, cur, null);
    }
    return cur;
  }

  private block(b: SNode | null, s: Held): Held | null {
    if (!b) return s;
    if (b.type !== 'block') return this.stmt(b, s, null);
    return this.list(statementsOf(b), s);
  }

  private stmt(n: SNode, s: Held, label: string | null): Held | null {
    switch (n.type) {
      case 'comment':
      case 'empty_statement':
      case 'defer_statement':
      case 'go_statement':
      case 'fallthrough_statement':
        return s;
      case 'block':
        return this.block(n, s);
      case 'labeled_statement': {
        const inner = n.namedChildren.find((c) => c.type !== 'label_name');
        return inner ? this.stmt(inner, s, n.child('label')?.text ?? null) : s;
      }
      case 'return_statement': {
        const out = this.events(n, s);
        this.returns.push({ node: n, state: out });
        return null;
      }
      case 'goto_statement':
        return null;
      case 'break_statement':
      case 'continue_statement':
        return this.jump(n, s);
      case 'if_statement': {
        let cur = this.events(n.child('initializer'), s);
        cur = this.events(n.child('condition'), cur);
        const a = this.block(n.child('consequence'), cur);
        const alt = n.child('alternative');
        const b = alt ? this.block(alt, cur) : cur;
        return join(a, b);
      }
      case 'for_statement':
        return this.loop(n, s, label);
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement':
        return this.branches(n, s, label);
      case 'expression_statement': {
        const expr = n.namedChildren[0];
        const out = this.events(n, s);
        if (expr?.type === 'call_expression' && isNoReturnCall(expr)) return null;
        return out;
      }
      default:
        return this.events(n, s);
    }
  }

  private jump(n: SNode, s: Held): null {
    const label = n.namedChildren.find((c) => c.type === 'label_name')?.text ?? null;
    const isBreak = n.type === 'break_statement';
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const t = this.targets[i]!;
      const matches = label ? t.label === label : isBreak || t.isLoop;
      if (!matches) continue;
      if (isBreak) {
        t.breaks.push(s);
        this.breaks.push({ node: n, state: s });
      }
      else {
        t.conts.push(s);
        this.continues.push({ node: n, state: s, loop: t.node, loopEntry: t.entry });
      }
      return null;
    }
    return null;
  }

  private loop(n: SNode, s: Held, label: string | null): Held | null {
    const clause = n.namedChildren.find((c) => c.type === 'for_clause' || c.type === 'range_clause');
    const entry = this.events(clause?.type === 'for_clause' ? clause.child('initializer') : clause ?? null, s);
    const hasCondition = clause ? clause.type === 'range_clause' || clause.child('condition') !== null : n.namedChildren.some((c) => c.field !== 'body' && c.type !== 'comment');
    let head: Held = entry;
    let target: Target;
    if (clause?.type === 'range_clause') this.observe?.(n, entry);
    // The lattice has height 2, so the loop head is stable after at most two passes.
    for (let pass = 0; ; pass++) {
      const marks = [this.returns.length, this.continues.length, this.breaks.length];
      target = { node: n, label, isLoop: true, breaks: [], conts: [], entry: s };
      this.targets.push(target);
      const end = this.block(n.child('body'), head);
      this.targets.pop();
      this.backEdges.set(n, join(end, ...target.conts));
      const next = join(head, end, ...target.conts)!;
      if (next === head || pass >= 2) break;
      this.returns.length = marks[0]!;
      this.continues.length = marks[1]!;
      this.breaks.length = marks[2]!;
      head = next;
    }
    return join(hasCondition ? head : null, ...target.breaks);
  }

  private branches(n: SNode, s: Held, label: string | null): Held | null {
    let cur = this.events(n.child('initializer'), s);
    cur = this.events(n.child('value'), cur);
    const isSelect = n.type === 'select_statement';
    const cases = n.namedChildren.filter((c) => /^(expression_case|type_case|default_case|communication_case)$/.test(c.type));
    const target: Target = { node: n, label, isLoop: false, breaks: [], conts: [], entry: s };
    this.targets.push(target);
    const outs: Array<Held | null> = [];
    let carry: Held | null = null;
    for (const c of cases) {
      let entry = join(cur, carry)!;
      if (c.type === 'communication_case') entry = this.events(c.child('communication'), entry);
      const stmts = statementsOf(c);
      const end = this.list(stmts, entry);
      if (stmts[stmts.length - 1]?.type === 'fallthrough_statement') carry = end;
      else {
        outs.push(end);
        carry = null;
      }
    }
    this.targets.pop();
    // A switch without default may match no case; a select always runs one (or blocks forever).
    const hasDefault = cases.some((c) => c.type === 'default_case');
    if (!isSelect && !hasDefault) outs.push(cur);
    return join(...outs, ...target.breaks);
  }
}

/** Traces every path of a function body, starting in `initial`. */
export function tracePaths(body: SNode, initial: Held, effectOf: (call: SNode) => Effect, observe: ((node: SNode, before: Held) => void) | null = null): PathResult {
  const t = new Tracer(effectOf, observe);
  const stmts = statementsOf(body);
  const fallOff = t.list(stmts, initial);
  const last = stmts[stmts.length - 1];
  let mainExit: Held | null = fallOff;
  if (last?.type === 'return_statement') mainExit = t.returns.find((r) => r.node === last)?.state ?? null;
  return { returns: t.returns, continues: t.continues, fallOff, mainExit, backEdges: t.backEdges, breaks: t.breaks };
}

/** Whether some `defer` in the body's own code (a deferred call or closure) has this effect. */
export function deferHas(body: SNode, effectOf: (call: SNode) => Effect, effect: Effect): boolean {
  let found = false;
  walkOwn(body, (n) => {
    if (found || n.type !== 'defer_statement') return;
    n.walk((c) => {
      if (c.type === 'call_expression' && effectOf(c) === effect) found = true;
    });
  });
  return found;
}

