// nil-channel: a send, receive or range on a channel that is nil, which blocks forever.
//
// Three sources of nil channels, each judged only where the whole story is visible:
//  - a local `var ch chan T` that is never made (no non-nil assignment anywhere, its address
//    never taken), or made only inside `if cond { ch = make(...) }` (no else) and then used on
//    a straight-line path after that if, with no early return in between;
//  - an unexported package variable of channel type with no initialiser and no assignment in
//    any file of the package;
//  - an unexported struct field of channel type that nothing in the package ever sets: no
//    `x.f = ...`, no `&x.f`, no composite literal with `f:` and no positional literal of the
//    struct. Matching is by field name alone, so any write to a field of that name anywhere
//    silences the rule.
// Operations that are a select case in a select with other cases (or a default) are never
// reported: a nil channel there disables the case, which is deliberate (the optional-timeout
// idiom, the `ch = nil` idiom after close).
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import { scopeFor, scopeOfFunc, type Binding, type FuncScope } from '../gosrc/scope.js';
import type { TypeRef } from '../gosrc/types.js';
import { enclosingGoStatement } from '../model/index.js';
import { valueModel } from '../model/values.js';
import type { Place } from '../model/places.js';
import { elidedMentions, elidedText, elidedTexts, fieldChannels, type ElidedMentions } from './lib/channels.js';
import { fieldDeclaration, selectCaseCount, selectOfCase } from './lib/loops.js';
import type { Rule, RuleContext } from './types.js';

/** A send, receive or range whose channel is the expression `chan`. */
interface ChannelOp {
  /** The node reported: the send statement, the `<-ch` expression or the range clause. */
  node: SNode;
  chan: SNode;
  verb: 'send on' | 'receive from' | 'range over';
}

/** Cheap text test: a function without both `var` and `chan` declares no `var ch chan T` local. */
function mayDeclareChanVar(body: string): boolean {
  return /\bvar\b/.test(body) && /\bchan\b/.test(body);
}

export const rule: Rule = {
  meta: {
    id: 'nil-channel',
    title: 'Send or receive on a nil channel',
    category: 'channels',
    defaultSeverity: 'error',
    enabledByDefault: true,
    description:
      'Reports a send, receive or range on a channel that is nil on some path: a `var ch chan T` that is never made or made only under a condition, or a struct field of channel type that nothing in the package ever initialises. Operations on a nil channel block forever, so the goroutine leaks. A nil channel as one case of a select with other cases is the deliberate way to disable that case and is not reported. Make the channel, or initialise the field in the constructor.',
  },
  run(ctx: RuleContext): void {
    const { pkg } = ctx;
    const writes = collectWrites(pkg);
    const nilPackageVars = unmadePackageVars(pkg, writes);
    const nilFields = unsetFields(pkg, writes);
    for (const fn of pkg.funcs.values()) {
      if (!fn.body || fn.body.elided) continue;
      const declaresChanVar = mayDeclareChanVar(fn.body.text);
      if (!declaresChanVar && nilPackageVars.size === 0 && nilFields.size === 0) continue;
      const scope = scopeOfFunc(fn, pkg);
      if (declaresChanVar) checkLocals(ctx, scope);
      if (nilPackageVars.size === 0 && nilFields.size === 0) continue;
      for (const op of channelOps(fn.node)) {
        if (disablesSelectCase(op.node)) continue;
        if (op.chan.type === 'identifier' && nilPackageVars.has(op.chan.text) && scope.resolve(op.chan) === null) {
          const v = pkg.vars.get(op.chan.text)!;
          ctx.report({
            node: op.node,
            goroutine: enclosingGoStatement(op.node),
            message: `${op.verb} nil channel \`${op.chan.text}\`: the package variable is declared without a value and never assigned anywhere in the package, so the ${verbNoun(op)} blocks forever`,
            related: [{ node: v.node, message: `\`${v.name}\` is declared here and never made` }],
            fix: `initialise it: \`var ${v.name} = make(${v.type?.text ?? 'chan T'})\`, or assign it in the constructor or init()`,
          });
        } else if (op.chan.type === 'selector_expression') {
          reportUnsetField(ctx, op, scope, nilFields);
        }
      }
    }
    checkConditionalFields(ctx);
  },
};

// ---------------------------------------------------------------------------------------------
// Fields made only under a condition

