// The join for groups known by a blocked frame and a creator (watch's alert groups), without Go:
// frames as a -trimpath build of the twoleaks module prints them.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { palette } from '../report/color.js';
import { REPO_ROOT } from '../testing/env.js';
import { attachSourceToReport, renderReportText, type WatchReportJson } from '../watch/report.js';
import { checkoutAt } from './sourcemap.js';

const TWOLEAKS = path.join(REPO_ROOT, 'src/join/testdata/twoleaks');

function alert(func: string, line: number, creator: string, goLine: number) {
  return {
    kind: 'growth' as const,
    state: 'firing' as const,
    firedAt: '2026-01-01T00:00:00.000Z',
    resolvedAt: null,
    resolveReason: null,
    group: { id: 'g', count: 40, state: 'chan send', kind: 'chan send', location: { func, file: 'twoleaks/main.go', line }, createdBy: { func: creator, file: 'twoleaks/main.go', line: goLine }, labels: {} },
    count: 40,
    countAtWindowStart: 2,
    ratePerHour: 10,
    signals: [],
    snapshot: null,
  };
}

describe('watch --source', () => {
  it("gives each alert's group its finding or its explanation, in JSON and text", async () => {
    const report: WatchReportJson = {
      version: 1,
      tool: 'x',
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T01:00:00.000Z',
      targets: [
        {
          target: 'http://127.0.0.1:6060/debug/pprof/goroutine',
          kind: 'pprof',
          up: true,
          samples: 240,
          failures: 0,
          goroutines: { first: 10, last: 50, min: 10, max: 50 },
          restarts: 0,
          series: [],
          lastError: null,
          alerts: [alert('main.fetch.func1', 28, 'main.fetch', 27), alert('main.subscribe.func2', 45, 'main.subscribe', 44)],
        },
      ],
    };
    const problems = await attachSourceToReport(report, checkoutAt(TWOLEAKS), REPO_ROOT);
    expect(problems).toEqual([]);
    const [sender, reader] = report.targets[0]!.alerts.map((a) => a.group!.source!);
    expect(sender).toMatchObject({ location: { file: 'src/join/testdata/twoleaks/main.go', line: 28 }, findings: [{ rule: 'stranded-sender', match: 'line' }], missedByScan: false });
    expect(reader).toMatchObject({ findings: [], missedByScan: true, explanations: [{ identity: { name: 'updates' }, partners: [{ kind: 'send', callback: true }] }] });
    const text = renderReportText(report, palette(false));
    expect(text).toContain('    finding:    src/join/testdata/twoleaks/main.go:28 stranded-sender (error, at the blocked line)');
    expect(text).toContain('    missed by scan: no scan finding at its line, go statement or function; from the model:');
  });
});
