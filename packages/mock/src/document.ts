// The document Prism serves: the spec, with each discriminated `oneOf` rewritten so that Prism reports the
// violations of the one branch the tag selects. Prism ignores `discriminator`, so a typo in an image body would
// otherwise list the violations of all eight message types.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function resolve(doc: Json, node: Json): Json {
  while (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    node = node.$ref
      .slice(2)
      .split('/')
      .map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((at: Json, key: string) => at?.[key], doc);
  }
  return node;
}

/**
 * `oneOf: [A, B]` with `discriminator: {propertyName: type, mapping: {a: A, b: B}}` becomes
 * `allOf: [{if: {type: a}, then: A}, {if: {type: b}, then: B}]` with `type` required and limited to the tags, and
 * the fields every branch requires required up front. For a document whose branches each pin the tag with `const`
 * (as the spec's do), both accept exactly the same bodies.
 */
export function selectBranchByTag(doc: Json): Json {
  const copy = structuredClone(doc);
  for (const schema of Object.values<Json>(copy.components?.schemas ?? {})) {
    const { oneOf, discriminator } = schema ?? {};
    if (!Array.isArray(oneOf) || !discriminator?.mapping) continue;
    const tag: string = discriminator.propertyName;
    const branches = Object.entries<string>(discriminator.mapping);
    const requiredByAll = oneOf
      .map((b: Json) => resolve(copy, b)?.required ?? [])
      .reduce((common: string[], req: string[]) => common.filter((f) => req.includes(f)));
    delete schema.oneOf;
    delete schema.discriminator;
    schema.type ??= 'object';
    schema.required = [...new Set([tag, ...requiredByAll, ...(schema.required ?? [])])];
    schema.properties = { ...schema.properties, [tag]: { enum: branches.map(([value]) => value) } };
    schema.allOf = [
      ...(schema.allOf ?? []),
      ...branches.map(([value, ref]) => ({ if: { properties: { [tag]: { const: value } }, required: [tag] }, then: { $ref: ref } })),
    ];
  }
  return copy;
}

/** Reads the paths that take a discriminated body, as regular expressions over request paths. */
export function discriminatedPaths(doc: Json): RegExp[] {
  const found: RegExp[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const op of Object.values<Json>(item)) {
      const schema = resolve(doc, resolve(doc, op?.requestBody)?.content?.['application/json']?.schema);
      if (!schema?.discriminator) continue;
      found.push(new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`));
    }
  }
  return found;
}

export interface ServedDocument {
  /** The original document, parsed. */
  doc: Json;
  /** The file Prism serves. */
  path: string;
  /** Removes the rewritten copy, if one was written. */
  remove(): void;
}

/**
 * A JSON document is rewritten into a temporary file; any other (YAML) document is served as it is, since
 * reading YAML here would add a parser for documents this package does not ship.
 */
export function serveDocument(path: string): ServedDocument {
  if (!path.endsWith('.json')) return { doc: {}, path, remove: () => {} };
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'easemob-import-mock-'));
  const served = join(dir, 'openapi.json');
  writeFileSync(served, JSON.stringify(selectBranchByTag(doc)));
  return { doc, path: served, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
