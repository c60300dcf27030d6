// The documented JSON shape of `goroscope test --format json` (docs/json-schema.md).
import type { TestReport } from '../run.js';

export function formatTestJson(report: TestReport): string {
  return (
    JSON.stringify(
      {
        version: report.version,
        runs: report.runs,
        interrupted: report.interrupted,
        packages: report.packages.map((p) => ({
          package: p.package,
          mode: p.mode,
          testsPassed: p.testsPassed,
          checked: p.checked,
          leaks: p.leaks.map((l) => ({
            test: l.test,
            onlyWith: l.onlyWith,
            group: l.group,
            count: l.count,
            state: l.state,
            kind: l.kind,
            blockedIn: l.blockedIn,
            location: l.location,
            createdBy: l.createdBy,
            runs: l.runs,
            evidence: l.evidence,
            seed: l.seed,
            seeds: l.seeds,
            ...(l.source !== undefined ? { source: l.source } : {}),
          })),
          notes: p.notes,
        })),
        unchecked: report.unchecked.map((u) => ({ package: u.package, reason: u.reason, file: u.file })),
        shake: report.shake && {
          schedules: report.shake.seeds.length,
          seeds: report.shake.seeds,
          probability: report.shake.probability,
          deps: report.shake.deps,
          untilFound: report.shake.untilFound,
          files: report.shake.files,
          sites: report.shake.sites,
          skipped: report.shake.skipped.map((f) => ({ file: f.file, reason: f.reason })),
        },
      },
      null,
      2,
    ) + '\n'
  );
}
