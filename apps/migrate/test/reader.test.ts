import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { countLines, describeFsError, MAX_LINE_BYTES, readLines, type RawLine } from '../src/reader.js';
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
    const long = 'x'.repeat(MAX_LINE_BYTES + 10);
    const lines = await collect(['{"a":1}\n', long.slice(0, 600_000), long.slice(600_000), '\n{"b":2}\n']);
    expect(lines.map((l) => [l.line, l.error ?? l.text])).toEqual([
      [1, '{"a":1}'],
      [2, `line is longer than ${MAX_LINE_BYTES} bytes`],
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

  it('reports a line that is not UTF-8 instead of decoding it with U+FFFD, and goes on', async () => {
    const lines = await collect([Buffer.concat([Buffer.from('{"msg":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n{"b":2}\n')])]);
    expect(lines.map((l) => [l.line, l.error ?? l.text])).toEqual([
      [1, 'line is not valid UTF-8 (save the file as UTF-8)'],
      [2, '{"b":2}'],
    ]);
  });

  it('blank is JSON whitespace only, the same for readLines and countLines: a BOM then an empty line is blank, a no-break space or form feed is a line', async () => {
    const dir = tempDir();
    const text = '\ufeff\n{"a":1}\n\u00a0\n\f\n \t\r\n{"b":2}';
    writeFileSync(join(dir, 'w.jsonl'), text);
    const lines = await collect([text]);
    expect(lines.map((l) => [l.line, l.text])).toEqual([
      [2, '{"a":1}'],
      [3, '\u00a0'],
      [4, '\f'],
      [6, '{"b":2}'],
    ]);
    expect(await countLines(join(dir, 'w.jsonl'))).toBe(lines.length);
  });

  it('reads gzip transparently, from a file (countLines too) or a stream split anywhere', async () => {
    const dir = tempDir();
    const gz = gzipSync('{"a":1}\n\n{"b":2}\n');
    writeFileSync(join(dir, 'in.jsonl.gz'), gz);
    const expected = [
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":2}' },
    ];
    expect(await collect([gz.subarray(0, 1), gz.subarray(1, 7), gz.subarray(7)])).toEqual(expected);
    const fromFile: RawLine[] = [];
    for await (const batch of readLines(createReadStream(join(dir, 'in.jsonl.gz')))) fromFile.push(...batch);
    expect(fromFile).toEqual(expected);
    expect(await countLines(join(dir, 'in.jsonl.gz'))).toBe(2);
  });

  it('a read error or damaged gzip is one sentence naming the file (a usage error)', async () => {
    const dir = tempDir();
    const file = writeLines(dir, 'a.jsonl', ['{}']);
    const read = async (path: string) => {
      for await (const _ of readLines(createReadStream(path))) void _;
    };
    await expect(read(join(file, 'x.jsonl'))).rejects.toThrow(new UsageError(`cannot read ${join(file, 'x.jsonl')}: a part of the path is not a directory (ENOTDIR)`));
    await expect(read(dir)).rejects.toThrow(/^cannot read .*: it is a directory; pass a JSON Lines file \(EISDIR\)$/);
    writeFileSync(join(dir, 'cut.gz'), gzipSync('{"a":1}\n'.repeat(100)).subarray(0, 20));
    await expect(read(join(dir, 'cut.gz'))).rejects.toThrow(/^cannot read .*cut.gz: the gzip data is damaged/);
    for (const code of ['EACCES', 'ENOSPC', 'EEXIST']) expect(describeFsError('/data/in.jsonl', Object.assign(new Error('x'), { code }))).toMatch(/^cannot read \/data\/in.jsonl: [a-z ]+ \(E[A-Z]+\)$/);
  });
});
