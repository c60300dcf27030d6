// .goroscope.yaml: which rules run at which severity, which paths are excluded, and the severity
// that fails the run. Errors name the file and line so a typo is found at once.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Rule } from '../rules/types.js';
import type { Severity } from './finding.js';

export const CONFIG_NAMES = ['.goroscope.yaml', '.goroscope.yml'];

export type RuleSetting = 'off' | 'on' | Severity;

export interface ScanConfig {
  /** The file it came from, or null for the built-in defaults. */
  file: string | null;
  rules: Map<string, RuleSetting>;
  /** Glob patterns, matched against forward-slash paths relative to `baseDir`. */
  exclude: string[];
  baseDir: string;
  failOn: Severity | null;
}

/** A configuration or rule-selection mistake; the message names the file and line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SETTINGS: readonly RuleSetting[] = ['off', 'on', 'error', 'warning', 'info'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export function emptyConfig(baseDir: string): ScanConfig {
  return { file: null, rules: new Map(), exclude: [], baseDir, failOn: null };
}

/**
 * The nearest .goroscope.yaml at or above `start` (a file or directory), or null. The search
 * stops at the repository root (the directory holding .git): a file above the repository is
 * not the repository's, and in CI it may be anybody's.
 */
export function findConfig(start: string): string | null {
  let dir = path.resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    dir = path.dirname(dir); // A pattern root that does not exist: look from its parent.
  }
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (existsSync(path.join(dir, '.git'))) return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The config for a run over `paths` (files, directories or patterns): found from the first one's directory. */
export function findConfigForPaths(paths: readonly string[], cwd: string): string | null {
  const first = paths[0]?.replace(/(^|[/\\])\.\.\.$/, '$1') || '.';
  return findConfig(path.resolve(cwd, first));
}

export function loadConfigFile(file: string, knownRules: readonly Rule[]): ScanConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read config: ${(err as Error).message}`);
  }
  return parseConfig(text, file, knownRules);
}

export function parseConfig(text: string, file: string, knownRules: readonly Rule[]): ScanConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (node: YamlNode | null | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    return `${file}:${lineCounter.linePos(offset).line}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ConfigError(`${file}:${e.linePos?.[0].line ?? 1}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const config = emptyConfig(path.dirname(path.resolve(file)));
  config.file = file;
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return config;
  if (!isMap(root)) throw new ConfigError(`${at(root)}: the config must be a mapping with keys rules, exclude, failOn`);
  const known = new Set(knownRules.map((r) => r.meta.id));
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as YamlNode | null;
    switch (key) {
      case 'rules':
        if (value === null || (isScalar(value) && value.value === null)) break;
        if (!isMap(value)) throw new ConfigError(`${at(value)}: rules must be a mapping of rule id to off, on, error, warning or info`);
        for (const rule of value.items) {
          const id = isScalar(rule.key) ? String(rule.key.value) : '';
          if (!known.has(id)) throw new ConfigError(`${at(rule.key as YamlNode)}: unknown rule ${JSON.stringify(id)}${suggest(id, known)} (run \`goroscope rules\` for the list)`);
          const setting = settingOf(rule.value as YamlNode | null);
          if (!setting) throw new ConfigError(`${at((rule.value as YamlNode | null) ?? (rule.key as YamlNode))}: rule ${id}: expected one of ${SETTINGS.join(', ')}`);
          config.rules.set(id, setting);
        }
        break;
      case 'exclude':
        if (value === null || (isScalar(value) && value.value === null)) break;
        if (!isSeq(value)) throw new ConfigError(`${at(value)}: exclude must be a list of glob patterns`);
        for (const item of value.items) {
          if (!isScalar(item) || typeof item.value !== 'string' || item.value === '') throw new ConfigError(`${at(item as YamlNode)}: exclude entries must be non-empty strings`);
          config.exclude.push(item.value);
        }
        break;
      case 'failOn': {
        const v = isScalar(value) ? value.value : undefined;
        if (typeof v !== 'string' || !SEVERITIES.includes(v as Severity)) throw new ConfigError(`${at(value ?? (pair.key as YamlNode))}: failOn must be one of ${SEVERITIES.join(', ')}`);
        config.failOn = v as Severity;
        break;
      }
      case 'check':
        // Read by `goroscope check` (src/check/config.ts).
        break;
      default:
        throw new ConfigError(`${at(pair.key as YamlNode)}: unknown key ${JSON.stringify(key)} (expected rules, exclude, failOn, check)`);
    }
  }
  return config;
}

