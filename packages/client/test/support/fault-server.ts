// A scriptable stand-in for Easemob on 127.0.0.1: each import request takes the next scripted step (a reply, a
// connection reset, or no reply at all), token requests issue numbered tokens, and every request is recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'ok'
  | { okAfterMs: number } // succeed, slowly
  | 'reset' // read the request, then destroy the socket: the server may have acted on it
  | 'hang'; // read the request and never answer

export interface Recorded {
  at: number;
  method: string | undefined;
  path: string;
  authorization: string | undefined;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface FaultServerOptions {
  /** `expires_in` of issued tokens, seconds. */
  expiresIn?: number;
  /** Delay before a token reply, so concurrent callers pile up behind it. */
  tokenDelayMs?: number;
  /** Scripted token replies, taken before the default one. */
  tokenSteps?: Step[];
  /** Reject import requests whose bearer token is not the latest issued one (or `staticToken`). */
  checkToken?: boolean;
  staticToken?: string;
  /** Answer every import with 401, as for credentials whose tokens the app does not accept. */
  rejectEveryToken?: boolean;
}

export async function startFaultServer(options: FaultServerOptions = {}) {
  const imports: Recorded[] = [];
  const tokens: Recorded[] = [];
  const steps: Step[] = [];
  const tokenSteps = [...(options.tokenSteps ?? [])];
  let issued = 0;
  let valid = new Set<string>(options.staticToken ? [options.staticToken] : []);
  let msgId = 10212123848595000n; // above 2^53 on purpose

  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
    res.end(text);
  };
  const play = (step: Step, req: IncomingMessage, res: ServerResponse, ok: () => void) => {
    if (step === 'reset') return req.socket.destroy();
    if (step === 'hang') return;
    if (step === 'ok') return ok();
    if ('okAfterMs' in step) return void setTimeout(ok, step.okAfterMs);
    reply(res, step.status, step.body ?? '', step.headers);
  };

  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const rec: Recorded = {
      at: Date.now(),
      method: req.method,
      path: req.url ?? '',
      authorization: req.headers.authorization,
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
    };
    if (rec.path.endsWith('/token')) {
      tokens.push(rec);
      if (options.tokenDelayMs) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
      return play(tokenSteps.shift() ?? 'ok', req, res, () => {
        const token = `issued-token-${++issued}-s3cr3t`;
        valid = new Set([token]);
        reply(res, 200, { access_token: token, expires_in: options.expiresIn ?? 5184000, application: 'app-uuid' });
      });
    }
    imports.push(rec);
    play(steps.shift() ?? 'ok', req, res, () => {
      if (options.rejectEveryToken || (options.checkToken && !valid.has(rec.authorization?.replace('Bearer ', '') ?? ''))) {
        return reply(res, 401, { error: 'unauthorized', error_description: 'Unable to authenticate due to expired access token' });
      }
      reply(res, 200, {
        action: 'post',
        path: '/messages/users/import',
        uri: `http://127.0.0.1${rec.path}`,
        entities: [],
        data: { msg_id: String(msgId++) },
        timestamp: Date.now(),
        duration: 0,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    imports,
    tokens,
    /** Queue replies for the next import requests; once used up, requests succeed. */
    script(...next: Step[]) {
      steps.push(...next);
    },
    /** Make every issued token invalid, as if it expired server-side. */
    revokeTokens() {
      valid = new Set();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type FaultServer = Awaited<ReturnType<typeof startFaultServer>>;

/** A URL on which nothing listens: connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export const textMessage = { from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hello' }, msg_timestamp: 1656906628428 } as const;
