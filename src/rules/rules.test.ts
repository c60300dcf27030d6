// Every registered rule: metadata, a doc page with a leaking and a fixed example, and fixtures
// in testdata/<id>/ whose `// want` comments match the rule's findings exactly.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../testing/env.js';
import { runFixtures } from './fixtures.js';
import { RULES } from './registry.js';

describe('rule registry', () => {
  it('has unique kebab-case ids', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});

describe.each(RULES.map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  it('has a doc page with a leaking and a fixed example', () => {
    const doc = path.join(REPO_ROOT, 'docs/rules', `${id}.md`);
    expect(existsSync(doc), `${doc} is missing`).toBe(true);
    const text = readFileSync(doc, 'utf8');
    expect(text).toMatch(/```go[\s\S]+```[\s\S]+```go[\s\S]+```/);
  });

  it('matches its fixtures exactly, on leaking and on correct code', async () => {
    const dir = path.join(REPO_ROOT, 'src/rules/testdata', id);
    const result = await runFixtures(rule, dir);
    expect(result.packages, `no fixture packages in ${dir}`).toBeGreaterThan(0);
    expect(result.wants, 'fixtures must contain leaking code with // want comments').toBeGreaterThan(0);
    expect(existsSync(path.join(dir, 'correct.go')), 'fixtures must contain correct.go: the correct forms, with no findings').toBe(true);
    expect(result.mismatches.map((m) => `${path.relative(REPO_ROOT, m.file)}:${m.line}: ${m.problem}`)).toEqual([]);
  });
});
