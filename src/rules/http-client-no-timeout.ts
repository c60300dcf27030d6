// http-client-no-timeout: an HTTP request without any time limit, made by a goroutine.
// http.DefaultClient and a zero http.Client have no Timeout, so a server that accepts the
// connection and never answers holds the request, and the goroutine waiting for it, forever.
//
// Reported only where nothing bounds the request: the package-level helpers (http.Get...), the
// default client, or a client literal of this function without Timeout (and without a custom
// Transport, which may set its own timeouts); for Do(req), only when req visibly carries no
// cancellable context.
import type { SNode } from '../gosrc/ast.js';
import { scopeFor, type FuncScope } from '../gosrc/scope.js';
import { argsOf, stdlibCall } from './lib/paths.js';
import { goroutineTargets } from './lib/loops.js';
import type { Rule, RuleContext } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'http-client-no-timeout',
    title: 'HTTP request without a timeout in a goroutine',
    category: 'io',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    description:
      'A goroutine makes an HTTP request with http.Get/Post/Head/PostForm, http.DefaultClient, or an http.Client without Timeout, ' +
      'and no context deadline. If the server accepts the connection but never answers, the request and the goroutine hang ' +
      'forever. Use a client with Timeout, or http.NewRequestWithContext with a ctx that has a deadline.',
  },
  run(ctx) {
    // Requests need net/http imported somewhere in the package; goroutines need a go statement.
    if (!ctx.pkg.files.some((f) => [...f.imports.values()].includes('net/http'))) return;
    // A function started by several go statements is checked once.
    const seen = new Set<SNode>();
    for (const target of goroutineTargets(ctx.pkg)) {
      if (seen.has(target.body)) continue;
      seen.add(target.body);
      checkBody(target.body, target.goStmt, ctx);
    }
  },
};

const HELPERS = /^(Get|Post|Head|PostForm)$/;

function checkBody(body: SNode | null, goStmt: SNode, ctx: RuleContext): void {
  if (!body || body.elided) return;
  const scope = scopeFor(body, ctx.pkg);
  if (!scope) return;
  body.walk((n) => {
    // A nested goroutine is visited from its own go statement.
    if (n.type === 'go_statement') return false;
    if (n.type !== 'call_expression') return;
    const client = unboundedClient(n, scope);
    if (!client) return;
    ctx.report({
      node: n,
      goroutine: goStmt,
      message:
        `\`${n.child('function')!.text}\` in a goroutine uses ${client} with no timeout: if the server accepts the connection but ` +
        `never answers, the request, and this goroutine, hang forever`,
      fix:
        'use a client with a timeout, `client := &http.Client{Timeout: 10 * time.Second}`, or build the request with ' +
        '`http.NewRequestWithContext(ctx, ...)` on a ctx that has a deadline',
    });
  });
}

/** For a request call with no time limit, a description of the client it uses; else null. */
function unboundedClient(call: SNode, scope: FuncScope): string | null {
  const helper = stdlibCall(call, scope);
  if (helper) return helper.path === 'net/http' && HELPERS.test(helper.name) ? 'http.DefaultClient' : null;
  const fn = call.child('function');
  if (fn?.type !== 'selector_expression') return null;
  const method = fn.child('field')?.text ?? '';
  if (method !== 'Do' && !HELPERS.test(method)) return null;
  const client = clientWithoutTimeout(fn.child('operand'), scope);
  if (!client) return null;
  if (method === 'Do' && !requestWithoutDeadline(argsOf(call)[0] ?? null, scope)) return null;
  return client;
}

function clientWithoutTimeout(expr: SNode | null, scope: FuncScope): string | null {
  if (!expr) return null;
  if (expr.type === 'selector_expression') {
    const pkg = expr.child('operand');
    const isDefault = pkg && scope.isPackageName(pkg) && scope.file.imports.get(pkg.text) === 'net/http' && expr.child('field')?.text === 'DefaultClient';
    return isDefault ? 'http.DefaultClient' : null;
  }
  if (expr.type !== 'identifier') return null;
  const b = scope.resolve(expr);
  if (!b || (b.declKind !== 'short' && b.declKind !== 'var') || b.initIndex >= 0 || !b.init) return null;
  let lit = b.init;
  if (lit.type === 'unary_expression' && lit.child('operator')?.type === '&') lit = lit.child('operand')!;
  if (lit?.type !== 'composite_literal' || scope.typeOf(lit).kind !== 'http-client') return null;
  // A package-level table the scanner did not copy: its keys are unknown.
  if (lit.child('body')?.elided) return null;
  const keys = lit.child('body')?.namedChildren.filter((e) => e.type === 'keyed_element').map((e) => e.child('key')?.text ?? '') ?? [];
  if (keys.includes('Timeout') || keys.includes('Transport')) return null;
  // Configured later (`client.Timeout = d`) or handed elsewhere: not this rule's to judge.
  const touched = scope.references(b).some((r) => r !== b.node && !(r.parent?.type === 'selector_expression' && r.field === 'operand' && /^(Do|Get|Post|Head|PostForm|CloseIdleConnections)$/.test(r.parent.child('field')?.text ?? '')));
  return touched ? null : `\`${b.name}\`, an http.Client`;
}

/** Whether `req` is built by http.NewRequest, or NewRequestWithContext on Background()/TODO(). */
function requestWithoutDeadline(req: SNode | null, scope: FuncScope): boolean {
  if (req?.type !== 'identifier') return false;
  const b = scope.resolve(req);
  if (!b || b.initIndex !== 0 || b.init?.type !== 'call_expression') return false;
  // `req = req.WithContext(ctx)` and the like: the request may carry a deadline after all.
  if (scope.references(b).some((r) => r !== b.node && r.parent?.type === 'expression_list' && r.parent.field === 'left')) return false;
  const ctor = stdlibCall(b.init, scope);
  if (ctor?.path !== 'net/http') return false;
  if (ctor.name === 'NewRequest') return true;
  if (ctor.name !== 'NewRequestWithContext') return false;
  return isBackground(argsOf(b.init)[0] ?? null, scope);
}

/** context.Background()/TODO(), directly or through a local never re-assigned. */
function isBackground(expr: SNode | null, scope: FuncScope): boolean {
  if (expr?.type === 'identifier') {
    const b = scope.resolve(expr);
    if (!b || b.initIndex >= 0 || !b.init) return false;
    if (scope.references(b).some((r) => r !== b.node && r.parent?.type === 'expression_list' && r.parent.field === 'left')) return false;
    expr = b.init;
  }
  const callee = stdlibCall(expr, scope);
  return callee?.path === 'context' && (callee.name === 'Background' || callee.name === 'TODO');
}
