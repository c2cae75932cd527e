// Generates `x-codeSamples` (curl and @easemob-import/client) from each operation's named request examples,
// so the page shows only code that test/code-samples.test.ts runs against the mock.

export const CLIENT_PACKAGE = '@easemob-import/client';

/** Resolves a local `#/...` $ref (the bundle keeps components referenced). */
export function deref(doc, node) {
  while (node && typeof node.$ref === 'string') {
    if (!node.$ref.startsWith('#/')) throw new Error(`external $ref ${node.$ref} in the bundle`);
    node = node.$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((n, key) => n?.[key], doc);
  }
  return node;
}

/** The first server's URL with its variables at their defaults, e.g. https://a1.easemob.com */
export function serverUrl(doc) {
  const server = doc.servers?.[0];
  if (!server) throw new Error('the bundle has no servers');
  return server.url.replace(/\{(\w+)\}/g, (_, name) => {
    const value = server.variables?.[name]?.default;
    if (value === undefined) throw new Error(`server variable ${name} has no default`);
    return value;
  });
}

/** Path with each parameter replaced by its documented example (my-org/my-app). */
function examplePath(doc, path, pathItem, operation) {
  const params = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(doc, p));
  return path.replace(/\{(\w+)\}/g, (_, name) => {
    const p = params.find((x) => x.in === 'path' && x.name === name);
    const value = p?.example ?? p?.schema?.example ?? p?.schema?.examples?.[0];
    if (value === undefined) throw new Error(`path parameter ${name} of ${operation.operationId} has no example`);
    return encodeURIComponent(value);
  });
}

const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

// JS object literal with unquoted identifier keys, the way people write a message by hand.
function jsLiteral(value, indent = '') {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${indent}  ${jsLiteral(v, `${indent}  `)}`).join(',\n')},\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
    return `{\n${entries.map(([k, v]) => `${indent}  ${key(k)}: ${jsLiteral(v, `${indent}  `)}`).join(',\n')},\n${indent}}`;
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

const identifier = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `example_${name.replace(/\W/g, '_')}`);

// One command per named example, each under a comment with the example's summary, the way the vendor's pages
// list "import a text message:", "import an image message:".
function curlSample({ url, examples, auth }) {
  return examples
    .map(({ name, summary, body }) =>
      [
        `# ${summary} (${name})`,
        `curl -X POST ${shellQuote(url)} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -H 'Accept: application/json' \\`,
        ...(auth ? [`  -H "Authorization: Bearer $EASEMOB_TOKEN" \\`] : []),
        `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
      ].join('\n'),
    )
    .join('\n\n');
}

function clientSample({ base, org, app, operationId, examples }) {
  const head = [`import { createImportClient } from '${CLIENT_PACKAGE}';`, '', 'const client = createImportClient({', `  baseUrl: '${base}',`, `  orgName: '${org}',`, `  appName: '${app}',`];
  if (operationId === 'getAppToken') {
    // The client has no separate token call: it exchanges the credentials on first use, caches the token and
    // fetches a new one on 401. The sample shows that flow with the smallest import.
    const { name, summary, body } = examples[0];
    return [
      ...head,
      `  // ${summary} (${name})`,
      `  clientId: '${body.client_id}',`,
      `  clientSecret: '${body.client_secret}',`,
      ...(body.ttl !== undefined ? [`  tokenTtl: ${body.ttl},`] : []),
      '});',
      '',
      `const { msgId } = await client.importUserMessage(${jsLiteral({ from: 'username1', target: 'username2', type: 'txt', body: { msg: 'import message.' } })});`,
      'console.log(msgId);',
    ].join('\n');
  }
  return [
    ...head,
    '  token: process.env.EASEMOB_TOKEN,',
    '});',
    ...examples.flatMap(({ name, summary, body }) => [
      '',
      `// ${summary} (${name})`,
      `const ${identifier(name)} = await client.${operationId}(${jsLiteral(body)});`,
      `console.log(${identifier(name)}.msgId);`,
    ]),
  ].join('\n');
}

const CLIENT_OPERATIONS = new Set(['importUserMessage', 'importGroupMessage', 'getAppToken']);
export const SAMPLE_LABELS = { curl: 'curl', client: CLIENT_PACKAGE };

/**
 * Adds x-codeSamples (one curl, one client sample) to every operation; mutates and returns doc. Run it on each
 * language's document, so the comments carry that language's example summaries.
 */
export function addCodeSamples(doc) {
  const base = serverUrl(doc);
  for (const [path, pathItem] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
      const { operationId } = operation;
      if (!CLIENT_OPERATIONS.has(operationId)) throw new Error(`no client sample for ${operationId}: add one in src/code-samples.mjs`);
      const content = deref(doc, operation.requestBody)?.content?.['application/json'];
      const examples = Object.entries(content?.examples ?? {}).map(([name, ref]) => {
        const example = deref(doc, ref);
        return { name, summary: example.summary ?? name, body: example.value };
      });
      if (examples.length === 0) throw new Error(`${operationId} has no named request examples to build samples from`);
      const urlPath = examplePath(doc, path, pathItem, operation);
      const [org, app] = urlPath.split('/').slice(1, 3).map(decodeURIComponent);
      const auth = !(Array.isArray(operation.security) && operation.security.length === 0);
      operation['x-codeSamples'] = [
        { lang: 'Shell', label: SAMPLE_LABELS.curl, source: curlSample({ url: base + urlPath, examples, auth }) },
        { lang: 'JavaScript', label: SAMPLE_LABELS.client, source: clientSample({ base, org, app, operationId, examples }) },
      ];
    }
  }
  return doc;
}
