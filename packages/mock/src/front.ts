// The mock's front door: a small HTTP server in front of Prism. Prism stays the validator and answers every
// request; this layer only does what Prism cannot:
// - reads a JSON body sent without `Content-Type` or as form encoding, as Easemob's server does (its own docs'
//   curl examples and SDKs send such requests): Prism gets it labelled `application/json`;
// - keeps the `sl-violations` header valid JSON and drops the bookkeeping entry of the branch selection;
// When mocking (not in front of the validating proxy, where the real server answers) it also
// - answers a body that is not JSON with the documented 400 `json_parse`;
// - words a 400 for a missing `type` or `body` the way Easemob's import pages do;
// - gives every successful import a fresh, increasing `msg_id`, as the real server does.
import { createServer, request as httpRequest, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { nextMessageId } from './message-id.js';
import { trimViolations } from './violations.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const READ_AS_JSON = new Set(['', 'application/json', 'application/x-www-form-urlencoded']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export interface FrontOptions {
  /** The document Prism serves (the original, before the branch rewrite): where the named examples come from. */
  doc: Json;
  /** Request paths whose body is a discriminated message (see discriminatedPaths). */
  messagePaths: RegExp[];
  /** false in front of the validating proxy: only relabel bodies and keep the header valid. */
  mocking: boolean;
}

export interface Front {
  server: Server;
  /** Sets Prism's base URL once it listens; requests before then get 503. */
  setUpstream(url: string): void;
}

/** The named example `name` of the response `status` declared for the request's operation, if any. */
function declaredExample(doc: Json, method: string, path: string, status: number, name: string): unknown {
  const deref = (node: Json): Json =>
    node?.$ref ? deref(node.$ref.slice(2).split('/').reduce((at: Json, k: string) => at?.[k], doc)) : node;
  for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const response = deref(item?.[method.toLowerCase()]?.responses?.[status]);
    const example = deref(response?.content?.['application/json']?.examples?.[name]);
    if (example) return example.value;
  }
  return undefined;
}

/** Easemob's wording for a message without `type` or `body` (the error tables of the import pages). */
function illegalArgumentName(message: unknown): string | undefined {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return undefined;
  const { type, body } = message as Record<string, unknown>;
  if (type === undefined || type === '') return 'typeNotAllowEmpty';
  const empty = body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0);
  return empty ? 'illegalArgument' : undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

export function createFront({ doc, messagePaths, mocking }: FrontOptions): Front {
  let upstream: URL | undefined;
  const agent = new Agent({ keepAlive: true });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://mock').pathname;
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const headers = { ...req.headers };

    let message: unknown;
    if (raw.length > 0 && READ_AS_JSON.has(mediaType)) {
      const parsed = parseJson(raw);
      const jsonParse = mocking && declaredExample(doc, method, path, 400, 'jsonParse');
      if (!parsed.ok && jsonParse) return sendJson(res, 400, jsonParse);
      if (parsed.ok) message = parsed.value;
      headers['content-type'] = 'application/json'; // the server reads it as JSON whatever the label says
    }
    if (!upstream) return sendJson(res, 503, { error: 'service_unavailable', error_description: 'the mock is starting' });

    const reply = await forward(upstream, method, req.url ?? '/', headers, raw);
    const outHeaders = Object.fromEntries(Object.entries(reply.headers).filter(([k]) => !HOP_BY_HOP.has(k))) as Record<string, string | string[]>;
    if (typeof outHeaders['sl-violations'] === 'string') outHeaders['sl-violations'] = trimViolations(outHeaders['sl-violations']);

    let body: Json = reply.body.length ? parseJson(reply.body) : { ok: false };
    body = body.ok ? body.value : undefined;
    const isMessage = mocking && messagePaths.some((p) => p.test(path));
    if (reply.status === 400 && isMessage && !req.headers.prefer) {
      const name = illegalArgumentName(message);
      const worded = name && declaredExample(doc, method, path, 400, name);
      if (worded) return sendJson(res, 400, worded, outHeaders);
    }
    if (isMessage && reply.status >= 200 && reply.status < 300 && typeof body?.data?.msg_id === 'string') {
      return sendJson(res, reply.status, { ...body, data: { ...body.data, msg_id: nextMessageId() } }, outHeaders);
    }
    res.writeHead(reply.status, { ...outHeaders, 'content-length': reply.body.length });
    res.end(reply.body);
  }

  function forward(base: URL, method: string, url: string, headers: IncomingMessage['headers'], body: Buffer) {
    return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const out = httpRequest(
        new URL(url, base),
        { method, agent, headers: { ...headers, host: base.host, 'content-length': String(body.length) } },
        (r) => readBody(r).then((b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }), reject),
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) sendJson(res, 502, { error: 'bad_gateway', error_description: `the mock could not reach Prism: ${e.message}` });
      else res.destroy();
    });
  });
  server.on('close', () => agent.destroy());
  return { server, setUpstream: (url) => (upstream = new URL(url)) };
}
