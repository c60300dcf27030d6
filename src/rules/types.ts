// The contract between the scan engine and the rules. A rule is one file in src/rules/ that
// exports a `Rule`; src/rules/registry.ts lists them; the engine, the docs, the CLI's rule list
// and the SARIF output all read the registry.
import type { SNode } from '../gosrc/ast.js';
import type { GoPackage } from '../gosrc/package.js';
import type { RelatedLocation, Severity } from '../scan/finding.js';
import type { SourceEdit } from './lib/edits.js';

export type RuleCategory = 'channels' | 'sync' | 'context' | 'timers' | 'io' | 'style';

export interface RuleMeta {
  /** Stable kebab-case ID used in config, suppressions and output. */
  id: string;
  title: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** Opt-in rules (the style checks) are off unless enabled in config or with --rules. */
  enabledByDefault: boolean;
  /** One-paragraph description: shown by `goroscope rules`, used as SARIF help text. */
  description: string;
}

export interface RuleReport {
  /** The node the finding points at (its line/column range). */
  node: SNode;
  message: string;
  /** The go statement that started the goroutine concerned, if any. */
  goroutine?: SNode | null;
  related?: Array<{ node: SNode; message: string } | RelatedLocation>;
  fix?: string | null;
  /**
   * The fix as edits, only when it is mechanical and sure to keep the program's meaning apart
   * from the leak (see src/rules/lib/edits.ts). Absent or null: the finding keeps `fix` in words.
   */
  edits?: SourceEdit[] | null;
  /**
   * A lower severity for this finding than the rule's configured one, when the rule knows the
   * leak is milder here (e.g. timers collected since Go 1.23). Never raises the severity.
   */
  severity?: Severity;
}

export interface RuleContext {
  pkg: GoPackage;
  report(finding: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  run(ctx: RuleContext): void;
}

export function docsUrl(id: string): string {
  return `https://github.com/goroscope/goroscope/blob/main/docs/rules/${id}.md`;
}
