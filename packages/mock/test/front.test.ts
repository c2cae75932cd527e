// What the front server adds to Prism's answers: valid sl-violations JSON however many violations there are,
// and fresh message ids. (Content-Type handling and Easemob's wording are rows of the conformance table.)
import { describe, expect, inject, it } from 'vitest';
import { nextMessageId } from '../src/message-id.js';
import { trimViolations } from '../src/violations.js';

const url = () => `${inject('mockUrl')}/org/app/messages/users/import`;

function post(body: unknown) {
  return fetch(url(), {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the sl-violations header', () => {
  it('stays valid JSON past Prism\'s 8 KB cap, and says that some were left out', async () => {
    const body: Record<string, unknown> = { url: 'https://x/a.jpg' };
    for (let i = 0; i < 200; i++) body[`unknown_field_number_${i}`] = i;
    const res = await post({ from: 'u1', target: 'u2', type: 'img', body });
    expect(res.status).toBe(400);
    const header = res.headers.get('sl-violations')!;
    expect(header.length).toBeLessThan(8 * 1024);
    const list = JSON.parse(header) as { code: string; message: string; location: string[] }[];
    expect(list.at(-1)!.code).toBe('truncated');
    expect(list.slice(0, -1).every((v) => v.location.join('.') === 'request.body.body' && v.code === 'additionalProperties')).toBe(true);
  });

  it('salvages the complete entries of a header Prism cut off, and drops the branch selection\'s entry', () => {
    const entry = (i: number) => ({ location: ['request', 'body', 'body'], severity: 'Error', code: 'additionalProperties', message: `found 'f${i}' {x}` });
    const full = JSON.stringify([{ location: ['request', 'body'], code: 'if', message: 'must match "then" schema' }, ...Array.from({ length: 80 }, (_, i) => entry(i))]);
    const cut = `Too many violations! ${full.slice(0, 8 * 1024 - 100)}`;
    const list = JSON.parse(trimViolations(cut)) as { code: string }[];
    expect(list.filter((v) => v.code === 'if')).toEqual([]);
    expect(list.at(-1)!.code).toBe('truncated');
    expect(list.length).toBeGreaterThan(40);
  });

  it('lists a violation once', () => {
    const v = { location: ['request', 'body'], code: 'required', message: "must have required property 'body'" };
    expect(JSON.parse(trimViolations(JSON.stringify([v, v])))).toEqual([v]);
  });
});

describe('message ids', () => {
  it('are 19-digit strings that only increase, also within one millisecond', () => {
    const ids = [nextMessageId(1_700_000_000_000), nextMessageId(1_700_000_000_000), nextMessageId(1_699_999_999_999)];
    for (const id of ids) expect(id).toMatch(/^\d{19}$/);
    expect(BigInt(ids[1]) > BigInt(ids[0]) && BigInt(ids[2]) > BigInt(ids[1])).toBe(true);
    expect(BigInt(ids[0])).toBeGreaterThan(2n ** 53n);
  });
});
