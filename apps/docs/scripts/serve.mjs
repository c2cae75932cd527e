// Serves dist/ on 127.0.0.1 with node:http only, so `pnpm start` and the browser test need nothing else.
//   node scripts/serve.mjs [--port 8080]      (PORT also works; 0 picks a free port)
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.yaml': 'application/yaml; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

async function resolveFile(root, urlPath) {
  let rel;
  try {
    rel = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  } catch {
    return undefined; // malformed percent-encoding
  }
  const file = join(root, rel);
  if (file !== root && !file.startsWith(root + sep)) return undefined; // no escaping dist/
  const isFile = async (f) => (await stat(f).catch(() => undefined))?.isFile() ?? false;
  if (await isFile(file)) return file;
  const index = join(file, 'index.html');
  return (await isFile(index)) ? index : undefined;
}

/** Starts the server; resolves once it listens. Port 0 (default) picks a free port. */
export async function serveDocs({ port = 0, host = '127.0.0.1', root = DIST } = {}) {
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    // /zh without a slash would resolve the page's relative links against /, so redirect to /zh/.
    if (!pathname.endsWith('/') && !extname(pathname) && (await resolveFile(root, pathname))) {
      res.writeHead(301, { location: `${pathname}/` }).end();
      return;
    }
    const file = req.method === 'GET' || req.method === 'HEAD' ? await resolveFile(root, pathname) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    // Files under assets/ carry a content hash in their name (the shared renderer): cached for good. The rest is
    // checked on every load, so a rebuilt page shows at once.
    const cache = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}/`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = Number(i > 0 ? process.argv[i + 1] : (process.env.PORT ?? 8080));
  const { url, close } = await serveDocs({ port });
  console.log(`Reference docs: ${url} (Chinese: ${url}zh/)`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => close().then(() => process.exit(0)));
}
