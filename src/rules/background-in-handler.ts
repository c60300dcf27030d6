// background-in-handler (opt-in style check): context.Background() or context.TODO() used
// inside an HTTP handler, where the request's own context (r.Context()) is at hand. The
// request's context is cancelled when the client goes away or the server shuts down; work
// started from a fresh background context keeps running (queries, calls, goroutines) for a
// response nobody will read.
//
// A handler is any function, method or func literal with an http.ResponseWriter and an
// *http.Request parameter. The nearest enclosing function decides: a handler literal inside a
// non-handler function (mux.HandleFunc("/x", func(w, r) {...})) is a handler.
//
// Deliberate detachment is accepted, not reported:
// - inside a go statement (the goroutine is meant to outlive the request, where r.Context()
//   would cancel it as soon as the handler returns) or a defer statement (cleanup that must
//   run even when the client is gone);
// - when the background context (possibly wrapped by context.With*) is stored in a local that
//   a go statement of the handler uses;
// - inside a func literal that is not called on the spot (it may run later, elsewhere);
// - when the comment block right above the statement explains the choice (it mentions
//   cancellation, detaching, outliving the request, or the request context).
import type { SNode } from '../gosrc/ast.js';
import { atLeast } from '../gosrc/gomod.js';
import type { GoFile, GoPackage } from '../gosrc/package.js';
import { scopeFor, type FuncScope } from '../gosrc/scope.js';
import { importPathOf } from '../gosrc/types.js';
import type { Rule, RuleContext } from './types.js';

const FUNCTIONS = ['func_literal', 'function_declaration', 'method_declaration'];

/** How far a background context is followed through `x := context.WithTimeout(bg, ...)` chains. */
const MAX_WRAPS = 3;

interface Handler {
  fn: SNode;
  /** The *http.Request parameter's name, or null when it is unnamed or `_`. */
  request: string | null;
  requestNode: SNode;
  label: string;
}

export const rule: Rule = {
  meta: {
    id: 'background-in-handler',
    title: 'context.Background() inside an HTTP handler',
    category: 'style',
    defaultSeverity: 'info',
    enabledByDefault: false,
    description:
      'Reports context.Background() or context.TODO() inside an HTTP handler (a function with an http.ResponseWriter and an *http.Request parameter). The request context is cancelled when the client disconnects or the server shuts down; a background context is not, so the queries, calls and goroutines started with it run on for a response nobody will read. Use r.Context(). Background contexts passed to goroutines or used in deferred cleanup are accepted as deliberate.',
  },
  run(ctx: RuleContext): void {
    const { pkg } = ctx;
    for (const file of pkg.files) {
      if (!mentionsBackground(file)) continue;
      for (const call of file.root.findAll('call_expression')) {
        const which = backgroundCall(call, pkg, file);
        if (!which) continue;
        const handler = enclosingHandler(call, file);
        if (!handler || flowsToGoroutine(call, handler.fn, pkg) || explainedAbove(call) || watchesDisconnect(handler)) continue;
        const use = handler.request ? `\`${handler.request}.Context()\`` : 'the request\'s `Context()` (name the *http.Request parameter)';
        const detach = atLeast(pkg.goVersion, 1, 21)
          ? ' For work meant to outlive the request, use `context.WithoutCancel(' + (handler.request ?? 'r') + '.Context())` or start it in a goroutine.'
          : ' For work meant to outlive the request, start it in a goroutine.';
        ctx.report({
          node: call,
          message: `\`context.${which}()\` in HTTP handler ${handler.label} is never cancelled: work started with it keeps running after the client goes away or the server shuts down`,
          related: [{ node: handler.requestNode, message: 'the request, whose context is cancelled with it' }],
          fix: `use ${use} instead of \`context.${which}()\`.${detach}`,
        });
      }
    }
  },
};

/**
 * A handler that watches the client's disconnect itself (`w.(http.CloseNotifier).CloseNotify()`,
 * `<-r.Context().Done()`), typically to call the background context's cancel func: it already
 * does what r.Context() would.
 */
function watchesDisconnect(handler: Handler): boolean {
  const text = handler.fn.text;
  if (/\.CloseNotify\(\)/.test(text)) return true;
  return handler.request !== null && new RegExp(`\\b${handler.request}\\.Context\\(\\)\\.Done\\(\\)`).test(text);
}

