import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Server } from 'node:http';
import { discriminatedPaths, serveDocument } from './document.js';
import { createFront } from './front.js';

export interface StartMockOptions {
  /** Port to listen on. 0 (the default) lets the system pick a free one. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** OpenAPI document to serve. Default: the bundled `@easemob-import/spec`. */
  document?: string;
  /** Generate responses from the schemas instead of returning the named examples. */
  dynamic?: boolean;
  /** Run Prism's validation proxy in front of this base URL instead of mocking. */
  upstream?: string;
  /**
   * Proxy only. false forwards requests that fail validation to the upstream (instead of
   * answering 422 itself), so the server's own answers to bad requests are checked too.
   */
  validateRequest?: boolean;
  /** How long to wait for Prism to say it listens. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** Called with every line Prism logs, from start-up on. */
  onLog?: (line: string) => void;
}

export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:41235`; paths start with `/{org_name}/{app_name}/`. */
  url: string;
  port: number;
  /** Process id of the Prism server. */
  pid: number;
  /** Settles with Prism's exit code (null when ended by a signal). */
  exited: Promise<number | null>;
  /** Ends the Prism process and waits until it has exited, which frees the port. */
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const LISTENING = /Prism is listening on (\S+)/;
const OUTPUT_LINES_KEPT = 100;

/** Path of the bundled OpenAPI document (`@easemob-import/spec/openapi.yaml`, or `format: 'json'`). */
export function bundledSpecPath(format: 'yaml' | 'json' = 'yaml'): string {
  try {
    return require.resolve(`@easemob-import/spec/openapi.${format}`);
  } catch (cause) {
    throw new Error(
      'The bundled spec @easemob-import/spec/openapi.yaml was not found. Build it first: pnpm --filter @easemob-import/spec build',
      { cause },
    );
  }
}

/** Prism's own node entry: spawning it directly (not through npx or a shell) makes its pid the server's pid. */
function prismEntry(): string {
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = require(manifest) as { bin: string | Record<string, string> };
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin.prism);
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as { port: number };
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
    });
  });
}

/**
 * Starts the mock (or the validating proxy) and resolves once it listens. A small front server (see front.ts)
 * listens on `host:port` and passes every request to Prism on a private loopback port.
 */
export async function startMock(options: StartMockOptions = {}): Promise<MockServer> {
  const { port = 0, host = '127.0.0.1', upstream } = options;
  const served = serveDocument(options.document ?? bundledSpecPath('json'));
  const front = createFront({ doc: served.doc, messagePaths: discriminatedPaths(served.doc), mocking: !upstream });
  let frontUrl: string;
  try {
    frontUrl = await listen(front.server, port, host);
  } catch (e) {
    served.remove();
    throw new Error(`The mock could not listen on ${host}:${port} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { cause: e });
  }
  const stopFront = () => {
    served.remove();
    front.server.closeAllConnections();
    return new Promise<void>((resolve) => front.server.close(() => resolve()));
  };
  try {
    const prism = await startPrism({ ...options, document: served.path, host: '127.0.0.1', port: 0, publicUrl: frontUrl }, stopFront);
    front.setUpstream(prism.privateUrl);
    return { url: frontUrl, port: Number(new URL(frontUrl).port), pid: prism.pid, exited: prism.exited, close: prism.close };
  } catch (e) {
    await stopFront();
    throw e;
  }
}

interface PrismServer extends MockServer {
  /** Where Prism itself listens (the front server's upstream in mock mode). */
  privateUrl: string;
}

/** Spawns Prism and resolves once it listens; `publicUrl` replaces Prism's own address in its log lines. */
function startPrism(options: StartMockOptions & { document: string; publicUrl?: string }, cleanUp: () => unknown): Promise<PrismServer> {
  const { port = 0, host = '127.0.0.1', dynamic = false, upstream, validateRequest = true, startTimeoutMs = 60_000, onLog, document, publicUrl } = options;
  const args = upstream ? ['proxy', document, upstream] : ['mock', document];
  args.push('--host', host, '--port', String(port), '--errors');
  if (dynamic) args.push('--dynamic');
  if (upstream && !validateRequest) args.push('--validate-request=false');

  const watchdog = new URL('./watchdog.js', import.meta.url).href;
  const child = spawn(process.execPath, ['--import', watchdog, prismEntry(), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  // 'close' comes after 'exit' once Prism's output is fully read, so error messages are complete.
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => child.pid === undefined && resolve(null)); // never started: no close event
  });

  // Prism logs every request; keep reading so a full pipe never stalls it, and keep
  // the latest lines for error messages.
  const output: string[] = [];
  const lines = [createInterface({ input: child.stdout }), createInterface({ input: child.stderr })];

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await Promise.all([exited, cleanUp()]);
    clearTimeout(force);
  };

  return new Promise<PrismServer>((resolve, reject) => {
    let started = false;
    // Ends Prism before rejecting, so a failed start leaves nothing running.
    const fail = (reason: string) => {
      if (started) return;
      clearTimeout(timer);
      const log = output.length ? output.join('\n') : '(nothing)';
      const error = new Error(`Prism (pid ${child.pid}) ${reason}.\nCommand: prism ${args.join(' ')}\nPrism's output:\n${log}`);
      void close().then(() => reject(error));
    };
    const timer = setTimeout(() => fail(`did not report listening within ${startTimeoutMs} ms`), startTimeoutMs);
    child.once('error', (e) => fail(`could not be started (${e.message})`));
    void exited.then((code) => fail(`exited with code ${code} before listening`));

    // Until Prism says where it listens, its lines are held back, so that every line can name the public address.
    let privateUrl: string | undefined;
    const held: string[] = [];
    const log = (line: string) => onLog?.(publicUrl && privateUrl ? line.split(privateUrl).join(publicUrl) : line);
    for (const rl of lines) {
      rl.on('line', (raw) => {
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
        output.push(line);
        if (output.length > OUTPUT_LINES_KEPT) output.shift();
        const match = LISTENING.exec(line);
        if (!match || started) {
          if (started) log(line);
          else held.push(line);
          return;
        }
        started = true;
        clearTimeout(timer);
        privateUrl = match[1].replace(/\/$/, '');
        [...held, line].forEach(log);
        const url = publicUrl ?? privateUrl;
        resolve({ url, port: Number(new URL(url).port), pid: child.pid!, exited, close, privateUrl });
      });
    }
  });
}
