import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { countLines, MAX_LINE_CHARS, readLines, type RawLine } from '../src/reader.js';
import { tempDir, writeLines } from './support/fixtures.js';

async function collect(chunks: Array<string | Buffer>): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const batch of readLines(Readable.from(chunks))) out.push(...batch);
  return out;
}

describe('readLines', () => {
  it('numbers lines as in the file, skipping blank ones without shifting the others', async () => {
    const lines = await collect(['{"a":1}\n\n  \n{"b":2}\n']);
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
    ]);
  });

  it('handles CRLF, a BOM and a last line without a newline', async () => {
    expect(await collect(['\ufeff{"a":1}\r\n{"b":2}'])).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"b":2}' },
    ]);
  });

  it('joins lines and multi-byte characters split across chunks', async () => {
    const text = Buffer.from('{"msg":"中文"}\n{"x":1}\n');
    const chunks = Array.from(text).map((b) => Buffer.from([b])); // one byte per chunk
    expect(await collect(chunks)).toEqual([
      { line: 1, text: '{"msg":"中文"}' },
      { line: 2, text: '{"x":1}' },
    ]);
  });

  it('reports an overlong line without keeping it, and goes on', async () => {
    const long = 'x'.repeat(MAX_LINE_CHARS + 10);
    const lines = await collect(['{"a":1}\n', long.slice(0, 600_000), long.slice(600_000), '\n{"b":2}\n']);
    expect(lines.map((l) => [l.line, l.error ?? l.text])).toEqual([
      [1, '{"a":1}'],
      [2, `line is longer than ${MAX_LINE_CHARS} characters`],
      [3, '{"b":2}'],
    ]);
  });

  it('countLines counts non-blank lines, with or without a final newline', async () => {
    const dir = tempDir();
    expect(await countLines(writeLines(dir, 'a.jsonl', ['{}', '', '{}', '  ']))).toBe(2);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/b.jsonl`, '{}\n{}');
    expect(await countLines(`${dir}/b.jsonl`)).toBe(2);
  });
});
