// The result types of a scan. These are the objects the JSON and SARIF formats serialise;
// docs/json-schema.md documents them, so change them only together with that page.

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface RelatedLocation {
  file: string;
  line: number;
  message: string;
}

/** Groups of one input that confirm a finding. */
export interface EvidenceEntry {
  /** The input, as given on the command line. */
  source: string;
  /** `dump`: a goroutine dump or profile; `test-report`: a `goroscope test --format json` report. */
  kind: 'dump' | 'test-report';
  /** Goroutines in the matching groups. */
  goroutines: number;
  /** Their states (header states, without wait minutes), most goroutines first. */
  states: string[];
  /** Range of the members' wait minutes; null when no member printed one. */
  waitMinutes: { min: number | null; max: number | null };
  /** `line`: blocked at the finding's line; `go`: a suspect group started at the finding's go statement. */
  match: 'line' | 'go';
  /** The strongest dump verdict among the matching groups. */
  suspect: 'definite' | 'likely' | null;
}

/** What runtime evidence confirms a finding (`scan --evidence`, computed in join/evidence.ts). */
export interface FindingEvidence {
  confirmed: true;
  /** Goroutines over every entry. */
  goroutines: number;
  /** The severity before the evidence raised it to error. */
  severityBefore: Severity;
  entries: EvidenceEntry[];
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
  /**
   * Only with `scan --evidence`: what runtime evidence confirms the finding (join/evidence.ts),
   * null when none does.
   */
  evidence?: FindingEvidence | null;
  /**
   * The fix as text edits, when it is mechanical and sure (empty otherwise): applying all of
   * them to the file as it was scanned removes the finding. Positions as for the finding.
   */
  edits: TextEdit[];
}

/**
 * Replace the text from (line, column) up to (endLine, endColumn) of `file` with `newText`;
 * an insertion when both are the same. Lines and columns are 1-based, columns count UTF-16
 * code units, like the finding's own.
 */
export interface TextEdit {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

/**
 * Why an entry of `errors` is there, which decides what it does to the exit code:
 * - `path`: a path argument names nothing, is not usable, or holds no Go files (always exit 2);
 * - `skipped`: a file or directory that was not analysed (unreadable, binary, over
 *   --max-file-size, a dangling link): exit 2 unless --allow-errors;
 * - `internal`: goroscope failed on a file or package (a rule or the parser crashed, the parser
 *   ran out of memory): exit 2 unless --allow-errors;
 * - `syntax`: a syntax error; the file was analysed as far as the parser recovered (never
 *   changes the exit code: the compiler is the judge of syntax, and the parser can lag behind
 *   new Go syntax).
 */
export type ScanErrorKind = 'path' | 'skipped' | 'internal' | 'syntax';

export interface ScanError {
  file: string;
  line: number;
  message: string;
  kind: ScanErrorKind;
}

/** True for errors that mean some code was not analysed at all (the gate fails closed on them). */
export function isUnanalysed(error: ScanError): boolean {
  return error.kind === 'skipped' || error.kind === 'internal';
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
  /**
   * SHA-256 (hex) of each file's text as the scan read it, for the files that findings' edits
   * change: `scan --fix` edits a file only if it still has this digest. Not part of the JSON.
   */
  digests?: Record<string, string>;
}
