// JSON Schema validation of one import request body against the spec's `ImportMessage` (one-to-one) or
// `GroupImportMessage` (group: the same messages, with a numeric group id as `target`), with ajv's draft
// 2020-12 class (OpenAPI 3.1 schemas are 2020-12). Errors are flattened to "field: message" pairs.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { componentSchemas, type ChatType } from './spec.js';

export interface Problem {
  /** JSON pointer of the offending field in the input line, e.g. `/body/msg`; empty for the whole line. */
  field: string;
  message: string;
  /** A mistake that usually repeats on every line (validate names it once): timestamps in seconds. */
  kind?: 'seconds';
}

const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv2020) => void;

const REQUEST_SCHEMAS = { single: 'ImportMessage', group: 'GroupImportMessage' } as const;

/** Compiles the validators once; the returned function is reused for every line. */
export function createSchemaValidator(): (message: unknown, chatType?: ChatType) => Problem[] {
  const schemas = componentSchemas();
  let tags: string[] = [];
  for (const name of Object.values(REQUEST_SCHEMAS)) {
    const union = schemas[name] as { type?: string; discriminator?: { propertyName: string; mapping?: Record<string, string> } };
    tags = Object.keys(union.discriminator?.mapping ?? {});
    // ajv implements OpenAPI's discriminator (so an error names the one variant `type` selects) but not `mapping`;
    // every variant pins `type` with `const`, which is all ajv needs.
    if (union.discriminator) delete union.discriminator.mapping;
    union.type ??= 'object'; // strict mode wants the type a discriminator applies to stated
  }

  // strictRequired off: `anyOf: [{required: [a]}, {required: [b]}]` ("at least one of") names properties
  // declared by the enclosing schema, which is standard JSON Schema that strict mode would refuse.
  const ajv = new Ajv2020({ allErrors: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  // `components` is OpenAPI, not JSON Schema: declare it so strict mode accepts the wrapper document.
  ajv.addKeyword({ keyword: 'components' });
  ajv.addSchema({ $id: 'urn:easemob-import:spec', components: { schemas } });
  const single = ajv.compile({ $ref: 'urn:easemob-import:spec#/components/schemas/ImportMessage' });
  const group = ajv.compile({ $ref: 'urn:easemob-import:spec#/components/schemas/GroupImportMessage' });

  return (message, chatType = 'single') => {
    const validate = chatType === 'group' ? group : single;
    return validate(message) ? [] : describe(validate.errors ?? [], tags);
  };
}

function describe(errors: ErrorObject[], tags: string[]): Problem[] {
  // A failed `oneOf` (e.g. a coordinate that is neither a decimal string nor a number) also reports each branch;
  // fold the branches into the one problem at the `oneOf`'s field.
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject) =>
    oneOfs.some((o) => o !== e && e.schemaPath.startsWith(o.schemaPath.slice(0, -'oneOf'.length)) && e.instancePath === o.instancePath);
  const problems: Problem[] = [];
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && inBranch(e)) continue;
    problems.push(problem(e, errors, tags));
  }
  // The same problem can come from several paths of the schema; say it once.
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.field + p.message) && seen.add(p.field + p.message));
}

function problem(e: ErrorObject, all: ErrorObject[], tags: string[]): Problem {
  const at = e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { field: `${at}/${p.missingProperty}`, message: 'is required' };
    case 'additionalProperties':
      return { field: `${at}/${p.additionalProperty}`, message: 'is not a known field' };
    case 'discriminator':
      return p.tagValue === undefined
        ? { field: `${at}/${p.tag}`, message: 'is required' }
        : { field: `${at}/${p.tag}`, message: `must be one of ${tags.join(', ')} (got ${JSON.stringify(p.tagValue)})` };
    case 'oneOf': {
      const branches = all.filter((b) => b !== e && b.instancePath === at && b.schemaPath.startsWith(e.schemaPath.slice(0, -'oneOf'.length)));
      const options = branches.map((b) => b.message).filter(Boolean);
      return { field: at, message: options.length ? `must satisfy one of: ${options.join('; ')}` : (e.message ?? 'is invalid') };
    }
    default:
      return { field: at, message: e.message ?? 'is invalid' };
  }
}
