// Black-box tests against the Prism mock of the bundle (one per run, from @easemob-import/mock's global setup):
// every request example on both import endpoints, every declared error example, and the token flow.
import { describe, expect, inject, it } from 'vitest';
import { EasemobApiError, createImportClient, type ErrorKind, type ImportMessage, type MessageType } from '../../src/index.js';
import { examples, operations } from '../support/bundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

const baseUrl = inject('mockUrl');
const orgName = 'my-org';
const appName = 'my-app';
const client = createImportClient({ baseUrl, orgName, appName, token: 'YWMt-contract', retry: { maxAttempts: 1 } });

// Checked against the union by the compiler: adding a message type to the spec breaks this line until it is listed.
const ALL_TYPES = Object.keys({ txt: 1, img: 1, audio: 1, video: 1, file: 1, loc: 1, cmd: 1, custom: 1 } satisfies Record<MessageType, 1>);

// What each declared failure means for a migration, as the issue defines it (not derived from the client's code).
const EXPECTED_KIND: Record<string, ErrorKind | Record<string, ErrorKind>> = {
  400: 'fatal',
  401: 'fatal',
  403: 'fatal',
  404: 'fatal',
  413: 'fatal',
  415: 'fatal',
  429: { reach_limit: 'retryable', resource_limited: 'fatal' },
  500: 'uncertain',
  502: 'uncertain',
  503: 'retryable',
  504: 'uncertain',
};

describe.each(['importUserMessage', 'importGroupMessage'] as const)('%s', (op) => {
  const requests = examples(operations[op].requestBody);

  it('has a request example of every message type', () => {
    expect(requests.map(([, value]) => value.type).sort()).toEqual([...ALL_TYPES].sort());
  });

  it.each(requests)('imports the `%s` example', async (_name, message: ImportMessage) => {
    const outcome = await client[op](message);
    expect(outcome.msgId).toMatch(/^\d+$/);
    expect(outcome.attempts).toBe(1);
  });

  const statuses = Object.keys(operations[op].responses).filter((s) => !s.startsWith('2'));
  it('declares exactly the error statuses this suite expects', () => {
    expect(statuses.sort()).toEqual(Object.keys(EXPECTED_KIND).sort());
  });

  const errorCases = statuses.flatMap((status) =>
    examples(operations[op].responses[status]).map(([name, body]) => [Number(status), name, body] as const),
  );
  it.each(errorCases)('HTTP %i `%s` throws EasemobApiError with the example body', async (status, name, body) => {
    const err = await client[op](requests[0]![1], { headers: { Prefer: `code=${status}, example=${name}` } }).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobApiError);
    const expected = EXPECTED_KIND[status]!;
    expect(err).toMatchObject({
      status,
      error: body.error,
      errorDescription: body.error_description,
      kind: typeof expected === 'string' ? expected : expected[body.error],
    });
  });

  it('the mock rejects a misspelled field the types reject', async () => {
    const typo = { from: 'u1', target: 'u2', type: 'file', body: { url: 'https://example.com/a.pdf', filname: 'a.pdf' } };
    const err = await client[op](typo as unknown as ImportMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobApiError);
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.status).toBeLessThan(500);
    expect(err.kind).toBe('fatal');
  });
});

describe('token flow', () => {
  const token = examples(operations.getAppToken.responses['200'])[0]![1];

  function recordingClient(minTokenIntervalMs?: number) {
    const seen: { path: string; authorization: string | null; body: Promise<string> }[] = [];
    const c = createImportClient({
      baseUrl, orgName, appName, clientId: 'YXA6client', clientSecret: 'YXA6secret', retry: { maxAttempts: 1 }, minTokenIntervalMs,
      fetch: (request) => {
        seen.push({ path: new URL(request.url).pathname, authorization: request.headers.get('authorization'), body: request.clone().text() });
        return fetch(request);
      },
    });
    return { c, seen };
  }

  it('exchanges client credentials at getAppToken, then imports with the issued token', async () => {
    const { c, seen } = recordingClient();
    await c.importUserMessage(examples(operations.importUserMessage.requestBody)[0]![1]);
    await c.importGroupMessage(examples(operations.importGroupMessage.requestBody)[0]![1]);
    expect(seen.map((s) => [s.path, s.authorization])).toEqual([
      [`/${orgName}/${appName}/token`, null],
      [`/${orgName}/${appName}/messages/users/import`, `Bearer ${token.access_token}`],
      [`/${orgName}/${appName}/messages/chatgroups/import`, `Bearer ${token.access_token}`],
    ]);
    expect(JSON.parse(await seen[0]!.body)).toEqual({ grant_type: 'client_credentials', client_id: 'YXA6client', client_secret: 'YXA6secret' });
  });

  it('on a 401 with a token issued moments ago, reports a fatal 401 without asking for another', async () => {
    const { c, seen } = recordingClient();
    const err = await c
      .importUserMessage(examples(operations.importUserMessage.requestBody)[0]![1], { headers: { Prefer: 'code=401' } })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 401, kind: 'fatal' });
    expect(seen.map((s) => s.path.split('/').at(-1))).toEqual(['token', 'import']);
  });

  it('on a 401 with an older token, fetches one new token, replays once, then reports a fatal 401', async () => {
    const { c, seen } = recordingClient(0); // no interval: every token counts as issued long ago
    const err = await c
      .importUserMessage(examples(operations.importUserMessage.requestBody)[0]![1], { headers: { Prefer: 'code=401' } })
      .catch((e) => e);
    expect(err).toMatchObject({ status: 401, kind: 'fatal' });
    expect(seen.map((s) => s.path.split('/').at(-1))).toEqual(['token', 'import', 'token', 'import']);
  });
});
