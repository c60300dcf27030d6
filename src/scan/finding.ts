// The result types of a scan. These are the objects the JSON and SARIF formats serialise;
// docs/json-schema.md documents them, so change them only together with that page.

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface RelatedLocation {
  file: string;
  line: number;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** The go statement that started the goroutine concerned, when there is one. */
  goroutine: { file: string; line: number } | null;
  /** The partner operation, the path that skips it, or the exit path. */
  related: RelatedLocation[];
  /** How to fix it, in one or two sentences that name the exact change. */
  fix: string | null;
}

export interface ScanError {
  file: string;
  line: number;
  message: string;
}

export interface ScanStats {
  files: number;
  packages: number;
  durationMs: number;
}

export interface ScanResult {
  version: string;
  findings: Finding[];
  errors: ScanError[];
  stats: ScanStats;
}
