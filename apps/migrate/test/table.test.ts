import { describe, expect, it } from 'vitest';
import { StringTable } from '../src/table.js';

describe('StringTable', () => {
  it('maps strings to numbers exactly, through growth, for any characters', () => {
    const t = new StringTable(2, 'float64', 16);
    const keys = Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? `id-${i}` : i % 3 === 1 ? `用户${i}ÿ` : `${i}\u0000x`));
    keys.forEach((k, i) => {
      t.set(k, i, 0);
      t.set(k, i * 1.5, 1);
    });
    expect(t.size).toBe(keys.length);
    keys.forEach((k, i) => {
      expect(t.get(k, 0)).toBe(i);
      expect(t.get(k, 1)).toBe(i * 1.5);
    });
    expect(t.get('id-1')).toBeUndefined(); // 1 % 3 !== 0: never added
    expect(t.get('')).toBeUndefined();
    expect([...t.entries(0)].slice(0, 3)).toEqual([['id-0', 0], ['用户1ÿ', 1], ['2\u0000x', 2]]);
  });

  it('tells apart keys that share a prefix or differ only in length', () => {
    const t = new StringTable(1, 'uint32');
    for (const k of ['a', 'ab', 'abc', '', 'ÿ', 'ÿÿ', '\u00ff\u0100']) t.set(k, k.length + 1);
    expect(t.get('a')).toBe(2);
    expect(t.get('ab')).toBe(3);
    expect(t.get('')).toBe(1);
    expect(t.get('ÿ')).toBe(2);
    expect(t.get('\u00ff\u0100')).toBe(3);
    expect(t.get('abcd')).toBeUndefined();
    expect(t.add('ab')).toBe(t.find('ab')); // adding an existing key returns its entry
    expect(t.size).toBe(7);
  });
});
