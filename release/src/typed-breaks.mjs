// What breaks typed callers: the client's types (openapi-typescript, as the client generates them) for the
// released and the current bundle, and the TypeScript compiler as the judge. Per operation, every old request
// must still be assignable to the new request type, and every new response to the old response type (per status
// code and media type). One program checks every operation.
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const options = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  lib: ['lib.es2022.d.ts'],
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};
const libFiles = new Map(); // parsed once per process: most of a program's cost

/** The changes from `before` to `after` that fail to type-check for a caller, one line each. */
export async function typedBreaks(before, after) {
  const [oldTypes, newTypes] = await Promise.all([generate(before), generate(after)]);
  const checks = assignments(before, after);
  const source = [
    "import type { operations as Old } from './old';",
    "import type { operations as New } from './new';",
    ...checks.map((c, i) => `declare const from${i}: ${c.from}; const to${i}: ${c.to} = from${i};`),
  ].join('\n');
  const files = new Map([['/check/old.d.ts', oldTypes], ['/check/new.d.ts', newTypes], ['/check/check.ts', source]]);
  const program = ts.createProgram(['/check/check.ts'], options, host(files));
  const checkFile = program.getSourceFile('/check/check.ts');
  return program.getSemanticDiagnostics(checkFile).map((d) => {
    const line = checkFile.getLineAndCharacterOfPosition(d.start).line - 2; // after the two imports
    if (!checks[line]) throw new Error(`generated types do not compile: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    return `${checks[line].what}: ${explain(d.messageText)}`;
  });
}

async function generate(doc) {
  return astToString(await openapiTS(structuredClone(doc)));
}

/** One assignment per request part and per response (status, media type) that both versions have. */
function assignments(before, after) {
  const checks = [];
  const newOps = operationsById(after);
  for (const [id, oldOp] of operationsById(before)) {
    const newOp = newOps.get(id);
    if (!newOp) continue; // a removed operation is api-smart-diff's finding
    const Old = `Old['${id}']`;
    const New = `New['${id}']`;
    if (oldOp.parameters?.length || newOp.parameters?.length) {
      checks.push({ what: `${id} request parameters`, from: `${Old}['parameters']`, to: `${New}['parameters']` });
    }
    const oldBody = deref(before, oldOp.requestBody)?.content ?? {};
    const newBody = deref(after, newOp.requestBody)?.content ?? {};
    for (const media of Object.keys(oldBody).filter((m) => m in newBody)) {
      const part = (side) => `NonNullable<${side}['requestBody']>['content']['${media}']`;
      checks.push({ what: `${id} request body (${media})`, from: part(Old), to: part(New) });
    }
    for (const [status, oldResponse] of Object.entries(oldOp.responses ?? {})) {
      const oldContent = deref(before, oldResponse).content ?? {};
      const newContent = deref(after, newOp.responses?.[status])?.content ?? {};
      for (const media of Object.keys(oldContent).filter((m) => m in newContent)) {
        const part = (side) => `${side}['responses']['${status}']['content']['${media}']`;
        checks.push({ what: `${id} response ${status} (${media})`, from: part(New), to: part(Old) });
      }
    }
  }
  return checks;
}

function operationsById(doc) {
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const ops = new Map();
  for (const item of Object.values(doc.paths ?? {})) {
    for (const m of methods) {
      const op = item[m];
      if (op?.operationId) ops.set(op.operationId, { ...op, parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])] });
    }
  }
  return ops;
}

/** Follows local `$ref`s (`#/components/...`), as bundles use them for shared responses and bodies. */
function deref(doc, value) {
  while (value?.$ref?.startsWith('#/')) {
    value = value.$ref.slice(2).split('/').reduce((node, key) => node?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
  }
  return value;
}

/**
 * The compiler's explanation on one line, as a field path plus the innermost reason, e.g.
 * `data.msg_id: Property 'msg_id' is optional in type ... but required in type ...`.
 */
function explain(message) {
  const path = [];
  let node = message;
  while (typeof node !== 'string' && node.next?.length) {
    const field = /^Types of property '([^']+)' are incompatible|^The types of '([^']+)' are incompatible/.exec(node.messageText);
    if (field) path.push(field[1] ?? field[2]);
    node = node.next[0];
  }
  const text = typeof node === 'string' ? node : node.messageText;
  const missing = /^Property '([^']+)' (is optional|is missing)/.exec(text);
  if (missing) path.push(missing[1]);
  return path.length ? `${path.join('.')}: ${text}` : text;
}

/** A compiler host that serves the generated files from memory and the standard library from disk, parsed once. */
function host(files) {
  const base = ts.createCompilerHost(options);
  return {
    ...base,
    fileExists: (f) => files.has(f) || base.fileExists(f),
    directoryExists: (d) => d === '/check' || base.directoryExists(d),
    readFile: (f) => files.get(f) ?? base.readFile(f),
    getSourceFile(fileName, languageVersion) {
      if (files.has(fileName)) return ts.createSourceFile(fileName, files.get(fileName), languageVersion);
      if (!libFiles.has(fileName)) libFiles.set(fileName, base.getSourceFile(fileName, languageVersion));
      return libFiles.get(fileName);
    },
  };
}
