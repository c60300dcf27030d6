import { describe, expect, it } from 'vitest';
import { HeaderRests, parseHeader, RecentHeaders } from './header.js';

describe('parseHeader', () => {
  it('reads every header field', () => {
    expect(parseHeader('goroutine 12 [chan receive (leaked), 5 minutes, locked to thread]:', 0)).toEqual({
      id: 12,
      state: 'chan receive',
      waitMinutes: 5,
      lockedToThread: true,
      leaked: true,
      durable: false,
      bubble: null,
      labels: {},
    });
  });

  it('skips gp=/m=/mp= and reads synctest markers', () => {
    const h = parseHeader('goroutine 7 gp=0xc000007c00 m=2 mp=0xc000080008 [chan send (durable), synctest bubble 3]:', 0);
    expect(h).toMatchObject({ id: 7, state: 'chan send', durable: true, bubble: 3 });
  });

  it('reads labels inside (1.26) and after (1.27) the brackets', () => {
    expect(parseHeader('goroutine 1 [select labels:{"a": "x]y"}]:', 0)?.labels).toEqual({ a: 'x]y' });
    expect(parseHeader('goroutine 1 [select] {a: b, c: "d e"}:', 0)?.labels).toEqual({ a: 'b', c: 'd e' });
  });

  it('starts at the given offset (after a log prefix)', () => {
    expect(parseHeader('[pod] goroutine 3 [idle]:', 6)?.id).toBe(3);
  });

  it.each([
    'goroutine 1 [running]',
    'goroutine 1 [running',
    'goroutine [running]:',
    'goroutine 1 xyz [running]:',
    'goroutine 1 [running]: trailing',
    'goroutine 1 [select labels:{"a": "b"]:',
    'Read at 0x00c000014100 by goroutine 8:',
  ])('rejects %j', (line) => {
    expect(parseHeader(line, 0)).toBeNull();
  });
});

describe('RecentHeaders', () => {
  it('gives what parsing each header gives, for waits that change and texts that look alike', () => {
    const statuses = [
      'select', 'select, 3 minutes', 'select, 47 minutes', 'select, 3 minutes', 'select',
      'select, 03 minutes', 'select, 3 minutes, locked to thread', 'chan receive, 3 minutes',
      'select (leaked), 9 minutes', 'select, 1000000 minutes', 'select, minutes', 'select,  3 minutes',
      'select, 3 minutes] labels:{"a":"b"}', 'select, 47 minutes', 'select',
    ];
    const recent = new RecentHeaders();
    const rests = new HeaderRests();
    statuses.forEach((status, i) => {
      const line = `goroutine ${100 + i} [${status}]:`;
      const idEnd = line.indexOf(' [');
      const got = recent.parse(line, 0, idEnd, line.length, rests);
      const want = parseHeader(line, 0);
      if (want === null) expect(got).toBeNull();
      else {
        const { id: _id, ...rest } = want;
        expect(got).toEqual(rest);
      }
    });
  });
});
