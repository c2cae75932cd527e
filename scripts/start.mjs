// `pnpm start`: after the build, serve the docs site and the contract mock on localhost and print their URLs.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';

const root = new URL('..', import.meta.url);
const mockPort = Number(process.env.MOCK_PORT ?? 4010);
const docsPort = Number(process.env.DOCS_PORT ?? 8080);
const servers = [];

const mockEntry = new URL('packages/mock/dist/index.js', root);
if (existsSync(mockEntry)) {
  const { startMock } = await import(mockEntry.href);
  const mock = await startMock({ port: mockPort });
  servers.push(mock);
  console.log(`Contract mock (Prism):  ${mock.url}`);
}

const docsEntry = new URL('apps/docs/scripts/serve.mjs', root);
if (existsSync(docsEntry) && existsSync(new URL('apps/docs/dist/index.html', root))) {
  const { serveDocs } = await import(docsEntry.href);
  const docs = await serveDocs({ port: docsPort });
  servers.push(docs);
  console.log(`Reference docs:         ${docs.url}  (中文: ${new URL("zh/", docs.url)})`);
} else {
  // Before the docs site exists, serve the bundle itself.
  const bundle = new URL('spec/dist/openapi.yaml', root);
  const server = createServer(async (_req, res) => {
    res.setHeader('content-type', 'application/yaml; charset=utf-8');
    res.end(await readFile(bundle));
  });
  await new Promise((ok) => server.listen(docsPort, '127.0.0.1', ok));
  servers.push({ close: () => new Promise((ok) => server.close(ok)) });
  console.log(`OpenAPI bundle:         http://127.0.0.1:${docsPort}/openapi.yaml`);
}
console.log('Press Ctrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await Promise.all(servers.map((s) => s.close()));
    process.exit(0);
  });
}
