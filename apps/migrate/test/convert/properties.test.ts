// Properties over generated Easemob exports (every body type, empty and oversized ones, many equal timestamps,
// records spread over files in any order, some gzipped): convert never writes a line validate rejects, never
// reorders a conversation, and accounts for every record (written or skipped with a reason).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../src/conversation.js';
import { easemobUserId } from '../../src/convert/ids.js';
import { tempDir } from '../support/fixtures.js';
import { convert, validate } from './support.js';

const USERS = ['alice', 'bob', 'Carol.W', 'dave@example.com', '张三'];
const GROUPS: Record<string, string> = { g1: '1000000001', g2: '1000000002' }; // g3 has no mapping

const url = fc.constantFrom('https://cdn.example.com/a.jpg', 'http://files.example.com/x/y.pdf?Expires=1&Signature=s', 'https://a1.easemob.com/o/a/chatfiles/123');
const body = fc.oneof(
  fc.record({ type: fc.constant('txt'), msg: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('x'.repeat(6000))) }),
  fc.record({ type: fc.constant('img'), url, filename: fc.string({ maxLength: 8 }), secret: fc.string({ maxLength: 8 }), size: fc.record({ width: fc.nat(4000), height: fc.nat(4000) }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('audio'), url, length: fc.nat(600), file_length: fc.nat() }, { requiredKeys: ['type', 'url'] }),
  fc.record({ type: fc.constant('video'), url, thumb: url, length: fc.nat(600), file_length: fc.nat(), thumb_secret: fc.string({ maxLength: 5 }) }, { requiredKeys: ['type', 'url'] }),
  fc.record({ type: fc.constant('file'), url, filename: fc.string({ maxLength: 8 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('loc'), lat: fc.double({ min: -90, max: 90, noNaN: true }), lng: fc.double({ min: -180, max: 180, noNaN: true }), addr: fc.string({ maxLength: 10 }) }),
  fc.record({ type: fc.constant('cmd'), action: fc.string({ maxLength: 10 }) }),
  fc.record({ type: fc.constant('custom'), customEvent: fc.string({ maxLength: 40 }), 'v2:customExts': fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 20 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('custom'), customExts: fc.array(fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.oneof(fc.string({ maxLength: 3 }), fc.integer())), { maxLength: 4 }) }),
  fc.record({ subType: fc.constant('sub_combine'), title: fc.string({ maxLength: 5 }), summary: fc.string({ maxLength: 10 }), url, combineLevel: fc.nat(3) }),
  fc.record({ type: fc.constant('poll'), question: fc.string() }),
);
const record = fc.record({
  offset: fc.nat(30), // few distinct timestamps: many ties
  chatType: fc.constantFrom('chat', 'chat', 'groupchat', 'chatroom'),
  from: fc.constantFrom(...USERS),
  to: fc.constantFrom(...USERS),
  group: fc.constantFrom('g1', 'g2', 'g3'),
  body,
  ext: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), { nil: undefined }),
  file: fc.nat(3),
  gzip: fc.boolean(),
});

