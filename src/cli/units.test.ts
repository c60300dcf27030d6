import { describe, expect, it } from 'vitest';
import { UsageError } from './exit.js';
import { formatSize, parseCount, parseDuration, parsePercent, parseSize } from './units.js';

describe('sizes', () => {
  it('reads binary and decimal units the same on every option', () => {
    expect(parseSize('2MiB', '--x')).toBe(2 * 1024 ** 2);
    expect(parseSize('512k', '--x')).toBe(512 * 1024);
    expect(parseSize('512KiB', '--x')).toBe(512 * 1024);
    expect(parseSize('10MiB', '--x')).toBe(10 * 1024 ** 2);
    expect(parseSize('512MB', '--x')).toBe(512 * 1000 ** 2);
    expect(parseSize('512mb', '--x')).toBe(512 * 1000 ** 2);
    expect(parseSize('1.5G', '--x')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('1 GB', '--x')).toBe(1000 ** 3);
    expect(parseSize('100', '--x')).toBe(100);
  });

  it('rejects what is no size, naming the option', () => {
    for (const bad of ['lots', '', '-1', '10 parsecs', '0']) expect(() => parseSize(bad, '--max-bytes')).toThrow(UsageError);
    expect(() => parseSize('lots', '--max-bytes')).toThrow(/^--max-bytes takes a size such as 1048576, 512KiB, 10MiB or 512MB, not "lots"$/);
  });

  it('prints sizes for people', () => {
    expect(formatSize(812)).toBe('812 B');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatSize(200 * 1024 ** 2)).toBe('200 MiB');
  });
});

describe('durations', () => {
  it('reads units, Go duration strings and plain seconds', () => {
    expect(parseDuration('500ms', '--x')).toBe(500);
    expect(parseDuration('30s', '--x')).toBe(30_000);
    expect(parseDuration('5m', '--x')).toBe(300_000);
    expect(parseDuration('1h', '--x')).toBe(3_600_000);
    expect(parseDuration('1m30s', '--x')).toBe(90_000);
    expect(parseDuration('7d', '--x')).toBe(7 * 86_400_000);
    expect(parseDuration('2.5', '--x')).toBe(2500);
    expect(parseDuration('10', '--x')).toBe(10_000);
  });

  it('accepts 0 only where it means something', () => {
    expect(parseDuration('0s', '--settle', { allowZero: true })).toBe(0);
    expect(() => parseDuration('0', '--timeout')).toThrow(/^--timeout must be longer than 0/);
  });

  it('rejects what is no duration', () => {
    for (const bad of ['soon', '', '5 minutes', 's', '1w', '-1s']) expect(() => parseDuration(bad, '--settle')).toThrow(/^--settle takes a duration such as 500ms, 30s, 5m/);
  });
});

describe('numbers', () => {
  it('reads percentages with or without %', () => {
    expect(parsePercent('5', '--max-growth')).toBe(5);
    expect(parsePercent('2.5%', '--max-growth')).toBe(2.5);
    expect(() => parsePercent('-1', '--max-growth')).toThrow(/at least 0/);
    expect(() => parsePercent('%', '--max-growth')).toThrow(UsageError);
  });

  it('reads whole numbers with a floor', () => {
    expect(parseCount('3', '--count', 1)).toBe(3);
    expect(() => parseCount('0', '--count', 1)).toThrow(/^--count takes a whole number of at least 1, not "0"$/);
    expect(() => parseCount('1.5', '--count')).toThrow(UsageError);
  });
});
