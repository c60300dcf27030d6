import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../rules/types.js';
import { emptyConfig } from './config.js';
import { runScan, scan } from './engine.js';

/** Reports every go statement, pointing the related location at the enclosing function. */
const goRule: Rule = {
  meta: { id: 'every-go', title: 'Every go statement', category: 'style', defaultSeverity: 'warning', enabledByDefault: true, description: 'test rule' },
  run(ctx) {
    for (const f of ctx.pkg.files) {
      for (const g of f.root.findAll('go_statement')) {
        const fn = g.ancestor('function_declaration')!;
        ctx.report({ node: g, message: `go in ${fn.child('name')!.text}`, goroutine: g, related: [{ node: fn, message: 'enclosing function' }, { file: 'x.go', line: 7, message: 'plain location' }], fix: 'do not' });
      }
    }
  },
};
const throwingRule: Rule = {
  meta: { id: 'boom', title: 'Boom', category: 'style', defaultSeverity: 'error', enabledByDefault: true, description: 'throws' },
  run() {
    throw new Error('kaboom');
  },
};
const optIn: Rule = { ...goRule, meta: { ...goRule.meta, id: 'opt-in', enabledByDefault: false, defaultSeverity: 'info' } };

let root: string;
const write = (rel: string, content: string) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
};

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'goroscope-engine-'));
  write('go.mod', 'module example.com/m\n\ngo 1.20\n');
  write('a/a.go', 'package a\n\nfunc Start() {\n\tgo work()\n}\n\nfunc Twice() {\n\tgo work() //goroscope:ignore every-go started on purpose\n\tgo work()\n}\n');
  // Only reachable through the go target in a.go: parsed because it declares work.
  write('a/work.go', 'package a\n\nfunc work() {}\n');
  // Mentions nothing a rule reads: not parsed, so its syntax error goes unseen (documented).
  write('a/plain.go', 'package a\n\nfunc plain() int { return 1 +* }\n');
  write('b/b.go', 'package b\n\nfunc Broken() {\n\tgo run(\n}\n\nfunc Fine() {\n\tgo run()\n}\n');
  write('gen/gen.go', 'package gen\n\nfunc G() {\n\tgo G()\n}\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scan in-process', () => {
  it('runs the rules, converts reports to findings, applies suppressions and sorts', async () => {
    const result = await scan(['./...'], { cwd: root, ruleSet: [goRule], workers: 0, config: false });
    const summary = result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`);
    expect(summary).toEqual([
      `${path.join('a', 'a.go')}:4:2 go in Start`,
      `${path.join('a', 'a.go')}:9:2 go in Twice`,
      // tree-sitter recovers the broken statement; the syntax error is reported as well.
      `${path.join('b', 'b.go')}:4:2 go in Broken`,
      `${path.join('b', 'b.go')}:8:2 go in Fine`,
      `${path.join('gen', 'gen.go')}:4:2 go in G`,
    ]);
    const first = result.findings[0]!;
    expect(first).toEqual({
      rule: 'every-go',
      severity: 'warning',
      file: path.join('a', 'a.go'),
      line: 4,
      column: 2,
      endLine: 4,
      endColumn: 11,
      message: 'go in Start',
      goroutine: { file: path.join('a', 'a.go'), line: 4 },
      related: [
        { file: path.join('a', 'a.go'), line: 3, message: 'enclosing function' },
        { file: 'x.go', line: 7, message: 'plain location' },
      ],
      fix: 'do not',
      edits: [],
    });
    expect(result.stats.files).toBe(5);
    expect(result.stats.packages).toBe(3);
    expect(result.errors.map((e) => `${e.file}:${e.line}:${e.kind}`)).toEqual([`${path.join('b', 'b.go')}:4:syntax`]);
    expect(result.errors[0]!.message).toMatch(/syntax error/);
  });

  it('reports a rule that throws as an internal error and runs the others', async () => {
    const result = await scan(['./a'], { cwd: root, ruleSet: [throwingRule, goRule], workers: 0, config: false });
    expect(result.findings).toHaveLength(2);
    expect(result.errors).toEqual([{ file: 'a', line: 0, kind: 'internal', message: 'internal error in rule boom: kaboom' }]);
  });

  it('selects rules and severities from config and the rules option', async () => {
    const config = { ...emptyConfig(root), rules: new Map([['every-go', 'error' as const]]), exclude: ['gen/**', 'b'] };
    const result = await scan(['./...'], { cwd: root, ruleSet: [goRule, optIn], config, workers: 0 });
    expect(result.findings.map((f) => `${f.rule}:${f.severity}:${f.file}`)).toEqual([
      `every-go:error:${path.join('a', 'a.go')}`,
      `every-go:error:${path.join('a', 'a.go')}`,
    ]);
    expect(result.stats.packages).toBe(1);
    expect(result.stats.files).toBe(3);
    const onlyOptIn = await scan(['./gen'], { cwd: root, ruleSet: [goRule, optIn], rules: ['opt-in'], config: false, workers: 0 });
    expect(onlyOptIn.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['opt-in:info']);
  });

  it('reads .goroscope.yaml found upward from the first path', async () => {
    write('.goroscope.yaml', 'rules:\n  every-go: off\n');
    try {
      const outcome = await runScan(['./a/...'], { cwd: root, ruleSet: [goRule], workers: 0 });
      expect(outcome.config.file).toBe(path.join(root, '.goroscope.yaml'));
      expect(outcome.result.findings).toEqual([]);
    } finally {
      rmSync(path.join(root, '.goroscope.yaml'));
    }
  });

  it('reports missing paths and scans the rest; progress counts packages', async () => {
    const progress: string[] = [];
    const outcome = await runScan(['./nope', './a'], {
      cwd: root,
      ruleSet: [goRule],
      workers: 0,
      config: false,
      onProgress: (p) => progress.push(`${p.done}/${p.total}`),
    });
    expect(outcome.missingPaths).toEqual(['./nope']);
    expect(outcome.result.errors).toEqual([{ file: './nope', line: 0, kind: 'path', message: 'cannot scan "./nope": no such file or directory' }]);
    expect(outcome.result.findings).toHaveLength(2);
    expect(progress).toEqual(['0/1', '1/1']);
    expect(outcome.workers).toBe(0);
  });
});
