import { describe, expect, it } from 'vitest';
import { parseLabels } from './labels.js';

describe('parseLabels', () => {
  it('reads quoted and bare keys and values', () => {
    expect(parseLabels('{"handler":"/api/v1/items", "tenant":"t0"}', 0)?.labels).toEqual({
      handler: '/api/v1/items',
      tenant: 't0',
    });
    expect(parseLabels('{k: v, "q": "a\\"b\\x41\\n"}', 0)?.labels).toEqual({ k: 'v', q: 'a"bA\n' });
    expect(parseLabels('{}', 0)).toEqual({ labels: {}, end: 2 });
  });

  it('returns where the object ends', () => {
    expect(parseLabels('x {a: b}:', 2)?.end).toBe(8);
  });

  it.each(['{', '{"a"}', '{"a": "b"', '{a b}', 'a: b}', '{"a": "b" x}'])('rejects %j', (s) => {
    expect(parseLabels(s, 0)).toBeNull();
  });

  it('keeps a key named __proto__ as a plain key', () => {
    const labels = parseLabels('{"__proto__": "x"}', 0)!.labels;
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });
});
