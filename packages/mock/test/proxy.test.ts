// Proxy mode: Prism between a client and a real server checks both sides of every exchange
// against the spec. The "server" here is a plain node http server whose answers each test sets.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type MockServer } from '@easemob-import/mock';

let answer = { status: 200, body: {} as unknown };
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const upstream = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
});

const envelope = {
  action: 'post', organization: 'org', application: 'c3624975-9f5a-4b3a-9da2-ee91ed4c5a76', applicationName: 'app',
  uri: 'https://a1.easemob.com/org/app/messages/users/import', path: '/messages/users/import', entities: [],
  data: { msg_id: '1234567890123456789' }, timestamp: 1700000000000, duration: 2,
};
const txt = JSON.stringify({ from: 'u1', target: 'u2', type: 'txt', body: { msg: 'hi' } });
const log: string[] = [];
let proxy: MockServer;
let forwarding: MockServer;

function post(base: string, body: string) {
  return fetch(`${base}/org/app/messages/users/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer live-token' },
    body,
  });
}

beforeAll(async () => {
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  [proxy, forwarding] = await Promise.all([
    startMock({ upstream: url, onLog: (line) => log.push(line) }),
    startMock({ upstream: url, validateRequest: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([proxy?.close(), forwarding?.close()]);
  upstream.close();
});

describe('proxy mode', () => {
  it('passes a valid exchange through, headers and body intact', async () => {
    answer = { status: 200, body: envelope };
    received.length = 0;
    const res = await post(proxy.url, txt);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(envelope);
    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBe('Bearer live-token');
    expect(JSON.parse(received[0].body)).toEqual(JSON.parse(txt));
    expect(log.join('\n')).toContain('The upstream call to /org/app/messages/users/import has returned 200');
    expect(log.join('\n')).not.toContain('live-token');
  });

  it('turns a server response that breaks the contract into a 500 that names the field', async () => {
    answer = { status: 200, body: { ...envelope, data: { msg_id: 1234567890123456789 } } };
    const res = await post(proxy.url, txt);
    expect(res.status).toBe(500);
    const problem = (await res.json()) as { title: string; validation: { location: string[]; message: string }[] };
    expect(problem.title).toBe('Request/Response not valid');
    expect(problem.validation).toContainEqual(expect.objectContaining({ location: ['response', 'body', 'data', 'msg_id'] }));
  });

  it('answers an invalid request with 422 itself, without calling the server', async () => {
    received.length = 0;
    const res = await post(proxy.url, '{"from":"u1","type":"txt"}');
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { validation: { message: string }[] };
    expect(problem.validation.map((v) => v.message)).toContain("Request body must have required property 'target'");
    expect(received).toHaveLength(0);
  });

  it('with validateRequest: false, forwards an invalid request and checks the server\'s error', async () => {
    received.length = 0;
    answer = { status: 400, body: { error: 'illegal_argument', error_description: "target can't be empty" } };
    const ok = await post(forwarding.url, '{"from":"u1","type":"txt"}');
    expect(ok.status).toBe(400);
    expect(await ok.json()).toEqual(answer.body);
    expect(received).toHaveLength(1);

    answer = { status: 400, body: { message: 'no error field' } };
    const broken = await post(forwarding.url, '{"from":"u1","type":"txt"}');
    expect(broken.status).toBe(500);
    expect(JSON.stringify(await broken.json())).toContain("Response body must have required property 'error'");
  });
});
