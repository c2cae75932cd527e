// A stand-in for Easemob's import endpoints that remembers what it stored and misbehaves on request:
// 429 reach_limit and 503 before storing, 500 or a dropped connection after storing, latency, expiring tokens,
// and an optional per-second limit. Tests compare what it stored with what the CLI reported.
import { randomBytes } from 'node:crypto';
import { afterEach } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Probabilities, each checked per import request. */
  reachLimit?: number;
  unavailable?: number;
  errorAfterStore?: number;
  dropAfterStore?: number;
  /** Random delay before answering, in ms: [min, max]. */
  latencyMs?: [number, number];
  /** A token stops working after this many import requests made with it (401 expired token). */
  tokenUses?: number;
  /** Users that do not exist: a message from or to them gets 404 service_resource_not_found. */
  missingUsers?: string[];
  /** Answer 429 reach_limit beyond this many accepted imports in any 1000 ms window, per endpoint. */
  enforceRate?: number;
  /** Answer import calls (and token calls, with `token`) with this redirect instead of storing. */
  redirect?: { status: number; location: string; token?: boolean };
  /** Source ids (as stamped into ext by --stamp-ext) refused with 400 illegal_argument. */
  refuse?: string[];
  /** Delay of every token reply, in ms. */
  tokenLatencyMs?: number;
  /** Refuse a message with 400 when its msg_timestamp is not newer than the last one stored in its conversation (as Easemob does). */
  strictOrder?: boolean;
}

export interface Stored {
  endpoint: 'users' | 'chatgroups';
  msgId: string;
  body: { from: string; target: string; type: string; msg_timestamp: number; ext?: Record<string, unknown>; [k: string]: unknown };
}

export interface FaultServer {
  url: string;
  stored: Stored[];
  counts: { requests: number; tokenRequests: number; rateLimited: number; unauthorized: number; enforced: number };
  setFaults(f: Faults): void;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  org?: string;
  app?: string;
  clientId?: string;
  clientSecret?: string;
  /** A token that is always accepted (a static `--token`). */
  staticToken?: string;
  faults?: Faults;
  /** Seed of the fault dice, so a failing run can be replayed. */
  seed?: number;
}