describe('convert properties', () => {
  it('writes only lines validate accepts, keeps each conversation in (timestamp, file, record) order, accounts for every record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 40 }), async (records) => {
        const dir = tempDir('easemob-import-prop-');
        const exportDir = join(dir, 'export');
        const files: string[][] = [[], [], [], []];
        const gzip = [false, false, false, false];
        const expected: Array<{ id: string; key: string; ts: number; file: number; pos: number }> = [];
        records.forEach((r, i) => {
          const id = String(1e9 + i);
          const ts = 1656903600000 + r.offset;
          const to = r.chatType === 'groupchat' ? r.group : r.to;
          files[r.file].push(JSON.stringify({ msg_id: id, timestamp: ts, chat_type: r.chatType, payload: { from: r.from, to, bodies: [r.body], ...(r.ext && { ext: r.ext }) } }));
          gzip[r.file] ||= r.gzip;
          const key = r.chatType === 'groupchat' ? conversationKey('group', '', GROUPS[r.group] ?? '') : conversationKey('single', easemobUserId(r.from), easemobUserId(r.to));
          expected.push({ id: `easemob:${id}`, key, ts, file: r.file, pos: files[r.file].length });
        });
        writeFileSync(join(dir, 'groups.json'), JSON.stringify(GROUPS));
        const { mkdirSync } = await import('node:fs');
        mkdirSync(exportDir);
        files.forEach((lines, f) => {
          if (!lines.length) return;
          const text = `${lines.join('\n')}\n`;
          writeFileSync(join(exportDir, `f${f}`), gzip[f] ? gzipSync(text) : text);
        });

        const r = await convert(['--from', 'easemob', exportDir, '--group-map', join(dir, 'groups.json')], dir);
        expect(r.code === 0 || r.code === 1).toBe(true);
        if (r.lines.length) {
          const v = await validate(r.out);
          expect(v.summary.problems).toEqual([]);
          expect(v.code).toBe(0);
        }
        // Every record is written or skipped with a reason.
        const skipped = Object.values(r.report.skipped as Record<string, { count: number }>).reduce((n, s) => n + s.count, 0);
        expect(r.report.lines_written + skipped).toBe(records.length);
        // Each conversation keeps the order of (timestamp, file, position in file).
        const written = new Set(r.lines.map((l) => l.source_id));
        const order = [...expected].sort((a, b) => a.ts - b.ts || a.file - b.file || a.pos - b.pos);
        const byConversation = (items: Array<{ id: string; key: string }>) => {
          const m = new Map<string, string[]>();
          for (const it of items) m.set(it.key, [...(m.get(it.key) ?? []), it.id]);
          return m;
        };
        const got = byConversation(r.lines.map((l) => ({ id: l.source_id, key: conversationKey(l.chat_type, l.from, l.target) })));
        const want = byConversation(order.filter((e) => written.has(e.id)));
        expect(got).toEqual(want);
      }),
      { numRuns: 40 },
    );
  });

  it('Tencent: several elements per message, ties within a second ordered by MsgSeq, validate accepts every line', async () => {
    const element = fc.oneof(
      fc.record({ MsgType: fc.constant('TIMTextElem'), MsgContent: fc.record({ Text: fc.string({ maxLength: 10 }) }) }),
      fc.record({ MsgType: fc.constant('TIMFaceElem'), MsgContent: fc.record({ Index: fc.nat(100), Data: fc.string({ maxLength: 5 }) }) }),
      fc.record({ MsgType: fc.constant('TIMCustomElem'), MsgContent: fc.record({ Data: fc.string({ maxLength: 10 }), Desc: fc.string({ maxLength: 5 }) }) }),
      fc.record({ MsgType: fc.constant('TIMLocationElem'), MsgContent: fc.record({ Desc: fc.string({ maxLength: 5 }), Latitude: fc.double({ min: -90, max: 90, noNaN: true }), Longitude: fc.double({ min: -180, max: 180, noNaN: true }) }) }),
      fc.record({ MsgType: fc.constant('TIMImageElem'), MsgContent: fc.record({ UUID: fc.string({ maxLength: 4 }), ImageInfoArray: fc.array(fc.record({ Type: fc.integer({ min: 1, max: 3 }), URL: url, Width: fc.nat(100), Height: fc.nat(100) }), { maxLength: 3 }) }) }),
      fc.record({ MsgType: fc.constant('TIMSoundElem'), MsgContent: fc.record({ Url: url, Second: fc.nat(60) }, { requiredKeys: [] }) }),
      fc.record({ MsgType: fc.constant('TIMGroupTipElem'), MsgContent: fc.constant({}) }),
    );
    const message = fc.record({ second: fc.nat(5), seq: fc.nat(1000), from: fc.constantFrom(...USERS), to: fc.constantFrom(...USERS), body: fc.array(element, { maxLength: 4 }), file: fc.nat(2), stamp: fc.constantFrom('MsgTimestamp', 'MsgTimeStamp') });
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 30 }), async (messages) => {
        const dir = tempDir('easemob-import-prop-');
        const files: string[][] = [[], [], []];
        messages.forEach((m, i) => {
          const rec = { From_Account: m.from, To_Account: m.to, [m.stamp]: 1656903600 + m.second, MsgSeq: m.seq, MsgRandom: i, MsgKey: `k${i}`, MsgBody: m.body };
          files[m.file].push(`${JSON.stringify(rec)},`);
        });
        files.forEach((lines, f) => lines.length && writeFileSync(join(dir, `f${f}`), gzipSync(`${lines.join('\n')}\n`)));
        const r = await convert(['--from', 'tencent', dir], tempDir());
        if (r.lines.length) expect((await validate(r.out)).summary.problems).toEqual([]);
        // Per conversation: by second, then MsgSeq, then file and position; a message's own lines stay together in order.
        const pos = new Map<string, number[]>();
        files.forEach((lines, f) => lines.forEach((l, p) => pos.set(JSON.parse(l.slice(0, -1)).MsgKey, [f, p])));
        const rank = (id: string) => {
          const [, key, part] = /^tencent:([^#]+)(?:#(\d+))?$/.exec(id) ?? [];
          const m = messages[Number(key.slice(1))];
          return [m.second, m.seq, ...(pos.get(key) ?? []), Number(part ?? 1)];
        };
        const byConversation = new Map<string, string[]>();
        for (const l of r.lines) {
          const k = conversationKey(l.chat_type, l.from, l.target);
          byConversation.set(k, [...(byConversation.get(k) ?? []), l.source_id]);
        }
        for (const ids of byConversation.values()) {
          const sorted = [...ids].sort((a, b) => {
            const x = rank(a);
            const y = rank(b);
            for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
            return 0;
          });
          expect(ids).toEqual(sorted);
        }
      }),
      { numRuns: 30 },
    );
  });
});
