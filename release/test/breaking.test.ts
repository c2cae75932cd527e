import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakingChanges, gate } from '../src/breaking.mjs';
import { typedBreaks } from '../src/typed-breaks.mjs';

const root = join(import.meta.dirname, '..', '..');
const read = (p: string) => JSON.parse(readFileSync(join(root, p), 'utf8'));
const current = read('spec/dist/openapi.json');
const released = read('release/baseline/openapi.json');
const schemas = (doc: any) => doc.components.schemas;
const tokenPath = '/{org_name}/{app_name}/token';

const breaking: [string, (doc: any) => void][] = [
  ['an operation removed', (d) => delete d.paths[tokenPath]],
  ['a message type (enum value) removed', (d) => schemas(d).ImportMessage.oneOf.pop()],
  ['a request field removed', (d) => delete schemas(d).VideoBody.properties.thumb],
  ['a request field newly required', (d) => schemas(d).ImageBody.required.push('filename')],
  ['a request field type changed', (d) => (schemas(d).AudioBody.properties.length.type = 'string')],
  ['a request constraint tightened', (d) => (schemas(d).TextBody.properties.msg.maxLength = 100)],
  ['a response field removed', (d) => delete schemas(d).TokenResponse.properties.expires_in],
  ['a response narrowed', (d) => (schemas(d).ImportResult.properties.msg_id.maxLength = 10)],
  ['a response field type changed', (d) => (schemas(d).ImportResult.properties.msg_id.type = 'integer')],
];
const additive: [string, (doc: any) => void][] = [
  ['an optional request field added', (d) => (schemas(d).FileBody.properties.size = { type: 'integer' })],
  ['a response field added', (d) => (schemas(d).ImportResult.properties.seq = { type: 'string' })],
  ['a request constraint relaxed', (d) => delete schemas(d).TextBody.properties.msg.maxLength],
  ['a description changed', (d) => (schemas(d).TextBody.description = 'Text.')],
  ['a shared response description changed', (d) => (d.components.responses.BadRequest.description = 'Bad request.')],
];

// What breaks a typed caller's build, checked by the TypeScript compiler: [name, before, after, expected finding].
const errorCode = (values: string[]) => (d: any) => (schemas(d).ErrorBody.properties.error.enum = values);
const typed: [string, (doc: any) => void, (doc: any) => void, RegExp][] = [
  [
    'a response field becomes optional',
    () => {},
    (d) => (schemas(d).ImportResult.required = schemas(d).ImportResult.required.filter((f: string) => f !== 'msg_id')),
    /^importUserMessage response 200 \(application\/json\): data\.msg_id: /,
  ],
  // A caller that switches exhaustively over the old values has no branch for the new one: breaking.
  [
    'a response enum gains a value',
    errorCode(['illegal_argument', 'reach_limit']),
    errorCode(['illegal_argument', 'reach_limit', 'resource_limited']),
    /^importUserMessage response 429 \(application\/json\): error: Type '"resource_limited"' is not assignable/,
  ],
  [
    'a request field becomes required',
    () => {},
    (d) => schemas(d).ImageBody.required.push('filename'),
    /^importGroupMessage request body \(application\/json\): body\.filename: /,
  ],
];

function changed(mutate: (doc: any) => void) {
  const doc = structuredClone(current);
  mutate(doc);
  return doc;
}

/** A scratch folder with a .changeset directory holding the given changeset files. */
function changesetDir(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'changesets-'));
  mkdirSync(join(dir, '.changeset'));
  writeFileSync(join(dir, '.changeset', 'config.json'), '{}');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, '.changeset', name), text);
  return dir;
}

describe('breaking-change rules', () => {
  it.each(breaking)('catches %s', async (_name, mutate) => {
    expect(await breakingChanges(current, changed(mutate))).not.toEqual([]);
  });

  it.each(additive)('lets %s pass', async (_name, mutate) => {
    expect(await breakingChanges(current, changed(mutate))).toEqual([]);
  });
});

describe('typed callers', () => {
  it.each(typed)('%s fails to type-check, named by operation and field', async (_name, before, after, finding) => {
    const old = changed(before);
    const breaks = await typedBreaks(old, changed((d) => (before(d), after(d))));
    expect(breaks).toContainEqual(expect.stringMatching(finding));
    expect(await breakingChanges(old, changed((d) => (before(d), after(d))))).toEqual(expect.arrayContaining(breaks));
  });

  it('finds nothing between a bundle and itself', async () => {
    expect(await typedBreaks(current, current)).toEqual([]);
  });
});

describe('gate', () => {
  const removed = changed((d) => delete d.paths[tokenPath]);

  it('blocks a break without a major changeset', async () => {
    const cwd = changesetDir({ 'minor.md': '---\n"@easemob-import/spec": minor\n---\n\nAdd a field.\n' });
    expect(await gate({ released: current, current: removed, cwd })).not.toEqual([]);
  });

  it('lets a break through with a pending major changeset for the contract', async () => {
    const cwd = changesetDir({ 'major.md': '---\n"@easemob-import/spec": major\n---\n\nRemove the token operation.\n' });
    expect(await gate({ released: current, current: removed, cwd })).toEqual([]);
  });

  it('passes the current bundle against the last released one', async () => {
    expect(await gate({ released, current, cwd: root })).toEqual([]);
  });
});
