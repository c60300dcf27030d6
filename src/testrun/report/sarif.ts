// SARIF 2.1.0 for `goroscope test`: each leak located at the go statement that created the
// goroutines, with the blocked line as a related location; each package whose leak check did
// not run is a result of its own rule, located at one of its test files, so it cannot pass unseen.
import path from 'node:path';
import type { Location, TestReport } from '../run.js';
import { leakGroups, testNames } from './leak-groups.js';

const RULE_ID = 'test-goroutine-leak';
const NOT_CHECKED_RULE_ID = 'test-not-checked';

function physical(l: Pick<Location, 'file' | 'line'>, cwd: string) {
  const rel = path.isAbsolute(l.file) ? path.relative(cwd, l.file) : l.file;
  return { physicalLocation: { artifactLocation: { uri: rel.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' }, region: { startLine: Math.max(1, l.line) } } };
}

export function formatTestSarif(report: TestReport, cwd: string = process.cwd()): string {
  // One result per goroutine group (one location, one fingerprint), naming every test that leaks it.
  const results = report.packages.flatMap((p) =>
    leakGroups(p).map((entries) => {
      const l = entries[0]!;
      const site = l.createdBy ?? l.location;
      const together = entries.some((e) => e.onlyWith.length > 0) ? ' (only when run together)' : '';
      return {
        ruleId: RULE_ID,
        ruleIndex: 0,
        level: 'error',
        message: {
          text: `${testNames(entries)} in ${p.package} ${entries.length > 1 ? 'leak' : 'leaks'} ${l.count} goroutine(s) blocked in ${l.blockedIn}${together}${l.seed !== null ? ` (--shake seed ${l.seed}; rerun with --shake-seed ${l.seed})` : ''}`,
        },
        locations: site ? [physical(site, cwd)] : [],
        relatedLocations: l.location ? [{ id: 1, ...physical(l.location, cwd), message: { text: `blocked here in ${l.location.func}` } }] : [],
        partialFingerprints: { goroscopeLeak: l.signature.slice(0, 200) },
        ...(l.seed !== null ? { properties: { seed: l.seed, seeds: l.seeds } } : {}),
      };
    }),
  );
  for (const u of report.unchecked) {
    results.push({
      ruleId: NOT_CHECKED_RULE_ID,
      ruleIndex: 1,
      level: 'error',
      message: { text: `The goroutine leak check of ${u.package} did not run: ${u.reason}` },
      locations: u.file ? [physical({ file: u.file, line: 1 }, cwd)] : [],
      relatedLocations: [],
      partialFingerprints: { goroscopeLeak: `not-checked|${u.package}`.slice(0, 200) },
    });
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'goroscope',
            version: report.version,
            informationUri: 'https://github.com/goroscope/goroscope',
            rules: [
              {
                id: RULE_ID,
                name: 'TestGoroutineLeak',
                shortDescription: { text: 'A test leaves goroutines running' },
                fullDescription: { text: 'goroscope test found goroutines still blocked after the package tests finished; they were created at the reported location.' },
                defaultConfiguration: { level: 'error' },
              },
              {
                id: NOT_CHECKED_RULE_ID,
                name: 'TestLeakCheckNotRun',
                shortDescription: { text: "A package's goroutine leak check did not run" },
                fullDescription: {
                  text: 'goroscope test could not check this package for leaked goroutines: its test binary exited before the check (os.Exit or syscall.Exit), was killed, crashed or was not built, or its TestMain could not be wrapped. The message gives the reason.',
                },
                defaultConfiguration: { level: 'error' },
              },
            ],
          },
        },
        // An interrupted run did not finish: SARIF's own way to say the results are incomplete.
        ...(report.interrupted ? { invocations: [{ executionSuccessful: false, exitSignalName: report.interrupted }] } : {}),
        results,
        ...(report.shake ? { properties: { goroscopeShake: { schedules: report.shake.seeds.length, seeds: report.shake.seeds, probability: report.shake.probability } } } : {}),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