/** mulberry32: tiny seeded PRNG. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const errorBody = (error: string, description: string) => JSON.stringify({ error, exception: 'FaultServer', timestamp: Date.now(), duration: 0, error_description: description });

export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const { org = 'org', app = 'app', clientId = 'client-id', clientSecret = 'client-secret', staticToken } = options;
  let faults: Faults = options.faults ?? {};
  const random = rng(options.seed ?? 1);
  const stored: Stored[] = [];
  const counts = { requests: 0, tokenRequests: 0, rateLimited: 0, unauthorized: 0, enforced: 0 };
  const tokens = new Map<string, number>(); // token -> uses left
  const windows = { users: [] as number[], chatgroups: [] as number[] };
  let nextId = 10212123848595000n;
  const last = new Map<string, number>(); // newest timestamp stored per conversation (strictOrder)

  const send = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let data = '';
      req.setEncoding('utf8').on('data', (c) => (data += c)).on('end', () => resolve(data)).on('error', reject);
    });
  const delay = () => {
    const [min, max] = faults.latencyMs ?? [0, 0];
    const ms = min + random() * (max - min);
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : undefined;
  };

  const server = createServer(async (req, res) => {
    const arrived = performance.now(); // a rate limit counts requests as they arrive
    const text = await readBody(req);
    const match = /^\/([^/]+)\/([^/]+)\/(token|messages\/(users|chatgroups)\/import)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return send(res, 404, errorBody('service_resource_not_found', 'Service resource not found'));
    if (match[1] !== org || match[2] !== app) {
      return send(res, 404, errorBody('organization_application_not_found', `Could not find application for ${match[1]}/${match[2]} from URI: ${req.url}`));
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      return send(res, 400, errorBody('json_parse', 'Unexpected character'));
    }

    if (faults.redirect && (match[3] !== 'token' || faults.redirect.token)) {
      res.writeHead(faults.redirect.status, { location: faults.redirect.location, 'content-type': 'application/json' }).end('{}');
      return;
    }
    if (match[3] === 'token') {
      counts.tokenRequests++;
      if (faults.tokenLatencyMs) await new Promise((r) => setTimeout(r, faults.tokenLatencyMs));
      if (body.grant_type !== 'client_credentials' || body.client_id !== clientId || body.client_secret !== clientSecret) {
        return send(res, 401, errorBody('unauthorized', 'Unable to authenticate (OAuth)'));
      }
      const token = `tok-${randomBytes(8).toString('hex')}`;
      tokens.set(token, faults.tokenUses ?? Infinity);
      return send(res, 200, JSON.stringify({ access_token: token, expires_in: 7200, application: 'fault-server-app' }));
    }

    counts.requests++;
    const endpoint = match[4] as 'users' | 'chatgroups';
    const auth = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (auth !== staticToken || !staticToken) {
      const left = tokens.get(auth);
      if (left === undefined || left <= 0) {
        counts.unauthorized++;
        return send(res, 401, errorBody('unauthorized', 'Unable to authenticate due to expired access token'));
      }
      tokens.set(auth, left - 1);
    }
    if (faults.enforceRate) {
      const now = arrived;
      const w = windows[endpoint];
      while (w.length && now - w[0] >= 1000) w.shift();
      if (w.length >= faults.enforceRate) {
        counts.enforced++;
        counts.rateLimited++;
        return send(res, 429, errorBody('reach_limit', 'This request has reached api limit'));
      }
      w.push(now);
    }
    await delay();

    if (random() < (faults.reachLimit ?? 0)) {
      counts.rateLimited++;
      return send(res, 429, errorBody('reach_limit', 'This request has reached api limit'));
    }
    if (random() < (faults.unavailable ?? 0)) return send(res, 503, errorBody('service_unavailable', 'Service Unavailable'));
    if (!body.from || !body.target || !body.type || !body.body) return send(res, 400, errorBody('illegal_argument', 'message body not allow empty'));
    if (faults.missingUsers?.some((u) => u === body.from || (endpoint === 'users' && u === body.target))) {
      return send(res, 404, errorBody('service_resource_not_found', 'Service resource not found'));
    }

    if (Object.values((body.ext as Record<string, unknown> | undefined) ?? {}).some((v) => faults.refuse?.includes(String(v)))) return send(res, 400, errorBody('illegal_argument', 'refused by the test'));
    if (faults.strictOrder) {
      const key = endpoint === 'chatgroups' ? `g${body.target}` : `s${[body.from, body.target].sort().join('|')}`;
      if (Number(body.msg_timestamp) <= (last.get(key) ?? -Infinity)) return send(res, 400, errorBody('illegal_argument', 'msg_timestamp is not newer than the last message'));
      last.set(key, Number(body.msg_timestamp));
    }
    const msgId = String(nextId++);
    stored.push({ endpoint, msgId, body: body as Stored['body'] });
    if (random() < (faults.errorAfterStore ?? 0)) return send(res, 500, errorBody('internal_error', 'Internal Server Error'));
    if (random() < (faults.dropAfterStore ?? 0)) return void req.socket.destroy();
    send(res, 200, JSON.stringify({ action: 'post', organization: org, application: 'fault-server-app', applicationName: app, uri: `http://x${req.url}`, path: req.url, entities: [], data: { msg_id: msgId }, timestamp: Date.now(), duration: 0 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stored,
    counts,
    setFaults(f) {
      faults = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Fault servers for one test file: each test's servers are closed after it. */
export function faultServers(): (options?: FaultServerOptions) => Promise<FaultServer> {
  const open: FaultServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const s = await startFaultServer(options);
    open.push(s);
    return s;
  };
}
