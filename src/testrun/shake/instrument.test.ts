// The --shake instrumenter: calls only where a statement can stand, on the line of the
// operation, and every original node on its original line (checked on every Go file of the
// repository's fixtures, examples and corpus).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parser } from 'web-tree-sitter';
import { convertTree, SourceFile, type SNode } from '../../gosrc/ast.js';
import { getGoParser } from '../../gosrc/treesitter.js';
import { REPO_ROOT } from '../../testing/env.js';
import { goFilesUnder } from '../../testing/files.js';
import { instrumentSource, SHAKE_CALL } from './instrument.js';

let parser: Parser;
beforeAll(async () => {
  parser = await getGoParser();
});

function shake(body: string): string {
  const r = instrumentSource(parser, `package p\n\nfunc f() {\n${body}\n}\n`, 0);
  if (!r.instrumented) throw new Error(r.reason);
  return r.source.split('\n').slice(3, -2).join('\n');
}

/** Every named node of the file with its line, leaving out what the instrumenter inserted. */
function nodeLines(source: string): string[] {
  const tree = parser.parse(source)!;
  const { root } = convertTree(tree, new SourceFile('x.go', source));
  tree.delete();
  const inserted = (n: SNode) => {
    const call = n.type === 'expression_statement' || n.type === 'defer_statement' ? n.namedChildren[0] : n;
    return call?.type === 'call_expression' && call.child('function')?.text === SHAKE_CALL;
  };
  const out: string[] = [];
  root.walk((n) => {
    if (inserted(n)) return false;
    if (n.named && n.type !== 'statement_list') out.push(`${n.type}@${n.pos.line}`);
  });
  return out;
}

