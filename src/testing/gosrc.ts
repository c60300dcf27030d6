// Helpers for tests that need Go syntax trees.
import { convertTree, SourceFile, type SNode } from '../gosrc/ast.js';
import { getGoParser } from '../gosrc/treesitter.js';

/** Parses `body` as the body of `func f()` in a file of its own and returns the file's tree. */
export async function parseBody(body: string): Promise<SNode> {
  const source = `package p\n\nfunc f() {\n${body}\n}\n`;
  const tree = (await getGoParser()).parse(source)!;
  try {
    return convertTree(tree, new SourceFile('f.go', source)).root;
  } finally {
    tree.delete();
  }
}
