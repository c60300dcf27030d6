import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import { findGo, goEnv, goUnavailable, REPO_ROOT } from '../testing/env.js';
import { goFilesUnder } from '../testing/files.js';
import { convertTree, SourceFile, type SNode } from './ast.js';
import { blankForParse, skippedRanges, sourceLayout, withoutComments } from './layout.js';
import { parseSkipping } from './package.js';
import { getGoParser } from './treesitter.js';

let parser: Parser;
beforeAll(async () => {
  parser = await getGoParser();
});

/** name:open:close of each top-level function body, as tree-sitter sees them. */
function treeBodies(src: string): string[] {
  const tree = parser.parse(src)!;
  const out: string[] = [];
  for (const d of tree.rootNode.namedChildren) {
    if (d?.type !== 'function_declaration' && d?.type !== 'method_declaration') continue;
    const body = d.childForFieldName('body');
    if (body) out.push(`${d.childForFieldName('name')?.text}:${body.startIndex}:${body.endIndex - 1}`);
  }
  tree.delete();
  return out;
}

function layoutBodies(src: string): string[] {
  return sourceLayout(src)!.bodies.map((b) => `${b.name}:${b.open}:${b.close}`);
}

function hasError(src: string): boolean {
  const tree = parser.parse(src)!;
  const bad = tree.rootNode.hasError;
  tree.delete();
  return bad;
}

function shape(root: SNode): string {
  const out: string[] = [];
  root.walk((n) => {
    out.push(`${n.type}|${n.field}|${n.start}|${n.end}|${n.elided}|${n.children.length}`);
  });
  return out.join('\n');
}

/**
 * The lexer agrees with the parser on every body; skipping bodies, var literals and consts adds
 * no syntax error; and parsing with included ranges gives the same tree as parsing a blanked copy.
 */
function expectAgreement(src: string, where: string): void {
  const layout = sourceLayout(src);
  expect(layout, `${where} lexes`).not.toBeNull();
  expect(layoutBodies(src), where).toEqual(treeBodies(src));
  const blanked = blankForParse(src, layout!, layout!.bodies, layout!.varLiterals);
  expect(blanked.length).toBe(src.length);
  expect(hasError(blanked), `${where}: blanking made a syntax error`).toBe(hasError(src));

  const file = new SourceFile(where, src);
  const elidedAt = new Set(layout!.bodies.map((b) => b.open));
  for (let k = 0; k < layout!.varLiterals.length; k += 2) elidedAt.add(layout!.varLiterals[k]!);
  const viaBlank = parser.parse(blanked)!;
  const viaRanges = parseSkipping(parser, file, skippedRanges(layout!, layout!.bodies, layout!.varLiterals))!;
  try {
    const a = convertTree(viaBlank, file, { elidedAt });
    const b = convertTree(viaRanges, file, { elidedAt });
    expect(shape(b.root), `${where}: included ranges`).toBe(shape(a.root));
    expect(b.errors, where).toEqual(a.errors);
  } finally {
    viaBlank.delete();
    viaRanges.delete();
  }
}

