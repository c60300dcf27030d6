import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rule } from '../rules/types.js';
import { ConfigError, emptyConfig, findConfig, findConfigForPaths, globMatches, isExcluded, parseConfig, selectRules } from './config.js';

const fakeRule = (id: string, enabledByDefault: boolean, defaultSeverity: Rule['meta']['defaultSeverity'] = 'warning'): Rule => ({
  meta: { id, title: id, category: 'channels', defaultSeverity, enabledByDefault, description: id },
  run: () => {},
});

const RULES = [fakeRule('send-leak', true, 'error'), fakeRule('lost-cancel', true), fakeRule('bare-go', false, 'info')];

const ids = (selected: ReturnType<typeof selectRules>) => selected.map((s) => `${s.rule.meta.id}:${s.severity}`);

describe('parseConfig', () => {
  it('reads rules, exclude and failOn', () => {
    const c = parseConfig('rules:\n  send-leak: warning\n  lost-cancel: off\n  bare-go: on\nexclude:\n  - "gen/**"\nfailOn: error\n', '/p/.goroscope.yaml', RULES);
    expect([...c.rules]).toEqual([
      ['send-leak', 'warning'],
      ['lost-cancel', 'off'],
      ['bare-go', 'on'],
    ]);
    expect(c.exclude).toEqual(['gen/**']);
    expect(c.failOn).toBe('error');
    expect(c.baseDir).toBe('/p');
  });

  it('accepts an empty file and YAML booleans for on/off', () => {
    expect(parseConfig('', 'c.yaml', RULES).rules.size).toBe(0);
    expect([...parseConfig('rules:\n  bare-go: true\n  send-leak: false\n', 'c.yaml', RULES).rules]).toEqual([
      ['bare-go', 'on'],
      ['send-leak', 'off'],
    ]);
  });

  it.each([
    ['rules:\n  send-leak: warning\n  no-such-rule: on\n', /^c\.yaml:3: unknown rule "no-such-rule"/],
    ['rules:\n  send-leak: loud\n', /^c\.yaml:2: rule send-leak: expected one of off, on, error, warning, info/],
    ['failOn: fatal\n', /^c\.yaml:1: failOn must be one of error, warning, info/],
    ['exclude: gen\n', /^c\.yaml:1: exclude must be a list/],
    ['\n\nrulez:\n  a: b\n', /^c\.yaml:3: unknown key "rulez"/],
    ['rules:\n  send-leak: [\n', /^c\.yaml:\d+: invalid YAML/],
    ['- a\n- b\n', /^c\.yaml:1: the config must be a mapping/],
  ])('rejects %j with the file and line', (text, message) => {
    expect(() => parseConfig(text, 'c.yaml', RULES)).toThrow(ConfigError);
    expect(() => parseConfig(text, 'c.yaml', RULES)).toThrow(message);
  });
});

describe('selectRules', () => {
  const none = emptyConfig('/');

  it('uses the rules defaults without config', () => {
    expect(ids(selectRules(RULES, none))).toEqual(['send-leak:error', 'lost-cancel:warning']);
  });

  it('applies config settings', () => {
    const c = parseConfig('rules:\n  send-leak: info\n  lost-cancel: off\n  bare-go: error\n', 'c.yaml', RULES);
    expect(ids(selectRules(RULES, c))).toEqual(['send-leak:info', 'bare-go:error']);
  });

  it('--rules a,b runs exactly those, opt-in ones included', () => {
    expect(ids(selectRules(RULES, none, ['bare-go']))).toEqual(['bare-go:info']);
    expect(ids(selectRules(RULES, none, ['bare-go,send-leak']))).toEqual(['send-leak:error', 'bare-go:info']);
  });

  it('--rules +a,-b edits the configured set', () => {
    expect(ids(selectRules(RULES, none, ['+bare-go', '-lost-cancel']))).toEqual(['send-leak:error', 'bare-go:info']);
  });

  it('rejects unknown ids and mixed lists', () => {
    expect(() => selectRules(RULES, none, ['send-leek'])).toThrow(/--rules: unknown rule "send-leek"/);
    expect(() => selectRules(RULES, none, ['bare-go,+send-leak'])).toThrow(/not both/);
  });
});

describe('globMatches', () => {
  it.each([
    ['gen/**', 'gen/a/b.go', true],
    ['gen/**', 'other/gen/b.go', false],
    ['gen', 'other/gen/b.go', true],
    ['**/mocks/*.go', 'a/b/mocks/m.go', true],
    ['**/mocks/*.go', 'mocks/m.go', true],
    ['*.pb.go', 'api/v1/x.pb.go', true],
    ['*.pb.go', 'api/v1/x.go', false],
    ['a/?.go', 'a/b.go', true],
    ['a/?.go', 'a/bb.go', false],
    ['a/*.go', 'a/b/c.go', false],
    ['./internal/', 'internal/x/y.go', true],
    ['x.go', 'ax.go', false],
  ])('%s vs %s → %s', (pattern, p, expected) => {
    expect(globMatches(pattern, p)).toBe(expected);
  });

  it('matches paths relative to the config directory', () => {
    const c = { ...emptyConfig('/repo'), exclude: ['third_party/**'] };
    expect(isExcluded(c, '/repo/third_party/x/y.go')).toBe(true);
    expect(isExcluded(c, '/repo/src/third_party.go')).toBe(false);
  });
});

describe('findConfig', () => {
  it('finds the nearest .goroscope.yaml upward from a file or directory', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'goroscope-config-'));
    try {
      mkdirSync(path.join(root, 'a/b'), { recursive: true });
      writeFileSync(path.join(root, '.goroscope.yaml'), 'rules: {}\n');
      writeFileSync(path.join(root, 'a/b/x.go'), 'package b\n');
      expect(findConfig(path.join(root, 'a/b'))).toBe(path.join(root, '.goroscope.yaml'));
      expect(findConfig(path.join(root, 'a/b/x.go'))).toBe(path.join(root, '.goroscope.yaml'));
      writeFileSync(path.join(root, 'a/.goroscope.yml'), 'rules: {}\n');
      expect(findConfig(path.join(root, 'a/b/missing-dir'))).toBe(path.join(root, 'a/.goroscope.yml'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('stops at the repository root (a directory holding .git, as a directory or a worktree file)', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'goroscope-config-'));
    try {
      mkdirSync(path.join(root, 'repo/.git'), { recursive: true });
      mkdirSync(path.join(root, 'repo/pkg'), { recursive: true });
      mkdirSync(path.join(root, 'wt/pkg'), { recursive: true });
      writeFileSync(path.join(root, 'wt/.git'), 'gitdir: ../repo/.git/worktrees/wt\n');
      writeFileSync(path.join(root, '.goroscope.yaml'), 'rules: {}\n');
      expect(findConfig(path.join(root, 'repo/pkg'))).toBeNull();
      expect(findConfig(path.join(root, 'wt/pkg'))).toBeNull();
      writeFileSync(path.join(root, 'repo/.goroscope.yaml'), 'rules: {}\n');
      expect(findConfig(path.join(root, 'repo/pkg'))).toBe(path.join(root, 'repo/.goroscope.yaml'));
      expect(findConfigForPaths(['./pkg/...', './other'], path.join(root, 'repo'))).toBe(path.join(root, 'repo/.goroscope.yaml'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
