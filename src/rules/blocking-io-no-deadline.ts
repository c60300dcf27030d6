// blocking-io-no-deadline: a goroutine reads a net.Conn or pipe made in the same function, and
// nothing in view can ever unblock that read: no Close (of it, or of the pipe's other end), no
// SetDeadline/SetReadDeadline. A peer that goes quiet without closing then parks the goroutine
// in Read forever.
//
// Only values whose whole life is visible are judged: a conn from a parameter or a field, or one
// handed to other code, may be closed there, so stay silent.
import type { SNode } from '../gosrc/ast.js';
import { enclosingFunction, scopeFor, type Binding, type FuncScope } from '../gosrc/scope.js';
import { argsOf, stdlibCall } from './lib/paths.js';
import type { GoFile, GoPackage } from '../gosrc/package.js';
import { callEffects, goroutinesRunning, valueModel } from '../model/index.js';
import type { Op } from '../model/values.js';
import { elidedMentions } from './lib/channels.js';
import { startedForProgramLifetime } from './lib/loops.js';
import type { Rule, RuleContext } from './types.js';
import { nodesOfType } from '../gosrc/nodes.js';

export const rule: Rule = {
  meta: {
    id: 'blocking-io-no-deadline',
    title: 'Goroutine reads a conn or pipe that nothing closes and that has no deadline',
    category: 'io',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      'A goroutine reads from a net.Conn, net.Pipe end or io.PipeReader created in the same function, but nothing in view closes ' +
      'it (or the pipe\'s writer) and no read deadline is set. If the other side stops sending without closing, the read blocks ' +
      'forever and so does the goroutine. Set a deadline, or close the conn when done or on ctx.Done().',
  },
  run(ctx) {
    checkConnFields(ctx);
    const dials = (f: GoFile) => /\bgo\s/.test(f.file.source) && /\b(Dial\w*|Accept|Pipe)\(/.test(f.file.source);
    for (const n of nodesOfType(ctx.pkg, 'go_statement', dials)) checkGoroutine(n, ctx);
  },
};

/** Methods that unblock a pending Read, or bound how long it can wait. */
const RELEASES = new Set(['Close', 'CloseRead', 'CloseWithError', 'SetDeadline', 'SetReadDeadline']);

/** Standard-library readers, by "importpath.Name", and which argument they read from. */
const READERS: Record<string, number> = {
  'io.ReadAll': 0,
  'io/ioutil.ReadAll': 0,
  'io.ReadFull': 0,
  'io.ReadAtLeast': 0,
  'io.Copy': 1,
  'io.CopyN': 1,
  'io.CopyBuffer': 1,
  'bufio.NewReader': 0,
  'bufio.NewReaderSize': 0,
  'bufio.NewScanner': 0,
  'encoding/json.NewDecoder': 0,
  'encoding/gob.NewDecoder': 0,
};

const READABLE = new Set(['conn', 'pipe-reader']);

function checkGoroutine(goStmt: SNode, ctx: RuleContext): void {
  const lit = goStmt.namedChildren[0]?.child('function');
  // A program's own reader, started from main or init, lives as long as the program.
  if (lit?.type !== 'func_literal' || startedForProgramLifetime(goStmt, ctx.pkg)) return;
  const scope = scopeFor(goStmt, ctx.pkg);
  if (!scope) return;
  const reported = new Set<Binding>();
  lit.child('body')?.walk((n) => {
    // A nested go statement is its own goroutine and gets its own visit.
    if (n.type === 'go_statement') return false;
    if (n.type !== 'call_expression') return;
    const source = readSource(n, scope);
    if (!source) return;
    const b = scope.resolve(source);
    if (!b || reported.has(b) || !createdHere(b, scope)) return;
    if (!neverReleased(b, scope) || peerClosedInProcess(b, scope)) return;
    reported.add(b);
    const pipe = scope.bindingType(b).kind === 'pipe-reader' || /\bPipe$/.test(b.init?.child('function')?.text ?? '');
    ctx.report({
      node: readCall(n),
      goroutine: goStmt,
      message: pipe
        ? `goroutine reads from pipe \`${b.name}\`, but nothing closes either end: once the writer stops writing, the read blocks forever and the goroutine leaks`
        : `goroutine reads from \`${b.name}\` with no deadline, and nothing in view closes it: if the peer goes quiet without closing, the read blocks forever and the goroutine leaks`,
      related: [{ node: b.node, message: `\`${b.name}\` is created here` }],
      fix: pipe
        ? `close the writing end when done (\`defer pw.Close()\` in the writer), or unblock the reader with \`${b.name}.CloseWithError(err)\``
        : `set a deadline before reading (\`${b.name}.SetReadDeadline(time.Now().Add(timeout))\`), or close it when done: \`defer ${b.name}.Close()\`, or \`${b.name}.Close()\` on ctx.Done() in another goroutine`,
    });
  });
}

/** The identifier a call reads from: `c.Read(buf)`, `io.ReadAll(c)`, `bufio.NewReader(c)`... */
function readSource(call: SNode, scope: FuncScope): SNode | null {
  const source = readArgument(call, scope);
  if (source?.type !== 'identifier') return null;
  return READABLE.has(scope.typeOf(source).kind) ? source : null;
}

/** The expression a call reads from (a conn or pipe by its type), whatever its form. */
function readArgument(call: SNode, scope: FuncScope): SNode | null {
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression') return null;
  const callee = stdlibCall(call, scope);
  let source: SNode | null;
  if (callee) {
    const index = READERS[`${callee.path}.${callee.name}`];
    source = index === undefined ? null : (argsOf(call)[index] ?? null);
  } else {
    source = fn.child('field')?.text === 'Read' ? fn.child('operand') : null;
  }
  return source && READABLE.has(scope.typeOf(source).kind) ? source : null;
}

/** For `bufio.NewReader(c).ReadString('\n')`, the whole chain; else the call itself. */
function readCall(call: SNode): SNode {
  const sel = call.parent;
  return sel?.type === 'selector_expression' && sel.field === 'function' ? sel.parent! : call;
}

/** A local made in this function by a call (net.Dial, ln.Accept, net.Pipe, io.Pipe...). */
function createdHere(b: Binding, scope: FuncScope): boolean {
  if (b.declKind !== 'short' && b.declKind !== 'var') return false;
  if (b.init?.type !== 'call_expression') return false;
  return READABLE.has(scope.bindingType(b).kind);
}

/**
 * Whether nothing in view can unblock reads of `b`: no Close or deadline on it, and it never
 * escapes. For a pipe, the same holds for the other end made by the same call.
 */
function neverReleased(b: Binding, scope: FuncScope): boolean {
  const ends = [b];
  const stmt = b.node.parent?.parent;
  if (b.initIndex >= 0 && stmt && (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement')) {
    const other = stmt.child('left')?.namedChildren[1 - b.initIndex];
    const ob = other?.type === 'identifier' ? scope.resolve(other) : null;
    if (ob && ob !== b && /Pipe$/.test(b.init?.child('function')?.text ?? '')) ends.push(ob);
  }
  return ends.every((end) => scope.references(end).every((ref) => ref === end.node || harmless(ref, scope)));
}

/** A reference that neither releases the value nor hands it to code out of view. */
function harmless(ref: SNode, scope: FuncScope): boolean {
  const p = ref.parent!;
  if (p.type === 'selector_expression' && ref.field === 'operand') return !RELEASES.has(p.child('field')?.text ?? '');
  if (p.type === 'expression_list' && p.field === 'left') return true;
  // Read by one of the known readers, which neither keep nor close it.
  if (p.type === 'argument_list') {
    const call = p.parent!;
    return readSource(call, scope) === ref && enclosingFunction(ref) !== null;
  }
  return false;
}

/**
 * A conn kept in a struct field, dialled or accepted by the package itself, and read by code a
 * goroutine runs (`go c.readLoop()`), when nothing in the package ever closes that field or
 * sets a deadline on it: a quiet peer parks the reader forever. A conn the field gets from
 * elsewhere (a parameter, another package's value) may be closed by its owner: not judged.
 */
function checkConnFields(ctx: RuleContext): void {
  const pkg = ctx.pkg;
  const model = valueModel(pkg);
  for (const [struct, fields] of pkg.structs) {
    for (const [field, type] of fields) {
      if (!READABLE.has(type.kind) || type.embedded || /^[A-Z]/.test(field)) continue;
      const id = model.canon(`F:${struct}.${field}`);
      const creations = model.creationsOf(id);
      if (creations.length === 0 || creations.some((c) => c.kind !== 'ctor' && c.kind !== 'nil')) continue;
      const ops = model.opsOf(id);
      if (ops.some((o) => RELEASE_KINDS.has(o.kind) || (o.kind === 'escape' && !readOnly(o, pkg)))) continue;
      // Handed to same-package code that may close it.
      if (model.sitesPassing(id).some(({ site }) => callEffects(pkg, site).partial || callEffects(pkg, site).effects.some((e) => RELEASE_KINDS.has(e.kind) || e.kind === 'escape'))) continue;
      if (elidedMentions(pkg).dotted(field)) continue;
      const read = ops.find((o) => (o.kind === 'read' || (o.kind === 'escape' && readOnly(o, pkg))) && goroutinesRunning(model, o.fn).length > 0);
      if (!read) continue;
      const start = goroutinesRunning(model, read.fn)[0]!;
      ctx.report({
        node: read.node,
        goroutine: start,
        message: `goroutine reads \`${read.ref.text}\` with no deadline, and nothing in the package ever closes the \`.${field}\` field of \`${struct}\`: if the peer goes quiet without closing, the read blocks forever and the goroutine leaks`,
        related: [{ node: creations[0]!.value, message: 'the conn is opened here' }],
        fix: `close it when the owner shuts down (a Close method of \`${struct}\` calling \`${read.ref.text}.Close()\`), or set a read deadline before each read`,
      });
    }
  }
}

/** Operations that unblock a pending read or bound it. */
const RELEASE_KINDS = new Set(['closeio', 'deadline']);

/** An escape that is only a read: the conn passed to a known reader (io.ReadAll, bufio.NewReader...). */
function readOnly(op: Op, pkg: GoPackage): boolean {
  if (op.escape !== 'arg' || op.node.type !== 'call_expression') return false;
  const scope = scopeFor(op.node, pkg);
  return !!scope && readArgument(op.node, scope) !== null;
}

/**
 * A conn accepted from a listener that the same function also dials, closing the dialled end:
 * the peer is in this process and always closes, so the read ends with EOF.
 */
function peerClosedInProcess(b: Binding, scope: FuncScope): boolean {
  const accept = b.init?.child('function');
  if (accept?.type !== 'selector_expression' || accept.child('field')?.text !== 'Accept') return false;
  const listener = accept.child('operand')?.text;
  if (!listener) return false;
  let closed = false;
  scope.root.walk((n) => {
    if (closed || n.type !== 'call_expression') return;
    const callee = stdlibCall(n, scope);
    if (callee?.path !== 'net' || !/^Dial/.test(callee.name)) return;
    if (!argsOf(n).some((a) => a.text.replace(/\s+/g, '').startsWith(`${listener}.Addr()`))) return;
    const stmt = n.parent?.parent;
    const target = stmt?.child('left')?.namedChildren[0];
    const dialled = target?.type === 'identifier' ? scope.resolve(target) : null;
    if (dialled && scope.references(dialled).some((r) => r.parent?.type === 'selector_expression' && r.parent.child('field')?.text === 'Close')) closed = true;
  });
  return closed;
}
