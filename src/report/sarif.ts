// `--format sarif`: a SARIF 2.1.0 log for code-scanning services (GitHub code scanning among
// them). One run; the driver lists every rule with its docs; each result points at the finding
// with a path relative to %SRCROOT% (the scan's cwd), its related locations, and a fingerprint
// that survives code moving up or down the file.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { docsUrl, type RuleMeta } from '../rules/types.js';
import type { Finding, ScanResult, Severity } from '../scan/finding.js';
import type { LineReader } from './text.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/goroscope/goroscope';
/** docs/rules/ of the installed package (dist/report → ../../docs/rules). */
const DEFAULT_DOCS_DIR = fileURLToPath(new URL('../../docs/rules/', import.meta.url));

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** Every rule that may appear (normally the registry); results of others are added too. */
  rules: readonly RuleMeta[];
  /** %SRCROOT%: the directory result paths are relative to. */
  cwd: string;
  /** Source lines, for fingerprints that do not depend on line numbers. */
  readLine: LineReader;
  version: string;
  /** Where docs/rules/<id>.md live (default: the package's own docs). */
  docsDir?: string;
}

export function formatSarif(result: ScanResult, options: SarifOptions): string {
  const metas = [...options.rules];
  for (const f of result.findings) {
    if (!metas.some((m) => m.id === f.rule)) {
      metas.push({ id: f.rule, title: f.rule, category: 'style', defaultSeverity: f.severity, enabledByDefault: false, description: f.rule });
    }
  }
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  const docsDir = options.docsDir ?? DEFAULT_DOCS_DIR;
  const seen = new Map<string, number>();
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'goroscope',
            version: options.version,
            semanticVersion: options.version,
            informationUri: INFORMATION_URI,
            rules: metas.map((m) => ruleDescriptor(m, docsDir)),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((f) => sarifResult(f, ruleIndex.get(f.rule)!, options, seen)),
        invocations: [
          {
            // Not successful when some code was not analysed at all; syntax errors are warnings.
            executionSuccessful: result.errors.every((e) => e.kind === 'syntax'),
            toolExecutionNotifications: result.errors.map((e) => ({
              level: e.kind === 'syntax' ? 'warning' : 'error',
              message: { text: e.message },
              locations: [{ physicalLocation: physical(e.file, e.line > 0 ? { startLine: e.line } : null, options.cwd) }],
            })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function ruleDescriptor(m: RuleMeta, docsDir: string) {
  const doc = path.join(docsDir, `${m.id}.md`);
  let help: { text: string; markdown: string } | undefined;
  if (existsSync(doc)) {
    try {
      const markdown = readFileSync(doc, 'utf8');
      help = { text: markdown, markdown };
    } catch {
      help = undefined;
    }
  }
  return {
    id: m.id,
    name: m.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    helpUri: docsUrl(m.id),
    ...(help ? { help } : {}),
    defaultConfiguration: { level: LEVEL[m.defaultSeverity], enabled: m.enabledByDefault },
    properties: { tags: ['goroutine-leak', m.category] },
  };
}

function sarifResult(f: Finding, index: number, options: SarifOptions, seen: Map<string, number>) {
  const related = f.related.map((r, i) => ({
    id: i + 1,
    physicalLocation: physical(r.file, { startLine: r.line }, options.cwd),
    message: { text: r.message },
  }));
  if (f.goroutine) {
    related.push({
      id: related.length + 1,
      physicalLocation: physical(f.goroutine.file, { startLine: f.goroutine.line }, options.cwd),
      message: { text: 'the goroutine is started here' },
    });
  }
  return {
    ruleId: f.rule,
    ruleIndex: index,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: physical(
          f.file,
          { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          options.cwd,
        ),
      },
    ],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { 'goroscopeFindingHash/v1': fingerprint(f, options.readLine, seen) },
    ...resultProperties(f),
    ...(f.edits.length > 0 ? { fixes: [sarifFix(f, options.cwd)] } : {}),
  };
}

/** A finding's edits as a SARIF fix: one artifactChange per file, its replacements in order. */
function sarifFix(f: Finding, cwd: string) {
  const files = [...new Set(f.edits.map((e) => e.file))];
  return {
    description: { text: f.fix ?? `fix ${f.rule}` },
    artifactChanges: files.map((file) => ({
      artifactLocation: artifactLocation(file, cwd),
      replacements: f.edits
        .filter((e) => e.file === file)
        .map((e) => ({
          deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
          insertedContent: { text: e.newText },
        })),
    })),
  };
}

/** `fix`, and with --evidence what confirms the finding, tagged `confirmed` for code scanning's filters. */
function resultProperties(f: Finding): { properties?: Record<string, unknown> } {
  const properties: Record<string, unknown> = {};
  if (f.fix) properties.fix = f.fix;
  if (f.evidence) {
    properties.evidence = f.evidence;
    properties.tags = ['confirmed'];
  }
  return Object.keys(properties).length > 0 ? { properties } : {};
}

type Region = { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };

function physical(file: string, region: Region | null, cwd: string) {
  return { artifactLocation: artifactLocation(file, cwd), ...(region ? { region } : {}) };
}

/** A relative, forward-slash, percent-encoded URI under %SRCROOT%, or a file: URI outside it. */
export function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/**
 * Rule, file, the trimmed text of the line and the message, plus how many identical findings
 * came before: stable when lines are inserted above, distinct for repeated identical lines.
 */
function fingerprint(f: Finding, readLine: LineReader, seen: Map<string, number>): string {
  const lineText = (readLine(f.file, f.line) ?? '').trim();
  const key = [f.rule, f.file.split(path.sep).join('/'), lineText, f.message].join('\0');
  const n = seen.get(key) ?? 0;
  seen.set(key, n + 1);
  return createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
}