describe('instrumentSource', () => {
  it('yields before sends, receives, closes and sync calls, on the same line', () => {
    expect(shake('\tch <- 1\n\tv := <-ch\n\tclose(ch)\n\tmu.Lock(); x++; mu.Unlock()\n\twg.Add(1)\n\tonce.Do(f)\n\tfmt.Println(v)')).toBe(
      '\tgoroscopeShakeAt(0); ch <- 1\n\tgoroscopeShakeAt(1); v := <-ch\n\tgoroscopeShakeAt(2); close(ch)\n\tgoroscopeShakeAt(3); mu.Lock(); x++; goroscopeShakeAt(4); mu.Unlock()\n\tgoroscopeShakeAt(5); wg.Add(1)\n\tgoroscopeShakeAt(6); once.Do(f)\n\tfmt.Println(v)',
    );
  });

  it('yields before a select, never inside a case header, and instruments the case bodies', () => {
    expect(shake('\tselect {\n\tcase v := <-in:\n\t\tout <- v\n\tcase out <- 0:\n\tdefault:\n\t}')).toBe(
      '\tgoroscopeShakeAt(0); select {\n\tcase v := <-in:\n\t\tgoroscopeShakeAt(1); out <- v\n\tcase out <- 0:\n\tdefault:\n\t}',
    );
  });

  it('puts the yield of a header operation before the whole statement and its labels', () => {
    expect(shake('\tif v := <-ch; v > 0 {\n\t} else if <-done == struct{}{} {\n\t}')).toBe('\tgoroscopeShakeAt(0); if v := <-ch; v > 0 {\n\t} else if <-done == struct{}{} {\n\t}');
    expect(shake('\tif ok { } else if mu.TryLock() { }')).toBe('\tgoroscopeShakeAt(0); if ok { } else if mu.TryLock() { }');
    expect(shake('\tswitch <-ch {\n\tcase 1:\n\t}')).toBe('\tgoroscopeShakeAt(0); switch <-ch {\n\tcase 1:\n\t}');
    expect(shake('loop:\n\tfor {\n\t\tselect {\n\t\tcase <-done:\n\t\t\tbreak loop\n\t\t}\n\t}')).toBe('loop:\n\tfor {\n\t\tgoroscopeShakeAt(0); select {\n\t\tcase <-done:\n\t\t\tbreak loop\n\t\t}\n\t}');
    expect(shake('outer: inner: for v := <-ch; v > 0; v = <-ch {\n\t}')).toBe('goroscopeShakeAt(0); outer: inner: for v := <-ch; v > 0; v = <-ch { goroscopeShakeAt(1);\n\t}');
  });

  it('yields before each iteration of a range that may be over a channel, not of a two-variable range', () => {
    expect(shake('\tfor v := range ch { use(v) }\n\tfor range ticks {}\n\tfor i, v := range xs { use(i, v) }\n\tfor _, c := range "abc" { use(c) }')).toBe(
      '\tgoroscopeShakeAt(0); for v := range ch { goroscopeShakeAt(1); use(v) }\n\tgoroscopeShakeAt(2); for range ticks { goroscopeShakeAt(3);}\n\tfor i, v := range xs { use(i, v) }\n\tfor _, c := range "abc" { use(c) }',
    );
  });

  it('yields around go statements, inside closures, and before a deferred unlock runs', () => {
    expect(shake('\tgo func() { wg.Done() }()\n\tmu.Lock()\n\tdefer mu.Unlock()\n\tdefer func() { close(ch) }()\n\tdefer fmt.Println(<-ch)')).toBe(
      '\tgoroscopeShakeAt(0); go func() { goroscopeShakeAt(1); wg.Done() }(); goroscopeShakeAt(2)\n\tgoroscopeShakeAt(3); mu.Lock()\n\tdefer mu.Unlock(); defer goroscopeShakeAt(4)\n\tdefer func() { goroscopeShakeAt(5); close(ch) }()\n\tgoroscopeShakeAt(6); defer fmt.Println(<-ch)',
    );
  });

  it('keeps return, fallthrough and case clauses valid', () => {
    expect(shake('\tswitch x {\n\tcase 1: ch <- 1; fallthrough\n\tcase 2: return\n\t}\n\treturn')).toBe('\tswitch x {\n\tcase 1: goroscopeShakeAt(0); ch <- 1; fallthrough\n\tcase 2: return\n\t}\n\treturn');
    const r = instrumentSource(parser, 'package p\n\nfunc g(ch chan int) int { return <-ch }\n', 7);
    expect(r).toMatchObject({ instrumented: true, source: 'package p\n\nfunc g(ch chan int) int { goroscopeShakeAt(7); return <-ch }\n', sites: [{ id: 7, line: 3, kind: 'before' }] });
  });

  it('instruments function literals in package-level vars, not //go:nosplit functions', () => {
    const src = 'package p\n\nvar send = func(ch chan int) { ch <- 1 }\n\n//go:nosplit\nfunc fast(ch chan int) { ch <- 1 }\n';
    const r = instrumentSource(parser, src, 0);
    expect(r.instrumented && r.source).toBe('package p\n\nvar send = func(ch chan int) { goroscopeShakeAt(0); ch <- 1 }\n\n//go:nosplit\nfunc fast(ch chan int) { ch <- 1 }\n');
  });

  it('leaves cgo files, generated files and files it cannot parse alone, with the reason', () => {
    const cgo = instrumentSource(parser, 'package p\n\n// #include <stdio.h>\nimport "C"\n\nfunc f(ch chan int) { ch <- 1 }\n', 0);
    expect(cgo).toEqual({ instrumented: false, reason: 'cgo file (import "C")' });
    const generated = instrumentSource(parser, '// Code generated by stringer; DO NOT EDIT.\n\npackage p\n\nfunc f(ch chan int) { ch <- 1 }\n', 0);
    expect(generated).toEqual({ instrumented: false, reason: 'generated file (Code generated ... DO NOT EDIT)' });
    const broken = instrumentSource(parser, 'package p\n\nfunc f(ch chan int) { ch <- }\n', 0);
    expect(broken.instrumented).toBe(false);
  });

  it('keeps build constraints and every node on its line in every fixture, example and corpus file', () => {
    const files = [...goFilesUnder(path.join(REPO_ROOT, 'src/rules/testdata')), ...goFilesUnder(path.join(REPO_ROOT, 'examples')), ...goFilesUnder(path.join(REPO_ROOT, 'src/corpus/testdata')), ...goFilesUnder(path.join(REPO_ROOT, 'src/testrun/testdata'))];
    expect(files.length).toBeGreaterThan(150);
    let sites = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const r = instrumentSource(parser, source, 0);
      if (!r.instrumented) continue;
      sites += r.sites.length;
      expect(r.source.split('\n').length, file).toBe(source.split('\n').length);
      expect(r.source.split('\n').filter((l) => l.startsWith('//')), file).toEqual(source.split('\n').filter((l) => l.startsWith('//')));
      expect(nodeLines(r.source), file).toEqual(nodeLines(source));
      for (const s of r.sites) expect(r.source.split('\n')[s.line - 1], file).toContain(`${SHAKE_CALL}(${s.id})`);
    }
    expect(sites).toBeGreaterThan(1000);
  });
});
