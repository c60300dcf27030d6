import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import { REPO_ROOT } from '../testing/env.js';
import { convertTree, SourceFile, type SNode } from './ast.js';
import { cursorExports, getGoParser } from './treesitter.js';

let parser: Parser;
beforeAll(async () => {
  parser = await getGoParser();
});

function shape(root: SNode): string {
  const out: string[] = [];
  root.walk((n) => {
    out.push(`${n.type}|${n.named}|${n.field}|${n.start}|${n.end}|${n.children.length}|${n.elided}`);
  });
  return out.join('\n');
}

function convertBoth(source: string): { direct: ReturnType<typeof convertTree>; viaPublic: ReturnType<typeof convertTree> } {
  const tree = parser.parse(source)!;
  const file = new SourceFile('x.go', source);
  try {
    return { direct: convertTree(tree, file), viaPublic: convertTree(tree, file, { publicCursor: true }) };
  } finally {
    tree.delete();
  }
}

describe('convertTree', () => {
  it('uses the direct cursor calls with this web-tree-sitter', () => {
    expect(cursorExports()).not.toBeNull();
  });

  it('copies the same tree through direct calls as through the public TreeCursor', () => {
    const files: string[] = [];
    const visit = (dir: string): void => {
      for (const e of readdirSync(dir)) {
        const full = path.join(dir, e);
        if (statSync(full).isDirectory()) visit(full);
        else if (e.endsWith('.go')) files.push(full);
      }
    };
    visit(path.join(REPO_ROOT, 'src/rules/testdata'));
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const source = readFileSync(f, 'utf8');
      // Also a broken copy, for ERROR and MISSING nodes.
      for (const src of [source, source.slice(0, source.length >> 1) + ' }{ ) ' + source.slice(source.length >> 1)]) {
        const { direct, viaPublic } = convertBoth(src);
        expect(shape(direct.root), f).toBe(shape(viaPublic.root));
        expect(direct.errors, f).toEqual(viaPublic.errors);
      }
    }
  });

  it('leaves out punctuation and string internals but keeps operators and keywords', () => {
    const { direct } = convertBoth('package p\n\nfunc f(ch chan int, s string) {\n\tgo g("a\\n", s)\n\tch <- len(s)\n}\n');
    const types = new Set<string>();
    direct.root.walk((n) => {
      types.add(n.type);
    });
    for (const t of ['(', ')', ',', '"', 'escape_sequence', 'interpreted_string_literal_content']) expect(types.has(t), t).toBe(false);
    for (const t of ['go', '<-', '{', '}', 'interpreted_string_literal', 'func']) expect(types.has(t), t).toBe(true);
  });

  it('reports syntax errors with their positions, including a missing parenthesis', () => {
    const { direct } = convertBoth('package p\n\nfunc f() {\n\tg(1\n}\n\nfunc h() { x := }\n');
    expect(direct.errors.length).toBeGreaterThan(0);
    expect(direct.errors.every((e) => e.line >= 4)).toBe(true);
  });
});