/** Words that, in the comment right above the statement, say the detachment is deliberate. */
const DELIBERATE = /cancel|detach|outlive|request(?:'s)? context|even if the client|after the (?:client|request|handler)/i;

/**
 * Whether the comment block right above the call's line explains why the request's context is
 * not used ("we do not use the request context: this must finish even if the client cancels").
 * Read from the source text, because comments are not part of the rules' view of the tree.
 */
function explainedAbove(call: SNode): boolean {
  const lines = call.file.source.slice(0, call.file.source.lastIndexOf('\n', call.start) + 1).split('\n');
  lines.pop(); // the empty piece after the last newline
  const comment: string[] = [];
  for (let i = lines.length - 1; i >= 0 && comment.length < 12; i--) {
    const text = lines[i]!.trim();
    if (!text.startsWith('//')) break;
    comment.push(text);
  }
  return comment.length > 0 && DELIBERATE.test(comment.join(' '));
}

/** Cheap text check before walking a file: it imports net/http and calls context.Background/TODO. */
function mentionsBackground(file: GoFile): boolean {
  if (![...file.imports.values()].includes('net/http')) return false;
  for (const [local, importPath] of file.imports) {
    if (importPath === 'context' && file.file.source.includes(`${local}.Background()`)) return true;
    if (importPath === 'context' && file.file.source.includes(`${local}.TODO()`)) return true;
  }
  return false;
}

/** "Background" or "TODO" for a call of that function of package context, else null. */
function backgroundCall(call: SNode, pkg: GoPackage, file: GoFile): string | null {
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression') return null;
  const name = fn.child('field')?.text;
  const operand = fn.child('operand');
  if ((name !== 'Background' && name !== 'TODO') || operand?.type !== 'identifier') return null;
  if (importPathOf(operand.text, file) !== 'context') return null;
  const scope = scopeFor(call, pkg);
  return scope && scope.isPackageName(operand) ? name : null;
}

/**
 * The handler the call runs in, synchronously: climbing from the call, a go or defer statement,
 * or a func literal that is not invoked on the spot, means it runs detached; a non-handler
 * function declaration means it is not in a handler.
 */
function enclosingHandler(call: SNode, file: GoFile): Handler | null {
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === 'go_statement' || p.type === 'defer_statement') return null;
    if (!FUNCTIONS.includes(p.type)) continue;
    const handler = asHandler(p, file);
    if (handler) return handler;
    const invokedHere = p.type === 'func_literal' && p.parent?.type === 'call_expression' && p.field === 'function';
    if (!invokedHere) return null;
  }
  return null;
}

/** The function as a handler: it has an http.ResponseWriter and an *http.Request parameter. */
function asHandler(fn: SNode, file: GoFile): Handler | null {
  let writer = false;
  let requestDecl: SNode | null = null;
  for (const decl of fn.child('parameters')?.namedChildren ?? []) {
    const type = decl.child('type');
    if (!type) continue;
    if (isHttpType(type, 'ResponseWriter', file)) writer = true;
    else if (type.type === 'pointer_type' && isHttpType(type.namedChildren[0] ?? null, 'Request', file)) requestDecl = decl;
  }
  if (!writer || !requestDecl) return null;
  const nameNode = requestDecl.child('name');
  const request = nameNode && nameNode.text !== '_' ? nameNode.text : null;
  return { fn, request, requestNode: nameNode ?? requestDecl, label: handlerLabel(fn) };
}

function isHttpType(type: SNode | null, name: string, file: GoFile): boolean {
  if (type?.type !== 'qualified_type' || type.child('name')?.text !== name) return false;
  return importPathOf(type.child('package')?.text ?? '', file) === 'net/http';
}

/** `handleUser`, `Server.ServeHTTP`, or `for "/path"` for a literal passed to HandleFunc. */
function handlerLabel(fn: SNode): string {
  if (fn.type === 'function_declaration') return `\`${fn.child('name')?.text}\``;
  if (fn.type === 'method_declaration') {
    const recv = fn.child('receiver')?.namedChildren[0]?.child('type')?.text.replace(/^\*/, '');
    return `\`${recv ? recv + '.' : ''}${fn.child('name')?.text}\``;
  }
  const call = fn.parent?.type === 'argument_list' ? fn.parent.parent : null;
  const first = call?.child('arguments')?.namedChildren[0];
  if (first && first !== fn && /^(interpreted|raw)_string_literal$/.test(first.type)) return `for ${first.text}`;
  return '(func literal)';
}

/**
 * Whether the background context, directly or wrapped by context.With* calls, is stored in a
 * local that a go statement inside the handler uses: then it is detached on purpose.
 */
function flowsToGoroutine(call: SNode, handler: SNode, pkg: GoPackage): boolean {
  const scope = scopeFor(call, pkg);
  if (!scope) return false;
  let values: SNode[] = [call];
  for (let depth = 0; depth <= MAX_WRAPS && values.length > 0; depth++) {
    const next: SNode[] = [];
    for (const value of values) {
      for (const ref of storedInto(outermostWrap(value, scope), scope)) {
        if (ref.ancestor('go_statement') && handler.contains(ref)) return true;
        const wrap = contextWrapCall(ref, scope);
        if (wrap) next.push(wrap);
      }
    }
    values = next;
  }
  return false;
}

/** References of the local(s) a value is assigned to on the spot, first result only: `ctx, cancel := ...`. */
function storedInto(value: SNode, scope: FuncScope): SNode[] {
  const list = value.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || !stmt || list.field !== 'right') return [];
  if (stmt.type !== 'short_var_declaration' && stmt.type !== 'assignment_statement') return [];
  const target = stmt.child('left')?.namedChildren[0];
  if (target?.type !== 'identifier') return [];
  const binding = scope.resolve(target);
  return binding ? scope.references(binding).filter((r) => r !== binding.node) : [];
}

/** `context.WithTimeout(context.Background(), d)` → the WithTimeout call (and so on outward). */
function outermostWrap(value: SNode, scope: FuncScope): SNode {
  let v = value;
  for (let wrap = contextWrapCall(v, scope); wrap; wrap = contextWrapCall(v, scope)) v = wrap;
  return v;
}

/** The `context.WithX(ref, ...)` call a reference is the parent-context argument of, if any. */
function contextWrapCall(ref: SNode, scope: FuncScope): SNode | null {
  if (ref.parent?.type !== 'argument_list' || ref.parent.namedChildren[0] !== ref) return null;
  const call = ref.parent.parent;
  const fn = call?.child('function');
  const operand = fn?.type === 'selector_expression' ? fn.child('operand') : null;
  if (!call || !operand || operand.type !== 'identifier' || !scope.isPackageName(operand)) return null;
  if (importPathOf(operand.text, scope.file) !== 'context' || !/^With/.test(fn!.child('field')?.text ?? '')) return null;
  return call;
}