function settingOf(node: YamlNode | null): RuleSetting | null {
  if (!isScalar(node)) return null;
  // YAML 1.2 reads `on`/`off` as strings, but accept booleans too for YAML 1.1 habits.
  if (node.value === true) return 'on';
  if (node.value === false) return 'off';
  return typeof node.value === 'string' && SETTINGS.includes(node.value as RuleSetting) ? (node.value as RuleSetting) : null;
}

function suggest(id: string, known: Set<string>): string {
  const close = [...known].find((k) => k.includes(id) || id.includes(k));
  return close ? `; did you mean ${close}?` : '';
}

export interface SelectedRule {
  rule: Rule;
  severity: Severity;
}

/**
 * The rules to run and their severities. Start from each rule's defaults, apply the config, then
 * `--rules`: a plain list (`a,b`) runs exactly those rules (opt-in ones included); a list whose
 * every entry starts with `+` or `-` (`+bare-go,-some-rule`) adds to or removes from the set the
 * config produced. Severities always come from the config when it sets one, else the default.
 */
export function selectRules(all: readonly Rule[], config: ScanConfig, rulesFlag?: readonly string[]): SelectedRule[] {
  const severity = new Map<string, Severity>();
  const enabled = new Set<string>();
  for (const r of all) {
    const setting = config.rules.get(r.meta.id);
    severity.set(r.meta.id, setting && setting !== 'on' && setting !== 'off' ? setting : r.meta.defaultSeverity);
    const on = setting === undefined ? r.meta.enabledByDefault : setting !== 'off';
    if (on) enabled.add(r.meta.id);
  }
  const entries = (rulesFlag ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (entries.length > 0) {
    const known = new Set(all.map((r) => r.meta.id));
    const modifiers = entries.filter((e) => e.startsWith('+') || e.startsWith('-'));
    if (modifiers.length > 0 && modifiers.length !== entries.length) {
      throw new ConfigError(`--rules: either list rules (a,b) or modify the defaults (+a,-b), not both: ${entries.join(',')}`);
    }
    for (const e of entries) {
      const id = e.replace(/^[+-]/, '');
      if (!known.has(id)) throw new ConfigError(`--rules: unknown rule ${JSON.stringify(id)}${suggest(id, known)} (run \`goroscope rules\` for the list)`);
    }
    if (modifiers.length === 0) {
      enabled.clear();
      for (const e of entries) enabled.add(e);
    } else {
      for (const e of entries) {
        if (e.startsWith('+')) enabled.add(e.slice(1));
        else enabled.delete(e.slice(1));
      }
    }
  }
  return all.filter((r) => enabled.has(r.meta.id)).map((rule) => ({ rule, severity: severity.get(rule.meta.id)! }));
}

/**
 * Matches a path against a glob: `**` spans any number of directories, `*` any characters but
 * `/`, `?` one character but `/`. A pattern without a `/` matches a name at any depth (like
 * .gitignore), and a pattern that matches a directory excludes everything below it.
 */
export function globMatches(pattern: string, relPath: string): boolean {
  const p = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  const re = globToRegExp(p.includes('/') ? p : `**/${p}`);
  const parts = relPath.split('/');
  for (let i = parts.length; i >= 1; i--) if (re.test(parts.slice(0, i).join('/'))) return true;
  return false;
}

const globCache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let cached = globCache.get(glob);
  if (cached) return cached;
  let out = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        out += '(?:.*/)?'; // `**/` matches zero or more whole directories.
      } else out += '.*';
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  cached = new RegExp(out + '$');
  globCache.set(glob, cached);
  return cached;
}

/** Whether a file (absolute path) is excluded by the config. */
export function isExcluded(config: ScanConfig, absPath: string): boolean {
  if (config.exclude.length === 0) return false;
  const rel = path.relative(config.baseDir, absPath).split(path.sep).join('/');
  return config.exclude.some((p) => globMatches(p, rel));
}
