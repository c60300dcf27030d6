// SARIF 2.1.0 for `goroscope test`: each leak located at the go statement that created the
// goroutines, with the blocked line as a related location.
import path from 'node:path';
import type { Location, TestReport } from '../run.js';

const RULE_ID = 'test-goroutine-leak';

function physical(l: Location, cwd: string) {
  const rel = path.isAbsolute(l.file) ? path.relative(cwd, l.file) : l.file;
  return { physicalLocation: { artifactLocation: { uri: rel.split(path.sep).join('/'), uriBaseId: '%SRCROOT%' }, region: { startLine: Math.max(1, l.line) } } };
}

export function formatTestSarif(report: TestReport, cwd: string = process.cwd()): string {
  const results = report.packages.flatMap((p) =>
    p.leaks.map((l) => {
      const site = l.createdBy ?? l.location;
      return {
        ruleId: RULE_ID,
        ruleIndex: 0,
        level: 'error',
        message: { text: `${l.test ?? 'A test'} in ${p.package} leaks ${l.count} goroutine(s) blocked in ${l.state || l.kind}` },
        locations: site ? [physical(site, cwd)] : [],
        relatedLocations: l.location ? [{ id: 1, ...physical(l.location, cwd), message: { text: `blocked here in ${l.location.func}` } }] : [],
        partialFingerprints: { goroscopeLeak: l.signature.slice(0, 200) },
      };
    }),
  );
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
            ],
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
