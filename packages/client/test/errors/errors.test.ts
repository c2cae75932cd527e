import { afterEach, describe, expect, it } from 'vitest';
import { EasemobApiError, EasemobError, EasemobTransportError, classifyStatus, createImportClient } from '../../src/index.js';
import { transportError } from '../../src/errors.js';
import { startFaultServer, textMessage, type FaultServer } from '../support/fault-server.js';

let server: FaultServer;
afterEach(() => server?.close());

describe('classifyStatus', () => {
  it.each([
    [400, 'invalid_request_body', 'fatal'],
    [400, 'illegal_argument', 'fatal'],
    [400, 'json_parse', 'fatal'],
    [401, 'unauthorized', 'fatal'],
    [403, 'forbidden_op', 'fatal'],
    [404, 'organization_application_not_found', 'fatal'],
    [413, 'Request Entity Too Large', 'fatal'],
    [415, 'web_application', 'fatal'],
    [429, 'reach_limit', 'retryable'],
    [429, 'resource_limited', 'fatal'],
    [429, undefined, 'retryable'],
    [500, 'internal', 'uncertain'],
    [502, undefined, 'uncertain'],
    [503, undefined, 'retryable'],
    [504, undefined, 'uncertain'],
  ] as const)('%i %s is %s', (status, error, kind) => {
    expect(classifyStatus(status, error)).toBe(kind);
  });
});

describe('transport errors', () => {
  const fetchFailed = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(`boom ${code}`), { code }) });
  it.each([
    ['ECONNREFUSED', 'retryable'],
    ['ENOTFOUND', 'retryable'],
    ['UND_ERR_CONNECT_TIMEOUT', 'retryable'],
    ['ECONNRESET', 'uncertain'],
    ['UND_ERR_SOCKET', 'uncertain'],
    ['EPIPE', 'uncertain'],
    ['CERT_HAS_EXPIRED', 'fatal'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'fatal'],
  ] as const)('%s is %s', (code, kind) => {
    const err = transportError(fetchFailed(code), 'importUserMessage');
    expect(err).toBeInstanceOf(EasemobTransportError);
    expect(err).toBeInstanceOf(EasemobError);
    expect(err).toMatchObject({ code, kind, operation: 'importUserMessage', name: 'EasemobTransportError' });
    expect(err.message).toContain(`boom ${code}`);
  });

  it('an error without a code (e.g. a browser "Failed to fetch") is uncertain', () => {
    expect(transportError(new TypeError('Failed to fetch'), 'x')).toMatchObject({ code: 'UNKNOWN', kind: 'uncertain' });
  });
});

describe('EasemobApiError from a reply', () => {
  const client = () => createImportClient({ baseUrl: server.url, orgName: 'org', appName: 'app', token: 'tok' });

  it('carries status, error, errorDescription, errorCode and kind from the error body', async () => {
    server = await startFaultServer();
    server.script({
      status: 400,
      body: { error: 'illegal_argument', exception: 'IllegalArgumentException', timestamp: 1, duration: 0, error_description: 'from can\'t be empty', error_code: 4000 },
    });
    const err = await client().importUserMessage(textMessage).catch((e) => e);
    expect(err).toBeInstanceOf(EasemobApiError);
    expect(err).toMatchObject({
      name: 'EasemobApiError',
      operation: 'importUserMessage',
      status: 400,
      error: 'illegal_argument',
      errorDescription: "from can't be empty",
      errorCode: 4000,
      kind: 'fatal',
    });
    expect(err.message).toBe("importUserMessage failed with HTTP 400 (illegal_argument: from can't be empty) [fatal]");
  });

  it('keeps the start of a non-JSON body (e.g. a proxy page) as the description', async () => {
    server = await startFaultServer();
    server.script({ status: 502, body: '<html>Bad Gateway</html>' });
    const err = await client().importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ status: 502, error: undefined, errorDescription: '<html>Bad Gateway</html>', kind: 'uncertain' });
  });

  it('a 200 without a string msg_id is an uncertain error, never a silent success', async () => {
    server = await startFaultServer();
    server.script({ status: 200, body: { data: { msg_id: 10212123848595000 } } });
    const err = await client().importUserMessage(textMessage).catch((e) => e);
    expect(err).toMatchObject({ status: 200, error: 'invalid_response', kind: 'uncertain' });
    expect(server.imports).toHaveLength(1);
  });

  it('the msg_id stays a string beyond 2^53', async () => {
    server = await startFaultServer();
    const { msgId } = await client().importUserMessage(textMessage);
    expect(msgId).toBe('10212123848595000');
  });
});
