// Building blocks for the mechanical fixes rules attach to findings (RuleReport.edits): text
// edits on the source the scan read, placed so that the result stays gofmt-clean. Every helper
// returns null when the code is not laid out the way the edit assumes (two statements on one
// line, a one-line block), and a rule offers no fix then: a fix is only offered when it is sure.
import type { SNode, SourceFile } from '../../gosrc/ast.js';
import type { FuncScope } from '../../gosrc/scope.js';

/** Replace source[start, end) of `file` with `newText` (an insertion when start === end). */
export interface SourceEdit {
  file: SourceFile;
  start: number;
  end: number;
  newText: string;
}

export function replaceNode(node: SNode, newText: string): SourceEdit {
  return { file: node.file, start: node.start, end: node.end, newText };
}

/** The whitespace before `node` on its line, or null when something else precedes it there. */
export function lineIndent(node: SNode): string | null {
  const src = node.file.source;
  const lineStart = src.lastIndexOf('\n', node.start - 1) + 1;
  const before = src.slice(lineStart, node.start);
  return /^[\t ]*$/.test(before) ? before : null;
}

/** Offset just past the end of `node`'s last line (at its newline), or null when code follows `node` there. */
function endOfLineAfter(node: SNode): number | null {
  const src = node.file.source;
  let nl = src.indexOf('\n', node.end);
  if (nl === -1) nl = src.length;
  const rest = src.slice(node.end, nl);
  // Only blanks or one line comment may follow the statement on its line.
  return /^[\t ]*(\/\/.*)?\r?$/.test(rest) ? (rest.endsWith('\r') ? nl - 1 : nl) : null;
}

/** A new statement on the line after `stmt`, indented like it. */
export function statementAfter(stmt: SNode, text: string): SourceEdit | null {
  const indent = lineIndent(stmt);
  const at = endOfLineAfter(stmt);
  if (indent === null || at === null) return null;
  return { file: stmt.file, start: at, end: at, newText: `\n${indent}${text}` };
}

/** A new statement on the line before `stmt`, indented like it. */
export function statementBefore(stmt: SNode, text: string): SourceEdit | null {
  const indent = lineIndent(stmt);
  if (indent === null) return null;
  const lineStart = stmt.start - indent.length;
  return { file: stmt.file, start: lineStart, end: lineStart, newText: `${indent}${text}\n` };
}

/** Remove `stmt` with its whole line(s), when it is alone on them (no comment after it either). */
export function deleteStatement(stmt: SNode): SourceEdit | null {
  const src = stmt.file.source;
  const indent = lineIndent(stmt);
  if (indent === null) return null;
  let nl = src.indexOf('\n', stmt.end);
  if (nl === -1) return null;
  if (!/^[\t ]*\r?$/.test(src.slice(stmt.end, nl))) return null;
  return { file: stmt.file, start: stmt.start - indent.length, end: nl + 1, newText: '' };
}

/** A new first statement of `block` (a `{ ... }` body spanning several lines), indented like its first statement. */
export function firstStatementOf(block: SNode, statements: SNode[], text: string): SourceEdit | null {
  const first = statements[0];
  if (!first || first.pos.line === block.pos.line) return null;
  // Comments between the brace and the first statement stay above the new statement's line.
  return statementBefore(first, text);
}

/** The statement list entry `node` is (a statement directly in a block or case), or null. */
export function ownStatement(node: SNode): SNode | null {
  return node.parent?.type === 'statement_list' ? node : null;
}

/**
 * Whether `expr` names only values that exist, with the same value, at `at`: identifiers that
 * are package-level or declared before `at` in a scope holding it and never assigned again in
 * the function, literals, and `len(...)` of those. For expressions a fix copies elsewhere.
 */
export function stableAt(expr: SNode, at: SNode, scope: FuncScope): boolean {
  let ok = true;
  expr.walk((n) => {
    if (!ok) return false;
    switch (n.type) {
      case 'int_literal':
      case 'binary_expression':
      case 'parenthesized_expression':
      case 'argument_list':
        return;
      case 'call_expression':
        if (n.child('function')?.text !== 'len' || scope.resolve(n.child('function')!) !== null) ok = false;
        return;
      case 'identifier': {
        if (n.parent?.type === 'call_expression' && n.field === 'function') return;
        const b = scope.resolve(n);
        if (!b) return;
        if (b.node.start >= at.start || !b.scope.contains(at)) ok = false;
        else if (scope.references(b).some((r) => r !== b.node && r.parent?.type === 'expression_list' && r.parent.field === 'left')) ok = false;
        else if (scope.references(b).some((r) => r.parent?.type === 'inc_statement' || r.parent?.type === 'dec_statement' || (r.parent?.type === 'unary_expression' && r.parent.child('operator')?.type === '&'))) ok = false;
        return;
      }
      default:
        if (n.named && n.type !== 'comment') ok = false;
    }
  });
  return ok;
}

/** Whether some identifier named `name` is declared or used anywhere in `fn` (a new name must not clash). */
export function nameUsedIn(fn: SNode, name: string): boolean {
  let used = false;
  fn.walk((n) => {
    if (used) return false;
    if (n.type === 'identifier' && n.text === name) used = true;
  });
  return used;
}
