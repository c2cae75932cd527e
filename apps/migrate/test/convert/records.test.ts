// Records out of any layout an export uses, each with the line it starts on; bad ones reported, never fatal.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRecords, type SourceRecord } from '../../src/convert/records.js';

async function scan(text: string): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const batch of readRecords(Readable.from([Buffer.from(text)]))) out.push(...batch);
  return out;
}
const values = (rs: SourceRecord[]) => rs.map((r) => (r.error ? { line: r.line, error: true } : { line: r.line, value: r.value, ...(r.prefix && { prefix: r.prefix }) }));

describe('readRecords', () => {
  it('reads JSON Lines, trailing commas, back-to-back and pretty-printed objects, and arrays of objects', async () => {
    expect(values(await scan('{"a":1}\n{"a":2},\n\n{"a":3}{"a":4}\n[\n  {\n    "a": 5,\n    "b": {"c": "}"}\n  },\n  {"a": 6}\n]\n'))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { a: 2 } },
      { line: 4, value: { a: 3 } },
      { line: 4, value: { a: 4 } },
      { line: 6, value: { a: 5, b: { c: '}' } } },
      { line: 10, value: { a: 6 } },
    ]);
  });

  it('accepts trailing commas inside a record and keeps a text prefix', async () => {
    expect(values(await scan('{"a":[1,2,],}\n2022/07/04 11:00:00 {"a":1}\n'))).toEqual([
      { line: 1, value: { a: [1, 2] } },
      { line: 2, value: { a: 1 }, prefix: '2022/07/04 11:00:00' },
    ]);
  });

  it('reports a cut-off record and carries on with the next one', async () => {
    expect(values(await scan('{"a":1}\n{"a":"cut\n{"a":3}\nnot json\n{"a":4}\n{"a":'))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, error: true },
      { line: 3, value: { a: 3 } },
      { line: 4, error: true },
      { line: 5, value: { a: 4 } },
      { line: 6, error: true },
    ]);
  });
});

describe('readRecords, any layout', () => {
  it('yields the same records whatever the layout', async () => {
    const fc = (await import('fast-check')).default;
    const layouts = ['lines', 'commas', 'back-to-back', 'pretty', 'array'] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 4 }), { minLength: 1, maxLength: 8 }), fc.constantFrom(...layouts), async (objects, layout) => {
        const json = objects.map((o) => JSON.stringify(o));
        const text = {
          lines: json.join('\n'),
          commas: json.map((j) => `${j},`).join('\n'),
          'back-to-back': json.join(''),
          pretty: objects.map((o) => JSON.stringify(o, null, 2)).join('\n'),
          array: JSON.stringify(objects, null, 2),
        }[layout];
        const got = await scan(text);
        expect(got.filter((r) => r.error)).toEqual([]);
        // JSON.parse(JSON.stringify(x)) is how any reader sees x (-0 becomes 0).
        expect(got.map((r) => r.value)).toEqual(objects.map((o) => JSON.parse(JSON.stringify(o))));
      }),
      { numRuns: 200 },
    );
  });
});
