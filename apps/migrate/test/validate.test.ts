import { describe, expect, it } from 'vitest';
import { conversationKey } from '../src/conversation.js';
import { MAX_DEPTH, structureProblem } from '../src/strict-json.js';
import { checkLine, formatProblem, LineChecker, MAX_CONTENT_BYTES, type Verdict } from '../src/validate.js';

const NOW = 1_700_000_000_000;
/** An early timestamp: history long before NOW. */
const T = 1_600_000_000_000;
const txt = (extra: Record<string, unknown> = {}) => ({ chat_type: 'single', from: 'a', target: 'b', type: 'txt', body: { msg: 'hi' }, msg_timestamp: NOW - 1000, ...extra });
const fields = (v: Verdict) => (v.ok ? [] : v.problems.map((p) => p.field));
const messages = (v: Verdict) => (v.ok ? [] : v.problems.map((p) => `${p.field} ${p.message}`));

describe('conversation keys', () => {
  it('single chat is the unordered pair, groups are their id, and the two never mix', () => {
    expect(conversationKey('single', 'a', 'b')).toBe(conversationKey('single', 'b', 'a'));
    expect(conversationKey('single', 'a', 'b')).not.toBe(conversationKey('single', 'a', 'c'));
    expect(conversationKey('group', 'a', '1')).toBe(conversationKey('group', 'b', '1'));
    expect(conversationKey('group', 'x', '1')).not.toBe(conversationKey('single', 'x', '1'));
    // ids containing separators cannot collide
    expect(conversationKey('single', 'a b', 'c')).not.toBe(conversationKey('single', 'a', 'b c'));
  });
});

