import { describe, expect, it } from 'vitest';
import { analyzeDump } from '../analyze/index.js';
import { parseDump } from '../parse/index.js';
import { palette } from '../../report/color.js';
import { renderDumpText, sectionList } from './text.js';

describe('the text report of dump', () => {
  it('lists a few sections, and counts a long list by format', () => {
    expect(sectionList(['traceback'])).toBe('1 section: traceback');
    expect(sectionList(['traceback', 'pprof-debug1'])).toBe('2 sections: traceback, pprof-debug1');
    expect(sectionList([...Array(148).fill('traceback'), 'pprof-debug1', 'pprof-debug1'])).toBe('150 sections: 148 traceback, 2 pprof-debug1');
  });

  it('summarises the sections of a log with a panic per test in its first line', () => {
    let log = '';
    for (let i = 0; i < 150; i++) log += `=== RUN   Test${i}\npanic: boom\n\ngoroutine ${i + 1} [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\nexit status 2\n`;
    const first = renderDumpText(analyzeDump(parseDump(log)), palette(false)).split('\n')[0];
    expect(first).toBe('150 goroutines in 1 group (150 sections: 150 traceback)');
  });
});
