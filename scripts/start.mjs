// `pnpm start`: after the build, serve the docs site and the contract mock on localhost and print their URLs.
// A busy default port moves to the next free one (and says so); a port chosen with MOCK_PORT or DOCS_PORT that is
// busy ends the start with one line naming it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const root = new URL('..', import.meta.url);
const HOST = '127.0.0.1';
const TRIES = 20;

class StartError extends Error {}

/** True when nothing listens on HOST:port (or binding is refused for another reason than EADDRINUSE). */
function isFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (e) => resolve(e.code !== 'EADDRINUSE'));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

/** The port to use for a service whose port comes from `variable` (or `fallback` when unset). */
async function choosePort(variable, fallback) {
  const chosen = process.env[variable];
  if (chosen !== undefined) {
    const port = Number(chosen);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartError(`${variable}=${chosen} is not a port number.`);
    if (!(await isFree(port))) throw new StartError(`Port ${port} (${variable}) is in use on ${HOST}. Stop what uses it, or choose another: ${variable}=${port + 1} pnpm start`);
    return { port };
  }
  for (let port = fallback; port < fallback + TRIES; port++) {
    if (await isFree(port)) return { port, moved: port !== fallback && `port ${fallback} is in use; set ${variable} to choose` };
  }
  throw new StartError(`Ports ${fallback} to ${fallback + TRIES - 1} are all in use on ${HOST}; choose a free one with ${variable}=N.`);
}

async function startMock({ port, moved }) {
  const entry = new URL('packages/mock/dist/index.js', root);
  if (!existsSync(entry)) return undefined;
  const { startMock } = await import(entry.href);
  try {
    const mock = await startMock({ port, host: HOST });
    return { server: mock, line: `Contract mock (Prism):  ${mock.url}${moved ? `  (${moved})` : ''}` };
  } catch (e) {
    // Taken between the probe and Prism's start, or Prism failed: its first line says why; the rest is its usage text.
    if (/EADDRINUSE/.test(e.message)) throw new StartError(`Port ${port} is in use on ${HOST}; choose another with MOCK_PORT=N.`);
    throw new StartError(`The contract mock did not start: ${e.message.split('\n')[0]}`);
  }
}

async function startDocs({ port, moved }) {
  const note = moved ? `  (${moved})` : '';
  const docsEntry = new URL('apps/docs/scripts/serve.mjs', root);
  if (existsSync(docsEntry) && existsSync(new URL('apps/docs/dist/index.html', root))) {
    const { serveDocs } = await import(docsEntry.href);
    const docs = await serveDocs({ port, host: HOST });
    return { server: docs, line: `Reference docs:         ${docs.url}  (中文: ${new URL('zh/', docs.url)})${note}` };
  }
  // Before the docs site exists, serve the bundle itself.
  const bundle = new URL('spec/dist/openapi.yaml', root);
  const server = createServer(async (_req, res) => {
    res.setHeader('content-type', 'application/yaml; charset=utf-8');
    res.end(await readFile(bundle));
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(port, HOST, ok));
  return { server: { close: () => new Promise((ok) => server.close(ok)) }, line: `OpenAPI bundle:         http://${HOST}:${port}/openapi.yaml${note}` };
}

// Both ports are settled before anything starts, so a busy one ends the start at once.
const ports = await Promise.all([choosePort('MOCK_PORT', 4010), choosePort('DOCS_PORT', 8080)]).catch((e) => {
  console.error(e instanceof StartError ? e.message : e);
  process.exit(1);
});
const started = await Promise.allSettled([startMock(ports[0]), startDocs(ports[1])]);
const servers = started.filter((s) => s.status === 'fulfilled' && s.value).map((s) => s.value.server);
const failures = started.filter((s) => s.status === 'rejected').map((s) => s.reason);
if (failures.length) {
  await Promise.all(servers.map((s) => s.close()));
  for (const e of failures) console.error(e instanceof StartError ? e.message : e);
  process.exit(1);
}
for (const s of started) if (s.value) console.log(s.value.line);
console.log('Press Ctrl-C to stop.');

// Ctrl-C reaches every process of the terminal's group, pnpm included, which passes it on once more: stop once,
// exit 0, and ignore the repeats.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(servers.map((s) => s.close()));
    process.exit(0);
  });
}
