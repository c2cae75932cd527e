// User ids to Easemob's rules, collisions as errors naming both source ids, and the map files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { easemobUserId, loadIdMap } from '../../src/convert/ids.js';
import { tempDir } from '../support/fixtures.js';
import { convert } from './support.js';

const record = (id: number, from: string, to: string, chatType = 'chat') =>
  JSON.stringify({ msg_id: String(id), timestamp: 1656903600000 + id, chat_type: chatType, payload: { from, to, bodies: [{ type: 'txt', msg: `m${id}` }] } });

function exportOf(lines: string[]) {
  const dir = tempDir('easemob-import-ids-');
  writeFileSync(join(dir, '2022070403'), `${lines.join('\n')}\n`);
  return dir;
}

describe('user ids', () => {
  it('keeps legal ids and renames others by the documented rule', () => {
    expect(easemobUserId('alice_01.x-y')).toBe('alice_01.x-y');
    expect(easemobUserId('U01ALICE')).toBe('U01ALICE');
    expect(easemobUserId('Dave.Smith@example.com')).toBe('dave.smith_example.com_7947e5e6');
    expect(easemobUserId('张三')).toMatch(/^___[0-9a-f]{8}$/);
    expect(easemobUserId('张三')).not.toBe(easemobUserId('李四'));
    const long = easemobUserId(`${'a'.repeat(70)}`);
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^a{55}_[0-9a-f]{8}$/);
  });

  it('stops with exit 2 and names both source ids when two map to the same Easemob id, writing nothing', async () => {
    const dir = exportOf([record(1, 'Alice', 'bob'), record(2, 'alice', 'bob')]);
    const r = await convert(['--from', 'easemob', dir], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('users "Alice" and "alice" both map to "alice"');
    expect(r.stderr).toContain('--user-map');
    expect(r.lines).toEqual([]);
  });

  it('takes --user-map (CSV with a header) over the rule, which resolves the collision', async () => {
    const dir = exportOf([record(1, 'Alice', 'bob'), record(2, 'alice', 'bob'), record(3, 'bob', 'wei@corp')]);
    writeFileSync(join(dir, '..', 'users.csv'), 'source,easemob\nAlice,alice_upper\nwei@corp,wei\n');
    const r = await convert(['--from', 'easemob', dir, '--user-map', join(dir, '..', 'users.csv')], dir);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.from, l.target])).toEqual([['alice_upper', 'bob'], ['alice', 'bob'], ['bob', 'wei']]);
    expect(r.report.renamed_users.map).toEqual({ Alice: 'alice_upper', 'wei@corp': 'wei' });
  });
});

describe('map files', () => {
  const file = (name: string, text: string) => {
    const path = join(tempDir('easemob-import-map-'), name);
    writeFileSync(path, text);
    return path;
  };

  it('reads JSON objects and CSV with or without a header', () => {
    expect(loadIdMap(file('g.json', '{"@TGS#1":"123"}'), '--group-map', 'group')).toEqual(new Map([['@TGS#1', '123']]));
    expect(loadIdMap(file('g.csv', 'a,1\n"b,c",2\n'), '--group-map', 'group')).toEqual(new Map([['a', '1'], ['b,c', '2']]));
    expect(loadIdMap(file('g.csv', 'source,easemob\na,1\n'), '--group-map', 'group')).toEqual(new Map([['a', '1']]));
  });

  it('names the entry whose target Easemob would not accept', () => {
    expect(() => loadIdMap(file('g.csv', 'a,1\nb,not-a-group\n'), '--group-map', 'group')).toThrow(/row 2: "not-a-group" is not a numeric Easemob group id/);
    expect(() => loadIdMap(file('u.json', '{"x":"has space"}'), '--user-map', 'user')).toThrow(/"x": "has space" is not 1 to 64/);
    expect(() => loadIdMap(file('u.json', '{"x":'), '--user-map', 'user')).toThrow(/is not valid JSON/);
  });

  it('a missing map file is a usage error (exit 2), not a crash', async () => {
    const dir = exportOf([record(1, 'a', 'b')]);
    const r = await convert(['--from', 'easemob', dir, '--group-map', join(dir, 'nope.csv')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read --group-map .*nope\.csv: ENOENT/);
  });
});