/**
 * A channel field made only inside `if cond { s.ch = make(...) }` (a constructor option, a
 * verbose flag), and used by a goroutine that runs whatever the condition was: when the
 * condition is false the field is nil, and the goroutine's send or receive blocks forever.
 */
function checkConditionalFields(ctx: RuleContext): void {
  const model = valueModel(ctx.pkg);
  for (const fc of fieldChannels(ctx.pkg)) {
    if (!fc.struct || fc.exported || fc.escape || fc.makes.length === 0) continue;
    const creations = model.creationsOf(fc.id);
    if (creations.some((c) => c.kind !== 'make' && c.kind !== 'nil')) continue;
    const guards = creations.filter((c) => c.kind === 'make').map((c) => (c.fn ? guardOf(c.value, c.fn) : null));
    if (guards.some((g) => g === null)) continue;
    const guard = guards[0]!;
    for (const use of fc.uses) {
      if (use.chain.length > 0 || use.kind === 'close' || use.kind === 'len' || use.starts.length === 0) continue;
      if (disablesSelectCase(use.op.node) || underBranch(use.op.node, use.op.fn) || checksNil(use.op.fn, fc.field)) continue;
      if (use.starts.some((g) => underBranch(g, g.ancestor('func_literal', 'function_declaration', 'method_declaration')))) continue;
      const cond = guard.child('condition')?.text ?? 'the condition';
      const verb = use.kind === 'send' ? 'send on' : use.kind === 'range' ? 'range over' : 'receive from';
      ctx.report({
        node: use.op.kind === 'range' ? (use.op.node.childOfType('range_clause') ?? use.op.node) : use.op.node,
        goroutine: use.starts[0]!,
        message: `${verb} ${fc.label}, which is nil unless \`${cond}\`: it is made only inside that if, but the goroutine uses it whatever the condition, so when it is false the ${use.kind === 'send' ? 'send' : use.kind === 'range' ? 'range' : 'receive'} blocks forever`,
        related: [{ node: guard, message: `the channel is made only when \`${cond}\`` }],
        fix: `make the channel unconditionally in the constructor, or start the goroutine (or use the channel) only under the same condition`,
      });
      break;
    }
  }
}

/** The outermost `if` without else whose consequence holds a make, crossing only blocks and assignments; null when it is made unconditionally. */
function guardOf(make: SNode, fn: SNode): SNode | null {
  let guard: SNode | null = null;
  for (let p: SNode | null = make.parent, child: SNode = make; p && p !== fn; child = p, p = p.parent) {
    if (p.type === 'if_statement') {
      if (child.field !== 'consequence' || p.child('alternative')) return null;
      guard = p;
      continue;
    }
    if (!/^(block|statement_list|expression_list|assignment_statement|short_var_declaration|keyed_element|literal_value|literal_element|composite_literal|unary_expression|parenthesized_expression)$/.test(p.type)) return null;
  }
  return guard;
}

/** Whether the function compares the field with nil anywhere (`if s.ch == nil { return }`). */
function checksNil(fn: SNode, field: string): boolean {
  const re = new RegExp(`\\.${field}\\s*[!=]=\\s*nil\\b|\\bnil\\s*[!=]=\\s*[\\w.]*\\.${field}\\b`);
  return re.test(fn.text);
}

/** Whether an if or switch lies between `node` and its function `fn`. */
function underBranch(node: SNode, fn: SNode | null): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (/^(if_statement|expression_switch_statement|type_switch_statement|expression_case|type_case|default_case)$/.test(p.type)) return true;
  }
  return false;
}

function verbNoun(op: ChannelOp): string {
  return op.verb === 'send on' ? 'send' : op.verb === 'receive from' ? 'receive' : 'range';
}

/** Every send, receive and range of a function, nested literals included. */
function channelOps(root: SNode): ChannelOp[] {
  const out: ChannelOp[] = [];
  root.walk((n) => {
    if (n.type === 'send_statement') {
      const chan = n.child('channel');
      if (chan) out.push({ node: n, chan, verb: 'send on' });
    } else if (n.type === 'unary_expression' && n.child('operator')?.type === '<-') {
      const chan = n.child('operand');
      if (chan) out.push({ node: n, chan, verb: 'receive from' });
    } else if (n.type === 'range_clause') {
      const chan = n.child('right');
      if (chan) out.push({ node: n, chan, verb: 'range over' });
    }
  });
  return out;
}

