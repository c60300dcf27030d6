import { describe, expect, it } from 'vitest';
import { parseSuppressions } from './suppress.js';

const src = [
  'package p', // 1
  '//goroscope:ignore send-leak the consumer drains it in tests', // 2
  'go f()', // 3
  'go g() //goroscope:ignore lost-cancel,send-leak', // 4
  'go h() //nolint:goroscope', // 5
  'go i() //nolint', // 6
  'go j() //nolint:errcheck,gosec // not ours', // 7
  'go k() //nolint:errcheck,goroscope', // 8
  'go l() //nolint:all', // 9
  '// goroscope:ignore all generated', // 10
  'go m()', // 11
  'go n() // nolintish', // 12
].join('\n');

describe('parseSuppressions', () => {
  const s = parseSuppressions(src);

  it('goroscope:ignore covers its line (and the next when alone on its line), for the named rules only', () => {
    expect(s.suppresses('send-leak', 2)).toBe(true);
    expect(s.suppresses('send-leak', 3)).toBe(true);
    expect(s.suppresses('lost-cancel', 3)).toBe(false);
    expect(s.suppresses('send-leak', 1)).toBe(false);
    expect(s.suppresses('lost-cancel', 4)).toBe(true);
    expect(s.suppresses('send-leak', 4)).toBe(true);
    expect(s.suppresses('other', 4)).toBe(false);
    expect(s.suppresses('anything', 11)).toBe(true);
    // A trailing directive does not reach the line below.
    expect(parseSuppressions('go a() //goroscope:ignore x\ngo b()\n').suppresses('x', 2)).toBe(false);
  });

  it('nolint forms cover every goroscope rule on their own line only', () => {
    for (const line of [5, 6, 8, 9]) expect(s.suppresses('send-leak', line), `line ${line}`).toBe(true);
    expect(s.suppresses('send-leak', 7)).toBe(false);
    expect(s.suppresses('send-leak', 12)).toBe(false);
    // nolint does not reach the next line.
    expect(s.suppresses('send-leak', 10)).toBe(true); // (the ignore-all on line 10 itself)
    expect(parseSuppressions('go a() //nolint\ngo b()\n').suppresses('x', 2)).toBe(false);
  });

  it('honours an ignore without a reason', () => {
    expect(parseSuppressions('go a() //goroscope:ignore send-leak\n').suppresses('send-leak', 1)).toBe(true);
  });

  it('finds nothing in a file without directives', () => {
    expect(parseSuppressions('package p\n').suppresses('x', 1)).toBe(false);
  });
});
