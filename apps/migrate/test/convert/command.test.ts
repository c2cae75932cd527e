// The command's edges: usage errors, --json, a cut-off download, an output written into the input folder.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { tempDir } from '../support/fixtures.js';
import { convert, fixture } from './support.js';

const record = (id: number) => JSON.stringify({ msg_id: String(id), timestamp: 1656903600000 + id, chat_type: 'chat', payload: { from: 'a', to: 'b', bodies: [{ type: 'txt', msg: `m${id}` }] } });

describe('convert command', () => {
  it('rejects an unknown source, a missing input and a missing output folder with exit 2', async () => {
    const bad = await runMain(['convert', '--from', 'whatsapp', fixture('easemob/export'), '-o', join(tempDir(), 'o.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/whatsapp.*choices/s);
    const missing = await runMain(['convert', '--from', 'easemob', '/nonexistent/export', '-o', join(tempDir(), 'o.jsonl')]);
    expect(missing).toMatchObject({ code: 2, stderr: 'easemob-import: cannot read /nonexistent/export: no such file or folder\n' });
    const noDir = await runMain(['convert', '--from', 'easemob', fixture('easemob/export'), '-o', '/nonexistent/dir/o.jsonl']);
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('no folder /nonexistent/dir');
  });

  it('--json prints the report that is also written beside the output', async () => {
    const r = await convert(['--from', 'easemob', fixture('easemob/export'), '--group-map', fixture('easemob/groups.csv'), '--json']);
    const printed = JSON.parse(r.stdout);
    expect(printed).toEqual(JSON.parse(readFileSync(join(r.dir, 'convert-report.json'), 'utf8')));
    expect(printed.lines_written).toBe(r.lines.length);
  });

  it('keeps what a cut-off .gz download holds and reports the rest, going on with the next file', async () => {
    const dir = tempDir();
    const whole = gzipSync(`${[1, 2, 3, 4, 5].map(record).join('\n')}\n`);
    writeFileSync(join(dir, '2022070403.gz'), whole.subarray(0, whole.length - 12)); // the gzip trailer and some data lost
    writeFileSync(join(dir, '2022070404'), `${record(6)}\n`);
    const r = await convert(['--from', 'easemob', dir], tempDir());
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => l.source_id)).toContain('easemob:6');
    expect(r.report.skipped['bad record: the file cannot be read further'].count).toBe(1);
  });

  it('does not read its own output back when it is written into the input folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '2022070403'), `${[1, 2].map(record).join('\n')}\n`);
    const first = await runMain(['convert', '--from', 'easemob', dir, '-o', join(dir, 'history.jsonl'), '--json']);
    const second = await runMain(['convert', '--from', 'easemob', dir, '-o', join(dir, 'history.jsonl'), '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ inputs: 1, records: 2, lines_written: 2 });
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
  });

  it('leaves out, and reports, a line validate would reject (a __proto__ key in ext)', async () => {
    const dir = tempDir();
    const proto = '{"msg_id":"7","timestamp":1656903600007,"chat_type":"chat","payload":{"from":"a","to":"b","ext":{"__proto__":{"admin":true}},"bodies":[{"type":"txt","msg":"m7"}]}}';
    writeFileSync(join(dir, '2022070403'), `${record(1)}\n${proto}\n${record(8)}\n`);
    const r = await convert(['--from', 'easemob', dir], tempDir());
    expect(r.lines.map((l) => l.source_id)).toEqual(['easemob:1', 'easemob:8']);
    expect(r.report.bad_records.listed).toEqual([{ file: join(dir, '2022070403'), line: 2, problem: expect.stringContaining('/ext/__proto__') }]);
    expect(r.code).toBe(1);
  });

  it('reports a line that is not UTF-8 with its file and line, and converts the rest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '2022070403'), Buffer.concat([Buffer.from(`${record(1)}\n`), Buffer.from('{"msg_id":"2","payload":{"from":"caf\xe9"}}\n', 'latin1'), Buffer.from(`${record(3)}\n`)]));
    const r = await convert(['--from', 'easemob', dir], tempDir());
    expect(r.lines.map((l) => l.source_id)).toEqual(['easemob:1', 'easemob:3']);
    expect(r.report.bad_records.listed).toEqual([{ file: join(dir, '2022070403'), line: 2, problem: expect.stringContaining('UTF-8') }]);
  });
});