/** A case of a select that has other cases or a default: a nil channel there only disables the case. */
function disablesSelectCase(op: SNode): boolean {
  const select = selectOfCase(op);
  return select !== null && selectCaseCount(select) > 1;
}

// ---------------------------------------------------------------------------------------------
// Local variables

/** How one reference to a local channel variable is used. */
type Use = { kind: 'make'; node: SNode } | { kind: 'nil' } | { kind: 'escape' } | { kind: 'op'; op: ChannelOp } | { kind: 'other' };

function checkLocals(ctx: RuleContext, scope: FuncScope): void {
  for (const b of scope.bindings) {
    if (b.declKind !== 'var' || b.init || scope.bindingType(b).kind !== 'chan') continue;
    const uses = scope.references(b).filter((r) => r !== b.node).map(classifyUse);
    if (uses.some((u) => u.kind === 'escape')) continue;
    const makes = uses.flatMap((u) => (u.kind === 'make' ? [u.node] : []));
    const ops = uses.flatMap((u) => (u.kind === 'op' && !disablesSelectCase(u.op.node) ? [u.op] : []));
    const type = scope.bindingType(b);
    for (const op of ops) {
      if (makes.length === 0) {
        ctx.report({
          node: op.node,
          goroutine: enclosingGoStatement(op.node),
          message: `${op.verb} nil channel \`${b.name}\`: it is declared \`var ${b.name} ${type.text}\` and never made, so the ${verbNoun(op)} blocks forever`,
          related: [{ node: b.node, message: `\`${b.name}\` is declared here with no value` }],
          fix: `make the channel: \`${b.name} := make(${type.text})\` (or assign \`${b.name} = make(${type.text})\` before it is used)`,
        });
        continue;
      }
      const guard = onlyMadeUnderCondition(b, makes, op);
      if (!guard) continue;
      const cond = guard.child('condition')?.text ?? 'the condition';
      ctx.report({
        node: op.node,
        goroutine: enclosingGoStatement(op.node),
        message: `${op.verb} channel \`${b.name}\`, which is nil unless \`${cond}\`: it is made only inside that if, so on the other path the ${verbNoun(op)} blocks forever`,
        related: [
          { node: guard, message: `\`${b.name}\` is made only when \`${cond}\`` },
          { node: b.node, message: `\`${b.name}\` is declared here with no value` },
        ],
        fix: `make \`${b.name}\` on every path (\`${b.name} := make(${type.text})\` before the if), or use it only where it was made`,
      });
    }
  }
}

function classifyUse(ref: SNode): Use {
  const p = ref.parent;
  if (!p) return { kind: 'other' };
  if (p.type === 'unary_expression' && p.child('operator')?.type === '&') return { kind: 'escape' };
  if (p.type === 'send_statement' && ref.field === 'channel') return { kind: 'op', op: { node: p, chan: ref, verb: 'send on' } };
  if (p.type === 'unary_expression' && p.child('operator')?.type === '<-') return { kind: 'op', op: { node: p, chan: ref, verb: 'receive from' } };
  if (p.type === 'range_clause' && ref.field === 'right') return { kind: 'op', op: { node: p, chan: ref, verb: 'range over' } };
  if (p.type === 'expression_list' && p.field === 'left') {
    const stmt = p.parent!;
    if (stmt.type === 'assignment_statement') {
      const index = p.namedChildren.indexOf(ref);
      const values = stmt.child('right')?.namedChildren ?? [];
      const value = values.length === p.namedChildren.length ? values[index] : null;
      return value?.type === 'nil' ? { kind: 'nil' } : { kind: 'make', node: stmt };
    }
    // `case ch = <-chans:`, `for ch = range list`, `ch, err := ...` redeclaring: a value we cannot see.
    return { kind: 'make', node: stmt };
  }
  return { kind: 'other' };
}

/** Statement types that do not make their parts conditional (walking up from an operation). */
const STRAIGHT = new Set([
  'block',
  'statement_list',
  'expression_statement',
  'send_statement',
  'unary_expression',
  'short_var_declaration',
  'assignment_statement',
  'expression_list',
  'receive_statement',
  'call_expression',
  'argument_list',
  'parenthesized_expression',
  'selector_expression',
  'index_expression',
  'return_statement',
  'var_declaration',
  'var_spec',
  'go_statement',
  'defer_statement',
  'labeled_statement',
  'range_clause',
  'composite_literal',
  'literal_value',
  'literal_element',
  'keyed_element',
]);

