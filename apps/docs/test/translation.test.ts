// The Chinese overlay: its checks, and Redocly applying it. A missing translation or a target that no longer
// exists must fail the build with a message that says what to add or fix.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { query } from 'jsonpath-rfc9535';
import { parse, stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { LANGUAGES, englishDocument, translate } from '../scripts/build.mjs';
import { collectTexts, staleActions, stubActions, toJsonPath, untranslated } from '../src/i18n.mjs';

const overlayPath = LANGUAGES.find((l: any) => l.code === 'zh-CN').overlay as string;
const overlay = () => parse(readFileSync(overlayPath, 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'docs-overlay-test-'));
const writeOverlay = (name: string, o: any) => {
  const file = join(tmp, name);
  writeFileSync(file, stringify(o));
  return file;
};
const IMAGE_URL = "$.components.schemas.ImageBody.properties.url";

describe('checks', () => {
  test('JSONPath targets use bracket notation where RFC 9535 needs it, and resolve', () => {
    const en = englishDocument();
    const path = toJsonPath(['paths', '/{org_name}/{app_name}/token', 'post', 'x-rate-limit']);
    expect(path).toBe("$.paths['/{org_name}/{app_name}/token'].post['x-rate-limit']");
    expect(query(en, path)).toEqual([en.paths['/{org_name}/{app_name}/token'].post['x-rate-limit']]);
  });

  test('prose is collected; example payloads, schema examples and code samples are not', () => {
    const texts = collectTexts({
      info: { title: 'T', description: 'D' },
      components: {
        examples: { A: { summary: 'S', value: { description: 'payload field' } } },
        schemas: { B: { description: 'schema', examples: [{ summary: 'data' }] } },
      },
      'x-codeSamples': [{ description: 'no' }],
    });
    expect(texts.map((t) => `${toJsonPath(t.segments)} ${t.key}`)).toEqual([
      '$.info title',
      '$.info description',
      '$.components.examples.A summary',
      '$.components.schemas.B description',
    ]);
  });

  test('the committed overlay has no stale action', () => {
    expect(staleActions(englishDocument(), overlay())).toEqual([]);
  });

  test('stale actions are reported: no match, text the English no longer has, removals, bad JSONPath', () => {
    const en = { info: { title: 'T' }, components: { schemas: { A: { type: 'string' } } } };
    const problems = staleActions(en, {
      actions: [
        { target: '$.components.schemas.Gone', update: { description: '没了' } },
        { target: '$.components.schemas.A', update: { description: '新增' } },
        { target: '$.info', remove: true },
        { target: 'components..[', update: { description: '错' } },
        { target: '$.info', update: { title: '标题' } },
        { target: '$.components.schemas.A', update: { type: 'number', 'x-displayName': '甲' } },
      ],
    });
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/Gone.*matches nothing/);
    expect(problems[1]).toMatch(/`description`.*no longer has/);
    expect(problems[2]).toMatch(/only updates/);
    expect(problems[3]).toMatch(/not a valid JSONPath/);
    expect(problems[4]).toMatch(/changes `type`; a translation changes only description, summary, title, x-displayName/);
  });

  test('untranslated: missing, still English, no Chinese characters, tags without a display name', () => {
    const en = { info: { title: 'API', summary: 'S', description: 'D' }, tags: [{ name: 'T', description: 'tag' }], paths: {} };
    const zh = { info: { title: 'API', summary: 'Résumé' }, tags: [{ name: 'T', description: '标签' }], paths: {} };
    const missing = untranslated(en, zh).map((m) => `${toJsonPath(m.segments)} ${m.key}`);
    expect(missing).toEqual(['$.info title', '$.info summary', '$.info description', '$.tags[0] x-displayName']);
  });
});

describe('applied by Redocly', () => {
  test('the committed overlay translates every text of the docs', async () => {
    const zh = await translate(englishDocument(), overlayPath);
    expect(zh.info.title).toBe('环信即时通讯 IM 消息导入 API');
    expect(zh.paths['/{org_name}/{app_name}/messages/users/import'].post.summary).toBe('导入单聊消息');
    expect(zh.tags.map((t: any) => t['x-displayName'])).toEqual(['消息导入', '鉴权']);
    // Only prose changes: without it, the two documents (paths, schemas, examples) are identical.
    const withoutProse = (doc: any) =>
      JSON.parse(JSON.stringify(doc, (key, value) => (['description', 'summary', 'title', 'x-displayName'].includes(key) && typeof value === 'string' ? undefined : value)));
    expect(withoutProse(zh)).toEqual(withoutProse(englishDocument()));
  });

  test('a missing translation fails with a ready-to-paste action that, once translated, passes', async () => {
    const o = overlay();
    o.actions = o.actions.filter((a: any) => a.target !== IMAGE_URL);
    const error = await translate(englishDocument(), writeOverlay('missing.yaml', o)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('1 English text(s) without a zh-CN counterpart');
    expect(error.message).toContain(`target: "${IMAGE_URL}"`);
    expect(error.message).toContain('# Absolute http(s) URL of the image.');

    const stub = parse(error.message.slice(error.message.indexOf('  - target:')));
    expect(stub).toEqual([{ target: IMAGE_URL, update: { description: 'TODO' } }]);
    stub[0].update.description = '图片的 http(s) 绝对 URL。';
    o.actions.push(...stub);
    await expect(translate(englishDocument(), writeOverlay('fixed.yaml', o))).resolves.toBeTruthy();
  });

  test('an action whose target was renamed away fails the build', async () => {
    const o = overlay();
    o.actions.find((a: any) => a.target === IMAGE_URL).target = '$.components.schemas.ImageBody.properties.link';
    await expect(translate(englishDocument(), writeOverlay('renamed.yaml', o))).rejects.toThrow(
      /properties\.link\): matches nothing[\s\S]*1 English text\(s\) without/,
    );
  });

  test('English text removed from the spec makes its translation stale', async () => {
    const en = englishDocument();
    delete en.components.schemas.ImageBody.properties.url.description;
    await expect(translate(en, overlayPath)).rejects.toThrow(/properties\.url\): translates `description`, which the English document no longer has/);
  });
});

test('stub actions group texts by target', () => {
  const yaml = stubActions([
    { segments: ['info'], key: 'title', text: 'A\ntitle' },
    { segments: ['info'], key: 'summary', text: 'S' },
  ]);
  expect(parse(yaml)).toEqual([{ target: '$.info', update: { title: 'TODO', summary: 'TODO' } }]);
});
