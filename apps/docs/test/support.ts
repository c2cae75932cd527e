// Shared by the tests: where the built site is and how to read the document each page renders.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const dist = join(root, 'dist');

export const PAGES = [
  { code: 'en', file: 'index.html', path: '', switchLabel: 'English' },
  { code: 'zh-CN', file: 'zh/index.html', path: 'zh/', switchLabel: '简体中文' },
] as const;

export interface CodeSample { lang: string; label: string; source: string }
export interface Operation { operationId: string; summary: string; path: string; 'x-codeSamples': CodeSample[]; [k: string]: unknown }

/** The OpenAPI document a built page embeds (Redoc's inline `__redoc_definition`). */
export function pageDefinition(file: string): any {
  const html = readFileSync(join(dist, file), 'utf8');
  const match = html.match(/const __redoc_definition = (.*);\n/);
  if (!match) throw new Error(`${file} embeds no __redoc_definition; was it built by redocly build-docs --inlineBundle?`);
  return JSON.parse(match[1]);
}

export function operations(doc: any): Operation[] {
  return Object.entries<any>(doc.paths).flatMap(([path, item]) =>
    Object.entries<any>(item)
      .filter(([method]) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
      .map(([, op]) => ({ ...op, path })),
  );
}

/** Follows local `#/...` refs. */
export function deref(doc: any, node: any): any {
  while (node?.$ref) node = node.$ref.slice(2).split('/').reduce((n: any, k: string) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  return node;
}

/** The operation's named request examples, in document order. */
export function requestExamples(doc: any, op: Operation): { name: string; summary: string; value: any }[] {
  const examples = deref(doc, op.requestBody)?.content?.['application/json']?.examples ?? {};
  return Object.entries<any>(examples).map(([name, ref]) => {
    const e = deref(doc, ref);
    return { name, summary: e.summary, value: e.value };
  });
}
