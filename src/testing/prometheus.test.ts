// The shipped rules' windows scaled for end-to-end tests: durations of ranges, offsets and `for`
// change; rule names and annotations do not.
import { describe, expect, it } from 'vitest';
import { scaleRuleDurations } from './prometheus.js';

describe('scaleRuleDurations', () => {
  it('scales ranges, offsets and for, and nothing else', () => {
    const rules = [
      '      - record: goroscope:group_goroutines:q1_floor30m',
      '        expr: max without (state) (min_over_time(x{group!="other"}[7m30s] offset 22m30s))',
      '        expr: deriv(x[30m]) * 3600',
      '        for: 5m',
      "          description: 'rose over 30m'",
    ].join('\n');
    expect(scaleRuleDurations(rules, 16 / 1800)).toBe(
      [
        '      - record: goroscope:group_goroutines:q1_floor30m',
        '        expr: max without (state) (min_over_time(x{group!="other"}[4000ms] offset 12000ms))',
        '        expr: deriv(x[16000ms]) * 3600',
        '        for: 2667ms',
        "          description: 'rose over 30m'",
      ].join('\n'),
    );
  });
});