/** Statements that leave the current statement list early. */
const EARLY_EXIT = ['return_statement', 'goto_statement', 'break_statement', 'continue_statement'];

/**
 * The `if` that alone makes `b`, when every make of `b` sits in the consequence of an if with
 * no else (whose conditions do not test `b` itself: `if ch == nil { ch = make(...) }` makes it
 * on every path), all before `op`, and `op` runs unconditionally after that if, with no early
 * exit between them. Null otherwise.
 */
function onlyMadeUnderCondition(b: Binding, makes: SNode[], op: ChannelOp): SNode | null {
  let guard: SNode | null = null;
  for (const m of makes) {
    if (m.start > op.node.start) return null;
    const outerIf = outermostIfOnPath(m, b);
    if (!outerIf) return null;
    guard ??= outerIf;
  }
  if (!guard || !runsUnconditionally(op, b.scope)) return null;
  // The guard and the operation must share a statement list, with nothing that exits between.
  const list = guard.parent;
  if (list?.type !== 'statement_list' || !list.contains(op.node)) return null;
  for (const stmt of list.namedChildren) {
    if (stmt.start <= guard.start) continue;
    if (stmt.contains(op.node)) break;
    if (mayExit(stmt)) return null;
  }
  return guard;
}

/**
 * Walking up from a make to the declaring scope, the outermost if it sits in, provided the path
 * crosses only blocks and the consequences of ifs without else that do not test `b`.
 */
function outermostIfOnPath(make: SNode, b: Binding): SNode | null {
  let outer: SNode | null = null;
  for (let p: SNode | null = make.parent, child: SNode = make; p && p !== b.scope; child = p, p = p.parent) {
    if (p.type === 'block' || p.type === 'statement_list') continue;
    if (p.type !== 'if_statement' || child.field !== 'consequence' || p.child('alternative')) return null;
    const cond = p.child('condition');
    if (cond && mentions(cond, b.name)) return null;
    if (p.child('initializer') && mentions(p.child('initializer')!, b.name)) return null;
    outer = p;
  }
  return outer;
}

/** Whether an operation runs whenever its declaring scope runs past it: no if, loop, switch, select or literal between. */
function runsUnconditionally(op: ChannelOp, scope: SNode): boolean {
  for (let p: SNode | null = op.node.parent, child: SNode = op.node; p && p !== scope; child = p, p = p.parent) {
    if (p.type === 'for_statement' && child.type === 'range_clause') continue;
    if (p.type === 'binary_expression' && /^(&&|\|\|)$/.test(p.child('operator')?.type ?? '') && child.field === 'right') return false;
    if (p.type === 'binary_expression') continue;
    if (!STRAIGHT.has(p.type)) return false;
  }
  return true;
}

function mayExit(stmt: SNode): boolean {
  let exits = false;
  stmt.walk((n) => {
    if (exits || n.type === 'func_literal') return false;
    if (EARLY_EXIT.includes(n.type)) exits = true;
    if (n.type === 'call_expression' && /^(panic|(os\.Exit)|(log\.(Fatal|Panic)\w*))$/.test(n.child('function')?.text ?? '')) exits = true;
    return undefined;
  });
  return exits;
}

function mentions(node: SNode, name: string): boolean {
  return node.findAll('identifier').some((id) => id.text === name);
}

// ---------------------------------------------------------------------------------------------
// Package variables and struct fields

/** What the package writes: assigned or address-taken package-level names and field names. */
interface Writes {
  /** Identifiers assigned or address-taken that resolve to no local (package variables). */
  packageNames: Set<string>;
  /** Field names written by selector assignment, `&x.f` or a keyed literal element. */
  fieldNames: Set<string>;
  /** Names in the types of composite literals with positional elements: every field of such a struct is set. */
  positionalTypeNames: Set<string>;
  /**
   * Texts of function bodies that were not copied (no channel token in them). They can still
   * set a field or variable (`return &S{ch: c}`), so a name they mention is never reported.
   */
  elidedBodies: string[];
  mentions: ElidedMentions;
}

/** `pattern` is built from Go identifiers, which hold no regexp metacharacters. */

/**
 * Whether an uncopied body may build `structName` with positional elements, which sets every
 * field. `T{}` and `T{a: x}` set nothing by position; anything not clearly keyed counts.
 */