describe('LineChecker', () => {
  it('accepts a good line, strips the CLI fields from the request and defaults source_id to the line number', () => {
    const v = new LineChecker({ now: NOW }).check(7, txt({ _error: { status: 500 } }));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.sourceId).toBe('7');
    expect(v.message).toEqual({ from: 'a', target: 'b', type: 'txt', body: { msg: 'hi' }, msg_timestamp: NOW - 1000 });
  });

  it('requires chat_type and checks source_id', () => {
    const c = new LineChecker({ now: NOW });
    expect(messages(c.check(1, txt({ chat_type: undefined })))).toEqual(['/chat_type is required ("single" or "group")']);
    expect(messages(c.check(2, txt({ chat_type: 'room' })))).toEqual(['/chat_type must be "single" or "group"']);
    expect(fields(c.check(3, txt({ source_id: 5 })))).toEqual(['/source_id']);
  });

  it('rejects a duplicate source_id, naming the first line', () => {
    const c = new LineChecker({ now: NOW });
    expect(c.check(1, txt({ source_id: 'x', msg_timestamp: NOW - 10 })).ok).toBe(true);
    expect(messages(c.check(2, txt({ source_id: 'x', from: 'c' })))).toEqual(['/source_id "x" is already used by line 1']);
    // an explicit id equal to another line's default id is a duplicate too
    expect(c.check(3, txt({ from: 'd' })).ok).toBe(true);
    expect(messages(c.check(4, txt({ source_id: '3', from: 'e' })))[0]).toMatch(/already used by line 3/);
  });

  it('requires msg_timestamp, not in the future, strictly increasing per conversation', () => {
    const c = new LineChecker({ now: NOW });
    expect(messages(c.check(1, txt({ msg_timestamp: undefined })))[0]).toMatch(/^\/msg_timestamp is required/);
    expect(messages(c.check(2, txt({ msg_timestamp: NOW + 1 })))[0]).toMatch(/^\/msg_timestamp is in the future/);
    expect(c.check(3, txt({ msg_timestamp: T + 2000 })).ok).toBe(true);
    // b->a is the same conversation as a->b
    expect(messages(c.check(4, txt({ from: 'b', target: 'a', msg_timestamp: T + 2000 })))[0]).toContain(`must be greater than ${T + 2000}, the timestamp of line 3`);
    expect(c.check(5, txt({ from: 'b', target: 'a', msg_timestamp: T + 2001 })).ok).toBe(true);
    // another conversation has its own clock; a group too
    expect(c.check(6, txt({ target: 'z', msg_timestamp: T + 1500 })).ok).toBe(true);
    expect(c.check(7, txt({ chat_type: 'group', target: '1', msg_timestamp: T + 1500 })).ok).toBe(true);
  });

  it('an invalid line does not advance its conversation: the next line is judged against the last valid one', () => {
    const c = new LineChecker({ now: NOW });
    expect(c.check(1, txt({ msg_timestamp: T + 2000 })).ok).toBe(true);
    expect(c.check(2, txt({ msg_timestamp: T + 5000, body: {} })).ok).toBe(false);
    expect(c.check(3, txt({ msg_timestamp: T + 3000 })).ok).toBe(true);
  });

  it('--fix-timestamps raises equal or earlier timestamps by the least amount and says from what', () => {
    const c = new LineChecker({ now: NOW, fixTimestamps: true });
    expect(c.check(1, txt({ msg_timestamp: T + 5000 })).ok).toBe(true);
    const same = c.check(2, txt({ msg_timestamp: T + 5000 }));
    const earlier = c.check(3, txt({ msg_timestamp: T + 4000 }));
    const later = c.check(4, txt({ msg_timestamp: T + 9000 }));
    expect(same.ok && [same.message.msg_timestamp, same.fixedFrom]).toEqual([T + 5001, T + 5000]);
    expect(earlier.ok && [earlier.message.msg_timestamp, earlier.fixedFrom]).toEqual([T + 5002, T + 4000]);
    expect(later.ok && [later.message.msg_timestamp, later.fixedFrom]).toEqual([T + 9000, undefined]);
    // the parsed original keeps the file's value (it is what failed.jsonl would show)
    expect(same.ok && same.original.msg_timestamp).toBe(T + 5000);
  });

  it('limits body plus ext to 5 KB of UTF-8, counting a stamped ext', () => {
    const c = new LineChecker({ now: NOW, stampExt: 'source' });
    const big = 'x'.repeat(MAX_CONTENT_BYTES - 40);
    expect(c.check(1, txt({ body: { msg: big }, msg_timestamp: T + 2000 })).ok).toBe(true);
    const v = c.check(2, txt({ body: { msg: big }, ext: { pad: 'y'.repeat(50) }, msg_timestamp: T + 3000 }));
    expect(messages(v)[0]).toMatch(/^\/body and \/ext together are \d+ bytes; Easemob accepts at most 5120/);
    const cjk = c.check(3, txt({ body: { msg: '中'.repeat(2000) }, msg_timestamp: T + 4000 })); // 6000 bytes, 2000 characters
    expect(fields(cjk)).toEqual(['/body']);
  });

  it('--stamp-ext writes the source id into ext without touching the original', () => {
    const c = new LineChecker({ now: NOW, stampExt: 'legacy_id' });
    const v = c.check(1, txt({ source_id: 'm-1', ext: { a: 1 } }));
    expect(v.ok && v.message.ext).toEqual({ a: 1, legacy_id: 'm-1' });
    expect(v.ok && v.original.ext).toEqual({ a: 1 });
  });

  it('requires absolute http(s) attachment URLs', () => {
    const c = new LineChecker({ now: NOW });
    const img = (url: string, i: number) => c.check(i, { chat_type: 'group', from: 'a', target: '1', type: 'img', body: { url }, msg_timestamp: T + 2000 + i });
    expect(img('https://cdn.example.com/a.jpg', 1).ok).toBe(true);
    expect(messages(img('/relative/a.jpg', 2))).toEqual([expect.stringMatching(/^\/body\/url must (be an absolute http\(s\) URL|match pattern "\^https\?:\/\/")$/)]);
    expect(fields(img('ftp://x/a.jpg', 3))).toEqual(['/body/url']);
    const video = c.check(4, { chat_type: 'group', from: 'a', target: '1', type: 'video', body: { url: 'https://x/v.mp4', thumb: 'thumb.jpg' }, msg_timestamp: T + 9000 });
    expect(fields(video)).toEqual(['/body/thumb']);
  });

  it('schema problems name the field; checkLine reports bad JSON; formatProblem gives file:line', () => {
    const c = new LineChecker({ now: NOW });
    const v = checkLine(c, { line: 3, text: JSON.stringify(txt({ body: { msg: '' } })) });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(formatProblem('in.jsonl', v.line, v.problems[0])).toBe('in.jsonl:3: /body/msg must NOT have fewer than 1 characters');
    const bad = checkLine(c, { line: 4, text: '{"chat_type":' });
    expect(!bad.ok && formatProblem('in.jsonl', 4, bad.problems[0])).toMatch(/^in.jsonl:4: line is not valid JSON/);
    const arr = checkLine(c, { line: 5, text: '[1,2]' });
    expect(!arr.ok && arr.problems[0].message).toBe('line is not a JSON object');
  });

  it('refuses timestamps in seconds, saying so', () => {
    const c = new LineChecker({ now: NOW });
    const v = c.check(1, txt({ msg_timestamp: 1_656_906_628 }));
    expect(!v.ok && v.problems).toEqual([{ field: '/msg_timestamp', kind: 'seconds', message: expect.stringMatching(/^is 1656906628, which looks like seconds .*multiply by 1000$/) }]);
    expect(c.check(2, txt({ msg_timestamp: 100_000_000_000 })).ok).toBe(true); // March 1973 in milliseconds
  });
});

