// Text and JSON of explanations (`goroscope explain`, and the explanation part of
// `dump --source`). The JSON shape is documented in docs/json-schema.md ("goroscope explain").
import { palette, type Palette } from '../report/color.js';
import { VERSION } from '../version.js';
import type { CodeRef, Explanation, Partner } from './explain.js';

export const EXPLAIN_JSON_VERSION = 1;

export interface ExplainJson {
  version: number;
  tool: string;
  file: string;
  line: number;
  explanations: Explanation[];
}

export function renderExplainJson(file: string, line: number, explanations: Explanation[]): string {
  const out: ExplainJson = { version: EXPLAIN_JSON_VERSION, tool: VERSION, file, line, explanations };
  return `${JSON.stringify(out, null, 2)}\n`;
}

const PLAIN = palette(false);

const at = (r: CodeRef) => `${r.file}:${r.line}`;

/** The explanation as indented lines (no trailing newline), each prefixed with `indent`. */
export function explanationLines(e: Explanation, indent = '', p: Pick<Palette, 'bold' | 'dim'> = PLAIN): string[] {
  const out: string[] = [];
  const op = e.operation;
  out.push(`${indent}${p.bold(`${at(op)}: ${op.operation} on \`${e.identity.name}\``)} in ${op.function}: ${op.text}`);
  // A local's identity key is its file and byte offset, which says nothing the description does
  // not; fields and package variables keep theirs (`F:T.f`, `V:name`), which name the value.
  const id = e.identity.id ? (e.identity.id.startsWith('L:') ? '' : ` ${p.dim(`[${e.identity.id}]`)}`) : ` ${p.dim('[no identity]')}`;
  out.push(`${indent}  value: ${e.identity.description}${id}`);
  for (const c of e.creations) out.push(`${indent}  made at ${at(c)}: ${c.text}${c.capacity === 0 ? ' (unbuffered)' : c.capacity !== null ? ` (capacity ${c.capacity})` : ''}`);
  for (const c of e.passedFrom) out.push(`${indent}  passed in at ${at(c)}: ${c.text}`);
  if (e.goroutines.length === 0) out.push(`${indent}  goroutines: none started for it in the package (it runs in its caller's goroutine)`);
  for (const g of e.goroutines) out.push(`${indent}  goroutine started at ${at(g)}: ${g.text}`);
  if (e.partners.length === 0) out.push(`${indent}  partners: none: no other operation on this value in the package`);
  else out.push(`${indent}  partners (${e.partners.length}; * could release it):`);
  for (const q of e.partners) out.push(...partnerLines(q, `${indent}    `, p));
  for (const x of e.escapes) out.push(`${indent}  handed out at ${at(x)}: ${x.text}`);
  out.push(`${indent}  => ${e.summary}`);
  return out;
}

function partnerLines(q: Partner, indent: string, p: Pick<Palette, 'bold' | 'dim'>): string[] {
  const where: string[] = [];
  if (q.callback) where.push('in a func value handed out, which no code of the package calls');
  else if (q.goroutines.length > 0) where.push(`in the goroutine${q.goroutines.length === 1 ? '' : 's'} of ${q.goroutines.map(at).join(', ')}`);
  if (q.deferred) where.push('deferred');
  const lines = [`${indent}${q.releases ? '* ' : '  '}${at(q)}: ${q.operation} in ${q.function}: ${q.text}${where.length ? p.dim(` (${where.join('; ')})`) : ''}`];
  if (q.via.length > 0) lines.push(`${indent}    through ${q.via.map((v) => `${at(v)} ${v.text}`).join(' -> ')}`);
  return lines;
}

export function renderExplainText(explanations: Explanation[], p: Pick<Palette, 'bold' | 'dim'> = PLAIN): string {
  return `${explanations.map((e) => explanationLines(e, '', p).join('\n')).join('\n\n')}\n`;
}
