// The language server's analysis: one Go package at a time, with the editor's unsaved buffers
// in place of the files on disk, the parser loaded once and kept for the server's life, and the
// same engine, config and suppression comments as `goroscope scan` (analyzePackage).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { findGoMod } from '../gosrc/gomod.js';
import type { ParseCache } from '../gosrc/package.js';
import { getGoParser } from '../gosrc/treesitter.js';
import { discover, DEFAULT_MAX_FILE_SIZE } from '../gosrc/walk.js';
import { RULES } from '../rules/registry.js';
import { analyzePackage, type PackageJob } from '../scan/analyze.js';
import { ConfigError, emptyConfig, findConfig, isExcluded, loadConfigFile, selectRules, type ScanConfig, type SelectedRule } from '../scan/config.js';
import type { Finding, ScanError, Severity } from '../scan/finding.js';

/** Editor settings (`goroscope` section): the scan's `--rules` and per-rule severities. */
export interface LspSettings {
  /** As `--rules`: ["a,b"] runs exactly those, ["+a", "-b"] edits the configured set. */
  rules: string[];
  /** Severity per rule id, over the config's. */
  severities: Record<string, Severity>;
  /** Quiet time after the last change before the package is analysed again. */
  debounceMs: number;
}

export const DEFAULT_SETTINGS: LspSettings = { rules: [], severities: {}, debounceMs: 150 };

export interface PackageAnalysis {
  dir: string;
  /** Absolute paths of the package's files, analysed or not. */
  files: string[];
  findings: Finding[];
  errors: ScanError[];
  /** The text each file was analysed with (a buffer or the file on disk). */
  texts: Map<string, string>;
  /** A problem with .goroscope.yaml or the settings, which falls back to the defaults. */
  configProblem: string | null;
  durationMs: number;
  /** CPU time of the analysis (this thread's, user + system). */
  cpuMs: number;
}

export class PackageAnalyzer {
  private parser: Parser | null = null;
  /** Each package's trees from its last analysis: unchanged files are copied, not parsed again. */
  private readonly trees = new Map<string, ParseCache>();

  /** Loads the parser ahead of the first analysis. */
  async warm(): Promise<void> {
    this.parser ??= await getGoParser();
  }

  /**
   * Analyses the package in `dir` (absolute). `buffers` maps absolute file paths to the
   * editor's text of open files; files open but not yet on disk are analysed too.
   */
  async analyze(dir: string, buffers: ReadonlyMap<string, string>, settings: LspSettings): Promise<PackageAnalysis> {
    await this.warm();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { config, rules, problem } = this.rulesFor(dir, settings);
    const onDisk = hasGoFiles(dir) ? discover([dir], { cwd: dir, tests: true, maxFileSize: DEFAULT_MAX_FILE_SIZE }) : null;
    const files = new Map<string, { abs: string; display: string; source?: string }>();
    for (const f of onDisk?.packages[0]?.files ?? []) files.set(f.abs, { abs: f.abs, display: f.abs });
    for (const [abs, text] of buffers) {
      if (path.dirname(abs) !== dir || !abs.endsWith('.go')) continue;
      files.set(abs, { abs, display: abs, source: text });
    }
    const kept = [...files.values()].filter((f) => !isExcluded(config, f.abs)).sort((a, b) => (a.abs < b.abs ? -1 : 1));
    const mod = findGoMod(dir);
    const job: PackageJob = { dir, files: kept, goVersion: mod?.goVersion ?? null, modulePath: mod?.modulePath ?? null, maxFileSize: DEFAULT_MAX_FILE_SIZE };
    if (!this.trees.has(dir)) this.trees.set(dir, new Map());
    const outcome = analyzePackage(job, rules, this.parser, this.trees.get(dir));
    if (outcome.parserBroken) {
      this.parser = null;
      this.trees.delete(dir);
    }
    const texts = new Map<string, string>();
    for (const f of kept) if (f.source !== undefined) texts.set(f.abs, f.source);
    return {
      dir,
      files: [...files.keys()],
      findings: outcome.findings,
      errors: [...(onDisk?.errors ?? []), ...outcome.errors],
      texts,
      configProblem: problem,
      durationMs: Math.round(performance.now() - started),
      cpuMs: Math.round(((c) => (c.user + c.system) / 1000)(process.cpuUsage(cpu))),
    };
  }

  /** The nearest .goroscope.yaml's rules with the editor's settings applied; defaults if either is broken. */
  private rulesFor(dir: string, settings: LspSettings): { config: ScanConfig; rules: SelectedRule[]; problem: string | null } {
    let config = emptyConfig(dir);
    let problem: string | null = null;
    try {
      const file = findConfig(dir);
      if (file) config = loadConfigFile(file, RULES);
    } catch (err) {
      problem = err instanceof ConfigError ? err.message : String(err);
    }
    let rules: SelectedRule[];
    try {
      rules = selectRules(RULES, config, settings.rules);
    } catch (err) {
      problem = `goroscope.rules setting: ${(err as Error).message}`;
      rules = selectRules(RULES, config);
    }
    rules = rules.map((r) => ({ ...r, severity: settings.severities[r.rule.meta.id] ?? r.severity }));
    return { config, rules, problem };
  }
}

function hasGoFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => n.endsWith('.go'));
  } catch {
    return false;
  }
}