describe('what is validated is what is sent', () => {
  const check = (text: string) => checkLine(new LineChecker({ now: NOW }), { line: 9, text });
  const good = JSON.stringify(txt());
  const problem = (text: string) => {
    const v = check(text);
    return v.ok ? 'valid' : formatProblem('in.jsonl', v.line, v.problems[0]);
  };

  it('a nested ext of any depth is a file:line error, not a stack overflow', () => {
    const deep = good.replace('"body"', `"ext":${'{"a":'.repeat(6000)}1${'}'.repeat(6000)},"body"`);
    expect(deep.length).toBeLessThan(50_000);
    expect(problem(deep)).toBe(`in.jsonl:9: /ext is nested more than ${MAX_DEPTH} levels deep`);
    const arrays = good.replace('"body"', `"ext":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}},"body"`);
    expect(problem(arrays)).toBe(`in.jsonl:9: /ext is nested more than ${MAX_DEPTH} levels deep`);
    // as deep as allowed is fine (and valid by the schema)
    const ok = good.replace('"body"', `"ext":${'{"a":'.repeat(MAX_DEPTH - 1)}1${'}'.repeat(MAX_DEPTH - 1)},"body"`);
    expect(problem(ok)).toBe('valid');
  });

  it('a key given twice, at any depth, is an error naming it', () => {
    expect(problem(good.replace('"from":"a"', '"from":"a","from":"mallory"'))).toBe('in.jsonl:9: /from is given twice in the same object (keep one)');
    expect(problem(good.replace('"body":{"msg":"hi"}', '"body":{"msg":"hi","m\\u0073g":"ho"}'))).toBe('in.jsonl:9: /body/msg is given twice in the same object (keep one)');
    expect(problem(good.replace('"body"', '"ext":{"list":[{"k":1},{"k":2,"k":3}]},"body"'))).toBe('in.jsonl:9: /ext/list/1/k is given twice in the same object (keep one)');
    // the same key in different objects, and keys inside strings, are fine
    expect(problem(good.replace('"body"', '"ext":{"list":[{"k":1},{"k":2}],"s":"\\"k\\":1,\\"k\\":2","a/b":{"a/b":1}},"body"'))).toBe('valid');
  });

  it('a __proto__ key is an error, wherever it is', () => {
    expect(problem(good.replace('{', '{"__proto__":{"ext":{"x":1}},'))).toMatch(/^in.jsonl:9: \/__proto__ is not accepted as a key/);
    expect(problem(good.replace('"body"', '"ext":{"__proto__":{"a":1}},"body"'))).toMatch(/^in.jsonl:9: \/ext\/__proto__ is not accepted/);
  });

  it('never flags a value JSON.stringify wrote (seeded random values with quotes, backslashes and brackets in keys and strings)', () => {
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['a', 'b', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', '中', '\u0000', '~', '/'];
    const str = () => Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 5 || r < 0.3) return [str(), 1.5, null, true][Math.floor(random() * 4)];
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 5); i > 0; i--) o[str()] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 2000; i++) {
      const text = JSON.stringify({ v: value(0) });
      expect(structureProblem(text), text).toBeUndefined();
      // the same text with its first key repeated is caught
      const dup = text.replace('{"v":', '{"v":0,"v":');
      expect(structureProblem(dup)?.message, dup).toBe('is given twice in the same object (keep one)');
    }
  });

  it('a line of whitespace JSON does not allow is an error saying so', () => {
    expect(problem('\u00a0')).toMatch(/^in.jsonl:9: line holds only whitespace that JSON does not allow/);
  });
});
