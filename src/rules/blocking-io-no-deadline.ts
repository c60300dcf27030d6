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
import type { Rule, RuleContext } from './types.js';

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
    for (const file of ctx.pkg.files) {
      if (!/\bgo\s/.test(file.file.source) || !/\b(Dial\w*|Accept|Pipe)\(/.test(file.file.source)) continue;
      file.root.walk((n) => {
        if (n.type === 'go_statement') checkGoroutine(n, ctx);
      });
    }
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
  if (lit?.type !== 'func_literal') return;
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
    if (!neverReleased(b, scope)) return;
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
  if (source?.type !== 'identifier') return null;
  return READABLE.has(scope.typeOf(source).kind) ? source : null;
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
