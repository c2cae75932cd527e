// Reads operations and their named examples from the bundled spec, following local $refs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const path = createRequire(import.meta.url).resolve('@easemob-import/spec/openapi.json');
export const bundle: Json = JSON.parse(readFileSync(path, 'utf8'));

function deref(node: Json): Json {
  while (node && typeof node.$ref === 'string') {
    node = node.$ref
      .slice(2)
      .split('/')
      .map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((at: Json, key: string) => at[key], bundle);
  }
  return node;
}

function examplesOf(content: Json): Record<string, unknown> {
  const examples = deref(content)?.['application/json']?.examples ?? {};
  return Object.fromEntries(Object.entries(examples).map(([name, ex]) => [name, deref(ex).value]));
}

export interface Operation {
  method: string;
  path: string;
  /** Whether the operation needs a bearer token. */
  secured: boolean;
  requestExamples: Record<string, unknown>;
  /** status -> example name -> value, in document order. */
  responses: Record<string, Record<string, unknown>>;
}

export function operation(operationId: string): Operation {
  for (const [path, item] of Object.entries<Json>(bundle.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (op?.operationId !== operationId) continue;
      const security = op.security ?? bundle.security ?? [];
      return {
        method: method.toUpperCase(),
        path,
        secured: security.length > 0 && !security.some((s: Json) => Object.keys(s).length === 0),
        requestExamples: examplesOf(deref(op.requestBody).content),
        responses: Object.fromEntries(
          Object.entries<Json>(op.responses).map(([status, r]) => [status, examplesOf(deref(r).content)]),
        ),
      };
    }
  }
  throw new Error(`operation ${operationId} is not in the bundle`);
}
