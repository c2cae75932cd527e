// The bundled contract, read the way the mock reads it, with `$ref`s to components resolved.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const bundle = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@easemob-import/spec/openapi.json'), 'utf8'));

export function deref<T = any>(node: any): T {
  while (node && typeof node.$ref === 'string') {
    node = node.$ref.slice(2).split('/').reduce((at: any, key: string) => at[key], bundle);
  }
  return node;
}

export const operations = {
  importUserMessage: bundle.paths['/{org_name}/{app_name}/messages/users/import'].post,
  importGroupMessage: bundle.paths['/{org_name}/{app_name}/messages/chatgroups/import'].post,
  getAppToken: bundle.paths['/{org_name}/{app_name}/token'].post,
};

/** `[name, value]` of every named example of a request or response object. */
export function examples(mediaOwner: any): [string, any][] {
  const media = deref(mediaOwner).content['application/json'];
  return Object.entries(media.examples ?? {}).map(([name, ex]) => [name, deref<{ value: any }>(ex).value]);
}
