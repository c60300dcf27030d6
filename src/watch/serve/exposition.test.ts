// Which groups get series of their own, and the bounded error reasons.
import { describe, expect, it } from 'vitest';
import { errorReason, ERROR_REASONS, selectGroups, type GroupPoint } from './exposition.js';

const at = (func: string) => ({ func, file: '/app/main.go', line: 1 });
const point = (gid: string, count: number, more: Partial<GroupPoint> = {}): GroupPoint => ({ gid, count, location: at(`main.${gid}`), state: '', judged: true, rise: null, alerting: false, ...more });

describe('selectGroups', () => {
  it('takes alerting groups first, then alternately the fastest rising and the largest; sums the rest', () => {
    const groups = [
      point('big1', 500, { rise: 0 }),
      point('big2', 400, { rise: 0 }),
      point('big3', 300, { rise: 1 }),
      point('rise1', 30, { rise: 25 }),
      point('rise2', 20, { rise: 15 }),
      point('alert', 10, { alerting: true, rise: 0 }),
      point('small', 5, { rise: 0 }),
    ];
    const s = selectGroups(groups, 4);
    expect(s.chosen.map((g) => g.gid)).toEqual(['alert', 'rise1', 'big1', 'rise2']);
    expect(s.other).toBe(400 + 300 + 5);
    expect(selectGroups(groups, 100).chosen).toHaveLength(groups.length);
    expect(selectGroups(groups, 0)).toEqual({ chosen: [], other: 1265 });
  });

  it('never gives known-benign groups or groups without a frame a series: they are summed into other', () => {
    const s = selectGroups([point('user', 3), point('runtime', 900, { judged: false }), point('noframe', 50, { location: null })], 20);
    expect(s.chosen.map((g) => g.gid)).toEqual(['user']);
    expect(s.other).toBe(950);
  });

  it('without history (a probe) ranks by count, ties by group ID', () => {
    const s = selectGroups([point('b', 5), point('a', 5), point('c', 9)], 2);
    expect(s.chosen.map((g) => g.gid)).toEqual(['c', 'a']);
    expect(s.other).toBe(5);
  });
});

describe('errorReason', () => {
  it('maps the messages of failed reads to a small fixed set', () => {
    const cases: Array<[string, string]> = [
      ['connection refused', 'connection_refused'],
      ['HTTP 404: not found (is net/http/pprof served at this path?)', 'http_404'],
      ['HTTP 401: not allowed (credentials?)', 'http_401'],
      ['no complete answer within 10000 ms (--timeout)', 'timeout'],
      ['the answer is an HTML page, not a goroutine profile', 'not_a_profile'],
      ['no goroutine profile in the answer: binary data', 'not_a_profile'],
      ['profile cut short: it declares 500 goroutines and holds 120', 'cut_short'],
      ['answer larger than --max-bytes (67108864 bytes)', 'too_large'],
      ['host not found', 'host_not_found'],
      ['no gops agent port file for PID 42 in /x (is the process running with the agent?)', 'no_gops_agent'],
      ['something nobody expected with a secret in it', 'other'],
    ];
    for (const [message, reason] of cases) expect(errorReason(message), message).toBe(reason);
    for (const [, reason] of cases) if (!reason.startsWith('http_')) expect(ERROR_REASONS).toContain(reason);
  });
});