function positionalInElided(writes: Writes, structName: string): boolean {
  if (!writes.mentions.braced(structName)) return false;
  const literal = new RegExp(`\\b${structName}\\s*\\{([^{}]*)(.)`, 'g');
  for (const text of writes.elidedBodies) {
    literal.lastIndex = 0;
    for (let m = literal.exec(text); m; m = literal.exec(text)) {
      const elements = m[1]!;
      if (m[2] === '}' && (/^\s*$/.test(elements) || /^\s*\w+\s*:/.test(elements))) continue;
      if (m[2] === '{' && /^\s*\w+\s*:/.test(elements)) continue;
      return true;
    }
  }
  return false;
}

/** The package's writes, read from the model's creations (assignments, keyed and positional literals) and escapes (`&x.f`). */
function collectWrites(pkg: GoPackage): Writes {
  const model = valueModel(pkg);
  const w: Writes = { packageNames: new Set(), fieldNames: new Set(), positionalTypeNames: new Set(model.positional), elidedBodies: [], mentions: elidedMentions(pkg) };
  const written = (p: Place) => {
    if (p.path.length > 0) w.fieldNames.add(p.path[p.path.length - 1]!);
    else if (p.root.kind === 'var') w.packageNames.add(p.root.name);
  };
  for (const c of model.creations) written(c.place);
  for (const op of model.ops) if (op.kind === 'escape' && op.escape === 'address') written(op.place);
  // For a var's table, with its type: `[]relay{{a, b}}` sets relay's fields by position.
  for (const n of elidedTexts(pkg)) w.elidedBodies.push(elidedText(n));
  return w;
}

/** Unexported package variables of channel type with no value and no write anywhere. */
function unmadePackageVars(pkg: GoPackage, writes: Writes): Set<string> {
  const out = new Set<string>();
  for (const v of pkg.vars.values()) {
    if (v.type?.kind !== 'chan' || v.init || !isUnexported(v.name) || writes.packageNames.has(v.name)) continue;
    // A `var a, b = f()` spec has a value even though no one-to-one init was recorded.
    if (v.node.parent?.child('value')) continue;
    if (writes.mentions.any(v.name)) continue;
    out.add(v.name);
  }
  return out;
}

/** Struct name → unexported channel fields that nothing in the package sets. */
function unsetFields(pkg: GoPackage, writes: Writes): Map<string, Map<string, TypeRef>> {
  const out = new Map<string, Map<string, TypeRef>>();
  for (const [structName, fields] of pkg.structs) {
    if (writes.positionalTypeNames.has(structName)) continue;
    if (![...fields.values()].some((t) => t.kind === 'chan')) continue;
    if (positionalInElided(writes, structName)) continue;
    for (const [field, type] of fields) {
      if (type.kind !== 'chan' || type.embedded || !isUnexported(field) || writes.fieldNames.has(field)) continue;
      if (writes.mentions.dotted(field) || writes.mentions.keyed(field)) continue;
      let m = out.get(structName);
      if (!m) out.set(structName, (m = new Map()));
      m.set(field, type);
    }
  }
  return out;
}

function reportUnsetField(ctx: RuleContext, op: ChannelOp, scope: FuncScope, nilFields: Map<string, Map<string, TypeRef>>): void {
  const operand = op.chan.child('operand');
  const field = op.chan.child('field')?.text;
  if (!operand || !field || (operand.type === 'identifier' && scope.isPackageName(operand))) return;
  const structName = scope.typeOf(operand).named;
  const type = structName ? nilFields.get(structName)?.get(field) : undefined;
  if (!structName || !type) return;
  const decl = fieldDeclaration(ctx.pkg, structName, field);
  ctx.report({
    node: op.node,
    goroutine: enclosingGoStatement(op.node),
    message: `${op.verb} nil channel \`${op.chan.text}\`: no code in this package ever sets field \`${field}\` of \`${structName}\` (no make, no composite literal, no assignment), so the ${verbNoun(op)} blocks forever`,
    related: decl ? [{ node: decl, message: `field \`${field}\` is declared here and never initialised` }] : [],
    fix: `initialise the field where \`${structName}\` is constructed: \`&${structName}{${field}: make(${type.text})}\``,
  });
}

function isUnexported(name: string): boolean {
  return /^[a-z_]/.test(name);
}