describe('sourceLayout', () => {
  it('finds function and method bodies, with names', () => {
    const src = `package p

func (s *Server) Serve(l net.Listener) error { return nil }
func F[T any](x T) T { return x }
func (Pair[K, V]) Swap() {}
func g() (a struct{ x int }, b interface{ M() }) {
	return
}
func h() map[string]struct{} { return nil }
`;
    expect(layoutBodies(src)).toEqual(treeBodies(src));
    expect(sourceLayout(src)!.bodies.map((b) => b.name)).toEqual(['Serve', 'F', 'Swap', 'g', 'h']);
  });

  it('is not fooled by braces in strings, runes, raw strings and comments', () => {
    const src =
      'package p\n\nfunc a() string { return "}{" }\nfunc b() rune { return \'}\' }\n' +
      'func c() string {\n\treturn `\n}\n{`\n}\n// func d() {\n/* } */\nfunc e() {}\n';
    expect(layoutBodies(src)).toEqual(treeBodies(src));
    expect(layoutBodies(src)).toHaveLength(4);
  });

  it('handles bodiless declarations, semicolons and a newline after func', () => {
    const src = 'package p\n\nfunc asm(x int) int\n\nfunc\nmain() {}\nfunc a() {}; func b() {}\nconst c = 1; func d() {}\n';
    expect(layoutBodies(src)).toEqual(treeBodies(src));
    expect(sourceLayout(src)!.bodies.map((b) => b.name)).toEqual(['main', 'a', 'b', 'd']);
  });

  it('finds constant declarations, single, grouped and continued over lines', () => {
    const src = 'package p\n\nconst a = 1\nconst (\n\tb = iota\n\tc\n)\nconst long = "x" +\n\t"y"\n\nvar v = 2\n';
    const { consts } = sourceLayout(src)!;
    const texts: string[] = [];
    for (let k = 0; k < consts.length; k += 2) texts.push(src.slice(consts[k], consts[k + 1]));
    expect(texts).toEqual(['const a = 1', 'const (\n\tb = iota\n\tc\n)', 'const long = "x" +\n\t"y"']);
    expectAgreement(src, 'consts');
  });

  it('finds the outermost literals of top-level vars, not struct types', () => {
    const src =
      'package p\n\nvar table = []entry{\n\t{1, "a"},\n\t{2, "}"},\n}\nvar (\n\tm = map[string]int{"x": 1}\n\tt struct{ a int }\n\tf = func() int { return 1 }\n)\nvar s struct {\n\tb int\n}\nvar u = T{}; var w = T{x: 1}\n';
    const layout = sourceLayout(src)!;
    const texts: string[] = [];
    for (let k = 0; k < layout.varLiterals.length; k += 2) texts.push(src.slice(layout.varLiterals[k], layout.varLiterals[k + 1]! + 1));
    expect(texts).toEqual(['{\n\t{1, "a"},\n\t{2, "}"},\n}', '{"x": 1}', '{ return 1 }', '{}', '{x: 1}']);
    expectAgreement(src, 'var literals');
  });

  it('gives up on sources it cannot lex, so nothing is skipped', () => {
    expect(sourceLayout('package p\nfunc f() { "unterminated }\n')).toBeNull();
    expect(sourceLayout('package p\nfunc f() {\n')).toBeNull();
    expect(sourceLayout('package p\n/* never closed')).toBeNull();
    expect(sourceLayout('package p\nfunc f() { ) }\n')).toBeNull();
  });

  it('blanks comments for relevance without moving anything', () => {
    const src = 'package p\n// go f()\nfunc f() { /* <-ch\n */ }\n';
    const code = withoutComments(src, sourceLayout(src)!);
    expect(code).toHaveLength(src.length);
    expect(code).not.toMatch(/go f|<-ch/);

  });

  it('agrees with the parser on every rule fixture and example', () => {
    const files = [...goFilesUnder(path.join(REPO_ROOT, 'src/rules/testdata')), ...goFilesUnder(path.join(REPO_ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) expectAgreement(readFileSync(f, 'utf8'), f);
  });
});

describe.skipIf(goUnavailable())('sourceLayout on the Go standard library', () => {
  it('agrees with the parser on a sample of GOROOT/src', () => {
    const goroot = execFileSync(findGo()!, ['env', 'GOROOT'], { env: goEnv() }).toString().trim();
    // Every 16th package directory: about 250 files, with cgo, assembly stubs and big tables.
    const dirs = packageDirs(path.join(goroot, 'src')).filter((_, i) => i % 16 === 0);
    let files = 0;
    for (const dir of dirs) {
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.go'))) {
        expectAgreement(readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f));
        files++;
      }
    }
    expect(files).toBeGreaterThan(100);
  });
});

function packageDirs(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir);
    if (entries.some((e) => e.endsWith('.go'))) out.push(dir);
    for (const e of entries.sort()) {
      if (e === 'testdata' || e.startsWith('.') || e.startsWith('_')) continue;
      const full = path.join(dir, e);
      if (statSync(full).isDirectory()) visit(full);
    }
  };
  visit(root);
  return out;
}
