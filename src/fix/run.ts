// `scan --fix` / `--fix-dry-run`: applies the findings' edits to the files on disk. A file is
// changed only if its text is still what the scan read (same SHA-256): an editor or another
// tool may have written it meanwhile, and edits placed on old text would corrupt it.
import { readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256 } from '../scan/analyze.js';
import type { Finding, ScanResult } from '../scan/finding.js';
import { applyOffsetEdits, planFile } from './apply.js';
import { unifiedDiff } from './diff.js';

export interface FileFix {
  file: string;
  /** The unified diff of what was (or, in a dry run, would be) changed. */
  diff: string;
  fixed: Finding[];
}

export interface FixReport {
  files: FileFix[];
  /** Findings with a fix that was not applied, and why. */
  left: Array<{ finding: Finding; reason: string }>;
  /** Findings with no mechanical fix (they keep their fix in words). */
  noFix: Finding[];
}

/** `cwd` resolves the findings' display paths. With `write` false nothing is written (a dry run). */
export function fixFindings(result: ScanResult, cwd: string, write: boolean): FixReport {
  const report: FixReport = { files: [], left: [], noFix: [] };
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (f.edits.length === 0) {
      report.noFix.push(f);
      continue;
    }
    const file = f.edits[0]!.file;
    byFile.set(file, [...(byFile.get(file) ?? []), f]);
  }
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const abs = path.resolve(cwd, file);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      for (const finding of findings) report.left.push({ finding, reason: `cannot read ${file}: ${(err as Error).message}` });
      continue;
    }
    if (result.digests?.[file] !== sha256(text)) {
      for (const finding of findings) report.left.push({ finding, reason: `${file} changed since it was scanned` });
      continue;
    }
    const plan = planFile(file, text, findings);
    report.left.push(...plan.left);
    if (plan.fixed.length === 0) continue;
    if (write) {
      try {
        writeAtomically(abs, applyOffsetEdits(text, plan.edits));
      } catch (err) {
        for (const finding of plan.fixed) report.left.push({ finding, reason: `cannot write ${file}: ${(err as Error).message}` });
        continue;
      }
    }
    report.files.push({ file, diff: unifiedDiff(file.split(path.sep).join('/'), text, plan.edits), fixed: plan.fixed });
  }
  return report;
}

/** Written beside the file and renamed over it, keeping its mode: never half a file. */
function writeAtomically(link: string, text: string): void {
  // A symlinked .go file is edited where it lives; the link stays a link.
  const file = realpathSync(link);
  const tmp = `${file}.goroscope-fix-${process.pid}`;
  writeFileSync(tmp, text, { mode: statSync(file).mode });
  renameSync(tmp, file);
}
